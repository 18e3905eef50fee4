"""The optional LLM seam: a composer phrases the answer from the passage that answers, and its
text is spoken only when :func:`fault` finds nothing wrong with it; otherwise the extractive
answer stands.

What the check asks of a composed answer (``support``: the passage and the product's model
numbers; ``context``: the section heading, the product's name and the question):

- short enough to speak: at most :data:`MAX_CHARS` for the language, or one and a half times the
  extractive fact when that is longer (a rambling answer is refused, not cut);
- every number, fault code and model number it names appears in the support (``4,380`` is
  ``4380``);
- its content words (Chinese words of two characters or more, English words of three letters or
  more, less a few words of spoken glue) appear in the support or the context: at most one in
  five may not, so a paraphrase passes and an answer about something else does not;
- when the extractive fact holds numbers, at least one of them is said (the figure asked for).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from skills.search.analysis import normalise, tokens

from .chunking import error_codes

__all__ = ["MAX_CHARS", "Composed", "Composer", "fault"]

#: The longest composed answer spoken, by language: about ten seconds of speech.
MAX_CHARS = {"zh": 80, "en": 240}
#: Share of a composed answer's content words that may be missing from the passage.
MAX_UNSUPPORTED = 0.2

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MODEL = re.compile(r"[a-z]{1,4}-?\d+[a-z0-9-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Words a speaker adds around a fact without adding to it.
_GLUE_WORDS = (
    "大约 左右 大概 需要 可以 建议 一下 一次 说明书 根据 注意 记得 应该 然后 如果 时候 一般 通常 就是 我们 这样 "
    "每次 进行 使用 一些 已经 最好 要求 以上 以下 之内 之间 定期 多久 多少 什么 怎么 时间 工作 设备 产品 "
    "about around roughly approximately usually every each need needs needed recommend recommended "
    "manual according say says said just also once time times make sure like best keep regularly use using"
)
_GLUE = frozenset(_GLUE_WORDS.split())


@dataclass(frozen=True)
class Composed:
    """An LLM's answer: ``text`` as written, ``tier`` the LLM tier that wrote it (``cloud``, ``edge``)."""

    text: str
    tier: str


class Composer(Protocol):
    """Writes a short spoken answer to ``question`` in ``lang`` from ``passage`` (the part of the
    manual that answers; ``context``: its product and section) within ``timeout_s``; never through a tier that leaves the home when
    ``local_only``. Raises (an :class:`domain.errors.LlmError`) when no tier answers."""

    async def compose(self, question: str, passage: str, context: str, lang: str, timeout_s: float, *,
                      local_only: bool) -> Composed: ...


def _exact(text: str) -> set[str]:
    return set(_NUMBER.findall(text)) | {c.lower() for c in error_codes(text)} | set(_MODEL.findall(text))


def _content_words(text: str) -> list[str]:
    words = []
    for token in dict.fromkeys(tokens(text)):
        if token in _GLUE or any(ch.isdigit() for ch in token):
            continue  # numbers and codes are checked exactly
        if (_CJK.search(token) and len(token) >= 2) or (token.isascii() and token.isalpha() and len(token) >= 3):
            words.append(token)
    # jieba's search mode also yields the words inside a longer one: judge the longest only
    return [w for w in words if not any(w != other and w in other for other in words)]


def _supported(word: str, source: str) -> bool:
    if word in source:
        return True
    # An English word may be inflected differently (replace / replaced / replacing).
    return word.isascii() and len(word) >= 5 and word[:-2] in source


def fault(answer: str, fact: str, support: Sequence[str], lang: str, context: Sequence[str] = ()) -> str:
    """What is wrong with ``answer`` as a stand-in for the extractive ``fact`` (see the module
    docstring), or ``''`` when nothing is. ``support`` backs every word, number and code;
    ``context`` (the section heading, the product, the question) backs words only: a heading's
    "6" or a question's guess is no figure of the passage."""
    text = normalise(answer).strip()
    if not text:
        return "is empty"
    limit = max(MAX_CHARS.get(lang, MAX_CHARS["en"]), round(1.5 * len(fact)))
    if len(answer.strip()) > limit:
        return f"is too long to speak ({len(answer.strip())} characters, at most {limit})"
    source = normalise(" ".join(support))
    invented = sorted(_exact(text) - _exact(source))
    if invented:
        return f"names {', '.join(invented)}, which the passage does not"
    words = _content_words(text)
    around = f"{source} {normalise(' '.join(context))}"
    missing = [w for w in words if not _supported(w, around)]
    if len(missing) > MAX_UNSUPPORTED * len(words):
        return f"speaks of what the passage does not ({', '.join(missing[:4])})"
    figures = set(_NUMBER.findall(normalise(fact)))
    if figures and not figures & set(_NUMBER.findall(text)):
        return f"leaves out the passage's figures ({', '.join(sorted(figures))})"
    return ""
