"""Knowledge: the home's product manuals (shipped for the demo home's devices, plus each home's
own documents), searched hybrid (BM25 + e5 kNN) and answered extractively with the source."""

from .base import KnowledgeBase, Passage
from .catalog import SHARED_HOME, DocumentInfo
from .composer import Composed, Composer, fault
from .errors import KnowledgeError, KnowledgeErrorCode
from .llm_composer import LlmComposer
from .skill import KnowledgeSkill

__all__ = [
    "SHARED_HOME", "Composed", "Composer", "DocumentInfo", "KnowledgeBase", "KnowledgeError", "KnowledgeErrorCode",
    "KnowledgeSkill", "LlmComposer", "Passage", "fault",
]
