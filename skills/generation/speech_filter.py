"""Keeps generated text fit to be spoken in a home: no unsafe words, no markup, a bounded length.

A blocklist, not a classifier: the small local models here cannot judge content reliably, and a
word list is predictable and testable. The kids' list is stricter (a speaker in a kids' room, or
a request for children).
"""

from __future__ import annotations

import re

_BLOCKED = (
    "自杀", "自残", "毒品", "吸毒", "炸弹", "枪支", "色情", "裸体", "强奸", "杀人",
    "suicide", "self-harm", "cocaine", "heroin", "meth", "bomb", "porn", "nude", "rape", "kill yourself",
)
_BLOCKED_FOR_KIDS = (
    *_BLOCKED, "死", "血", "鬼", "恐怖", "杀", "酒", "烟",
    "dead", "death", "blood", "ghost", "horror", "kill", "beer", "wine", "cigarette", "drunk",
)
_MARKUP = re.compile(r"[*#`_>|~]+|\[(?:[^\]]*)\]\([^)]*\)")
_SENTENCE_END = re.compile(r"[。！？!?.；;]")


def blocked_word(text: str, for_kids: bool) -> str | None:
    """The first word of the list in ``text`` (case-insensitive), or None when it is fine."""
    lowered = text.lower()
    for word in _BLOCKED_FOR_KIDS if for_kids else _BLOCKED:
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word), lowered):
            return word
    return None


def speakable(text: str, max_chars: int) -> str:
    """Markup removed, whitespace collapsed, cut at the last sentence end within ``max_chars``."""
    plain = re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip()
    if len(plain) <= max_chars:
        return plain
    head = plain[:max_chars]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    return head[: ends[-1]] if ends and ends[-1] > max_chars // 3 else head.rstrip() + "…"
