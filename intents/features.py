"""Text features for the small intent model: character + word TF-IDF, zh and en.

Tokenizers are module-level functions so fitted vectorizers pickle.
"""

from __future__ import annotations

import re
import unicodedata

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

__all__ = ["detect_lang", "make_tfidf", "normalize", "words_en", "words_zh"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+(?:'\w+)?")


def detect_lang(texts) -> str:
    """``zh`` when more than a fifth of the sampled utterances contain CJK characters."""
    sample = list(texts)[:500]
    if not sample:
        return "en"
    n = sum(1 for t in sample if _CJK.search(t))
    return "zh" if n * 5 > len(sample) else "en"


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, collapsed spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def words_en(text: str) -> list[str]:
    return _WORD.findall(text)


_jieba = None


def words_zh(text: str) -> list[str]:
    """jieba words (CJK) plus latin/digit words; loaded lazily."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(60)
        _jieba = jieba
    return [w for w in _jieba.lcut(text) if w.strip() and not _PUNCT.fullmatch(w)]


_PUNCT = re.compile(r"[\W_]+")


def make_tfidf(lang: str, *, zh_words: bool = True) -> FeatureUnion:
    """char_wb 2-5 + word 1-2 grams (en); char 1-4 (+ jieba word 1-2 grams) (zh)."""
    if lang == "zh":
        parts = [
            ("char", TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True,
                                     lowercase=False, dtype=_f32())),
        ]
        if zh_words:
            parts.append(("word", TfidfVectorizer(tokenizer=words_zh, token_pattern=None,
                                                  lowercase=False, ngram_range=(1, 2),
                                                  sublinear_tf=True, dtype=_f32())))
    else:
        parts = [
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                     lowercase=False, dtype=_f32())),
            ("word", TfidfVectorizer(tokenizer=words_en, token_pattern=None, lowercase=False,
                                     ngram_range=(1, 2), sublinear_tf=True, dtype=_f32())),
        ]
    return FeatureUnion(parts)


def _f32():
    import numpy as np

    return np.float32
