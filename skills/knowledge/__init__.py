"""Knowledge: the home's product manuals (shipped for the demo home's devices, plus each home's
own documents), searched hybrid (BM25 + e5 kNN) and answered extractively with the source."""

from .base import KnowledgeBase, Passage
from .catalog import SHARED_HOME, DocumentInfo
from .composer import Composer, grounded
from .errors import KnowledgeError, KnowledgeErrorCode
from .skill import KnowledgeSkill

__all__ = [
    "SHARED_HOME", "Composer", "DocumentInfo", "KnowledgeBase", "KnowledgeError", "KnowledgeErrorCode",
    "KnowledgeSkill", "Passage", "grounded",
]
