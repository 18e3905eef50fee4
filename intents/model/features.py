"""Text features for the small intent model: character + word (+ zh pinyin) TF-IDF, zh and en.

A model's features are a JSON-able spec (one ``{"name", "kind", "ngram"}`` per vectorizer) so a
saved model rebuilds its analyzers from :mod:`intents.model.analyzers` without scikit-learn, which only
training imports (:func:`intents.training.fit.make_tfidf`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import partial
from typing import Any

from intents.model.analyzers import JiebaWords, char_ngrams, char_wb_ngrams, pinyin_tokens, word_ngrams

__all__ = ["build_analyzer", "detect_lang", "feature_spec", "normalize", "pinyin_tokens", "tokenizer", "words_en",
           "words_zh"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+(?:'\w+)?")
_PUNCT = re.compile(r"[\W_]+")


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


def words_zh(text: str, segmenter: JiebaWords) -> list[str]:
    """jieba words (CJK) plus latin/digit words."""
    return [w for w in segmenter.cut(text) if w.strip() and not _PUNCT.fullmatch(w)]


def feature_spec(lang: str, *, zh_words: bool = True, pinyin: bool = False) -> list[dict[str, Any]]:
    """char_wb 2-5 + word 1-2 grams (en); char 1-4 (+ jieba word 1-2 grams) (+ pinyin syllable
    1-2 grams: homophones and ASR slips share them) (zh)."""
    if lang != "zh":
        return [{"name": "char", "kind": "char_wb", "ngram": [2, 5]},
                {"name": "word", "kind": "words_en", "ngram": [1, 2]}]
    spec: list[dict[str, Any]] = [{"name": "char", "kind": "char", "ngram": [1, 4]}]
    if zh_words:
        spec.append({"name": "word", "kind": "words_zh", "ngram": [1, 2]})
    if pinyin:
        spec.append({"name": "pinyin", "kind": "pinyin", "ngram": [1, 2]})
    return spec


_KINDS = ("char", "char_wb", "words_en", "words_zh", "pinyin")


def tokenizer(kind: str, segmenter: JiebaWords | None) -> Callable[[str], list[str]]:
    """The word tokenizer of a word-feature ``kind`` (the same one training hands TfidfVectorizer)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown feature kind {kind!r}")
    if kind == "words_en":
        return words_en
    if kind == "pinyin":
        return pinyin_tokens
    if segmenter is None:
        raise ValueError("zh word features need the model's jieba dictionary")
    return partial(words_zh, segmenter=segmenter)


def build_analyzer(part: dict[str, Any], segmenter: JiebaWords | None = None) -> Callable[[str], list[str]]:
    """The tokens of one spec entry, exactly as its ``TfidfVectorizer`` analyses normalised text."""
    kind, (lo, hi) = part["kind"], part["ngram"]
    if kind == "char":
        return partial(char_ngrams, lo=lo, hi=hi)
    if kind == "char_wb":
        return partial(char_wb_ngrams, lo=lo, hi=hi)
    tokenize = tokenizer(kind, segmenter)
    return lambda text: word_ngrams(tokenize(text), lo, hi)
