"""The small intent model's n-gram analyzers and zh word segmenter, without scikit-learn.

Loading and running a trained model must not import scikit-learn (about 1.5 s) or build
jieba's dictionary (about 1 s), so inference uses these instead of ``TfidfVectorizer``'s
analyzers. They reproduce scikit-learn's ``_char_ngrams``, ``_char_wb_ngrams`` and
``_word_ngrams`` token for token (``tests/intents/test_analyzers.py`` checks that on the
training and held-out data), because the model's vocabulary was built by them at training time.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

__all__ = ["JiebaWords", "char_ngrams", "char_wb_ngrams", "pinyin_tokens", "word_ngrams"]

_WHITE_SPACES = re.compile(r"\s\s+")


def char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Character n-grams over the whole text (scikit-learn ``analyzer="char"``)."""
    text = _WHITE_SPACES.sub(" ", text)
    n_chars = len(text)
    return [text[i:i + n] for n in range(lo, min(hi, n_chars) + 1) for i in range(n_chars - n + 1)]


def char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Character n-grams inside each space-padded word (scikit-learn ``analyzer="char_wb"``).

    A word no longer than ``n`` (padding included) yields itself once and no longer n-grams."""
    out: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        w = f" {word} "
        size = len(w)
        for n in range(lo, hi + 1):
            out.extend(w[i:i + n] for i in range(max(size - n, 0) + 1))
            if size <= n:
                break
    return out


def word_ngrams(tokens: list[str], lo: int, hi: int) -> list[str]:
    """Token n-grams joined by one space (scikit-learn's word analyzer after its tokenizer)."""
    return [" ".join(tokens[i:i + n]) for n in range(lo, min(hi, len(tokens)) + 1)
            for i in range(len(tokens) - n + 1)]


def pinyin_tokens(text: str) -> list[str]:
    """Tone-less pinyin, one token a CJK character (pypinyin's ``lazy_pinyin``); a run of other
    characters stays one token as ``lazy_pinyin`` leaves it, whitespace-only runs are dropped.

    Training and inference both call this very function (the pinyin block's ``TfidfVectorizer``
    tokenizer, :func:`word_ngrams` at inference), so only ``pypinyin``'s version must match
    (pinned in setup.cfg; ``intents.vocabulary`` imports it anyway)."""
    from pypinyin import lazy_pinyin

    return [p for p in lazy_pinyin(text) if p.strip()]


class JiebaWords:
    """jieba's own segmentation (``lcut``, HMM on) over a copy of its prefix dictionary held as a
    sorted key list searched by bisection.

    jieba builds that dictionary as a 500k-entry dict (about 1 s per process, from its text file or
    its marshal cache); a model carries the copy it was trained with instead, which loads in about
    0.1 s. jieba's ``Tokenizer`` reads the dictionary only through ``in``, ``[]`` and ``get``, so
    the words are exactly jieba's (``tests/intents/test_analyzers.py`` compares them)."""

    def __init__(self, keys: list[str], freqs: Sequence[int], total: int) -> None:
        import jieba  # its HMM tables only: ~30 ms

        self.keys, self.freqs, self.total = keys, freqs, total
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.FREQ = _SortedFreq(keys, freqs)
        self._tokenizer.total = total
        self._tokenizer.initialized = True

    @classmethod
    def from_jieba(cls) -> JiebaWords:
        """A copy of the installed jieba's default dictionary (loads it: training only)."""
        import jieba

        jieba.setLogLevel(60)
        jieba.dt.check_initialized()
        keys = sorted(jieba.dt.FREQ)
        return cls(keys, [jieba.dt.FREQ[k] for k in keys], jieba.dt.total)

    def cut(self, text: str) -> list[str]:
        return self._tokenizer.lcut(text)


class _SortedFreq:
    """The part of the ``dict`` interface jieba's ``Tokenizer`` uses on its ``FREQ``."""

    def __init__(self, keys: list[str], freqs: Sequence[int]) -> None:
        self._keys, self._freqs = keys, freqs

    def _index(self, key: str) -> int:
        i = bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else -1

    def __contains__(self, key: str) -> bool:
        return self._index(key) >= 0

    def __getitem__(self, key: str) -> int:
        i = self._index(key)
        if i < 0:
            raise KeyError(key)
        return int(self._freqs[i])

    def get(self, key: str, default: int | None = None) -> int | None:
        i = self._index(key)
        return int(self._freqs[i]) if i >= 0 else default
