"""The optional LLM seam: a composer may phrase the answer from the passages, and its text is
used only when it says nothing the passages do not (every number, code and model it names must
appear in them); otherwise the extractive answer stands."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from skills.search.analysis import normalise

from .chunking import error_codes

__all__ = ["Composer", "grounded"]

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MODEL = re.compile(r"[a-z]{1,4}-?\d+[a-z0-9-]*")


class Composer(Protocol):
    """Writes a short spoken answer to ``question`` in ``lang`` from ``passages`` within ``timeout_s``."""

    async def compose(self, question: str, passages: Sequence[str], lang: str, timeout_s: float) -> str: ...


def grounded(answer: str, passages: Sequence[str]) -> bool:
    """Whether ``answer`` is non-empty and every number, fault code and model number in it
    appears in ``passages`` (after the same normalisation: ``4,380`` is ``4380``)."""
    text = normalise(answer)
    if not text.strip():
        return False
    source = normalise(" ".join(passages))
    said = set(_NUMBER.findall(text)) | {c.lower() for c in error_codes(text)} | set(_MODEL.findall(text))
    known = set(_NUMBER.findall(source)) | {c.lower() for c in error_codes(source)} | set(_MODEL.findall(source))
    return said <= known
