"""Text forms that make names comparable despite ASR slips, typos and script differences.

A name becomes a *normal* string (simplified characters, lower case, roman numerals as digits,
no punctuation), then *keys*: loose pinyin syllables and their pairs for Chinese (so 周杰轮 meets
周杰伦 and 青天 meets 晴天), whole words and boundary-marked character trigrams for Latin text
(so "shap of you" still meets "shape of you"). The index and the reranker share these keys.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from hanziconv import HanziConv
from pypinyin import Style, lazy_pinyin

_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
_ROMAN_WORD = re.compile(r"\b(?:ii|iii|iv|vi|vii|viii|ix)\b")
_CJK = re.compile(r"[\u3400-\u9fff]")
#: Runs of Chinese characters, or of Latin letters/digits: what the key builders walk.
_RUNS = re.compile(r"[\u3400-\u9fff]+|[a-z0-9']+")
#: Initials and finals an ASR (and a southern accent) confuse; folding them makes homophones meet.
_LOOSE_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("f", "h"))
_LOOSE_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


@lru_cache(maxsize=65536)
def normal(text: str) -> str:
    """Simplified, lower-cased, punctuation as spaces, roman numerals II-IX as digits."""
    text = HanziConv.toSimplified(unicodedata.normalize("NFKC", text)).lower().replace("&", " and ")
    text = "".join(ch if ch.isalnum() or ch == "'" else " " for ch in text)
    text = _ROMAN_WORD.sub(lambda m: _ROMAN[m.group(0)], text)
    return " ".join(text.split())


def compact(text: str) -> str:
    """The normal form without spaces or apostrophes ("Shape of You" -> "shapeofyou")."""
    return normal(text).replace(" ", "").replace("'", "")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=16384)
def _syllables(run: str) -> tuple[str, ...]:
    return tuple(_loose(s) for s in lazy_pinyin(run, style=Style.NORMAL, errors="ignore"))


def _loose(syllable: str) -> str:
    for strict, loose in _LOOSE_INITIALS:
        if syllable.startswith(strict):
            syllable = loose + syllable[len(strict):]
            break
    for strict, loose in _LOOSE_FINALS:
        if syllable.endswith(strict):
            return syllable[: -len(strict)] + loose
    return syllable


def pinyin(text: str) -> str:
    """Loose toneless pinyin of the Chinese in ``text``, syllables joined by spaces."""
    return " ".join(s for run in _RUNS.findall(normal(text)) if _CJK.match(run) for s in _syllables(run))


@lru_cache(maxsize=65536)
def keys(text: str) -> frozenset[str]:
    """Index keys of a name or query (see the module docstring)."""
    out: set[str] = set()
    for run in _RUNS.findall(normal(text)):
        if _CJK.match(run):
            syl = _syllables(run)
            out.update("p:" + s for s in syl)
            out.update(f"b:{a}{b}" for a, b in pairwise(syl))
        else:
            word = run.replace("'", "")
            if not word:
                continue
            out.add("w:" + word)
            padded = f"^{word}$"
            out.update("t:" + padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(out)


def edit_ratio(a: str, b: str) -> float:
    """1 - edit distance / longer length on compact forms; a swap of neighbours ("yuo") is one edit."""
    a, b = compact(a), compact(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return 1 - previous[-1] / max(len(a), len(b))
