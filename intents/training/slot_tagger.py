"""A small, fast slot tagger: linear-chain CRF (python-crfsuite) over context-window features.

Tokens are whitespace words (en) or single characters (zh). Slots go in and come out as character
spans ``(label, start, end)`` over the text; internally the tagger uses BIO tags.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["SlotTagger", "tokenize"]

ARTIFACT_KIND = "lingxi-slot-tagger"
ARTIFACT_VERSION = 1

_TOK = re.compile(r"\S+")


def tokenize(text: str, lang: str) -> list[tuple[str, int, int]]:
    if lang == "zh":
        return [(c, i, i + 1) for i, c in enumerate(text) if not c.isspace()]
    return [(m.group(), m.start(), m.end()) for m in _TOK.finditer(text)]


def _shape(w: str) -> str:
    s = re.sub(r"[A-Z]", "A", w)
    s = re.sub(r"[a-z]", "a", s)
    s = re.sub(r"[0-9]", "0", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _features_en(toks: Sequence[str]) -> list[list[str]]:
    low = [t.lower() for t in toks]
    n = len(low)
    feats = []
    for i, w in enumerate(low):
        f = ["b", "w=" + w, "p3=" + w[:3], "s3=" + w[-3:], "s2=" + w[-2:], "sh=" + _shape(toks[i]),
             "pos=" + str(min(i, 5)), "rpos=" + str(min(n - 1 - i, 5))]
        if w.isdigit():
            f.append("digit")
        for k in (-2, -1, 1, 2):
            j = i + k
            f.append(f"w{k}=" + (low[j] if 0 <= j < n else ("<s>" if j < 0 else "</s>")))
        f.append("b-1=" + (low[i - 1] if i else "<s>") + "|" + w)
        f.append("b+1=" + w + "|" + (low[i + 1] if i + 1 < n else "</s>"))
        if i > 1:
            f.append("t-2=" + low[i - 2] + "|" + low[i - 1] + "|" + w)
        feats.append(f)
    return feats


def _features_zh(chars: Sequence[str]) -> list[list[str]]:
    text = "".join(chars)
    # jieba word position of each character: B/M/E/S + the word itself
    wpos: list[tuple[str, str]] = []
    for w in _jieba_cut(text):
        if len(w) == 1:
            wpos.append(("S", w))
        else:
            wpos += [("B", w)] + [("M", w)] * (len(w) - 2) + [("E", w)]
    if len(wpos) != len(chars):
        wpos = [("S", c) for c in chars]
    n = len(chars)
    feats = []
    for i, c in enumerate(chars):
        pad = lambda j: chars[j] if 0 <= j < n else ("<s>" if j < 0 else "</s>")  # noqa: E731
        f = ["b", "c=" + c, "wp=" + wpos[i][0], "w=" + wpos[i][1], "wpc=" + wpos[i][0] + c]
        if c.isdigit():
            f.append("digit")
        for k in (-3, -2, -1, 1, 2, 3):
            f.append(f"c{k}=" + pad(i + k))
        f.append("b-1=" + pad(i - 1) + c)
        f.append("b+1=" + c + pad(i + 1))
        f.append("t=" + pad(i - 1) + c + pad(i + 1))
        f.append("b-2=" + pad(i - 2) + pad(i - 1))
        f.append("b+2=" + pad(i + 1) + pad(i + 2))
        feats.append(f)
    return feats


_jieba = None


def _jieba_cut(text: str) -> list[str]:
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(60)
        _jieba = jieba
    return [w for w in _jieba.lcut(text) if not w.isspace()]


class SlotTagger:
    def __init__(self, *, lang: str = "en", c1: float = 0.05, c2: float = 0.01,
                 max_iterations: int = 80) -> None:
        self.lang = lang
        self.c1, self.c2, self.max_iterations = c1, c2, max_iterations
        self._model: bytes | None = None
        self._tagger = None

    def _feats(self, toks: Sequence[str]) -> list[list[str]]:
        return _features_zh(toks) if self.lang == "zh" else _features_en(toks)

    def fit(self, texts: Sequence[str], slots: Sequence[Sequence[tuple[str, int, int]]]) -> SlotTagger:
        import pycrfsuite

        tr = pycrfsuite.Trainer(verbose=False)
        for text, sl in zip(texts, slots):
            toks = tokenize(text, self.lang)
            if not toks:
                continue
            tags = ["O"] * len(toks)
            for label, s, e in sl:
                inside = [k for k, (_, ts, te) in enumerate(toks) if ts < e and te > s]
                for n, k in enumerate(inside):
                    tags[k] = ("B-" if n == 0 else "I-") + label
            tr.append(self._feats([t for t, _, _ in toks]), tags)
        tr.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                       "feature.possible_transitions": True})
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "m.crfsuite"
            tr.train(str(f))
            self._model = f.read_bytes()
        self._tagger = None
        return self

    def _get_tagger(self):
        if self._tagger is None:
            import pycrfsuite

            if self._model is None:
                raise RuntimeError("SlotTagger is not fitted")
            t = pycrfsuite.Tagger()
            t.open_inmemory(self._model)
            self._tagger = t
        return self._tagger

    def predict(self, texts: Sequence[str]) -> list[tuple[tuple[str, int, int], ...]]:
        from intents.training.datasets import tags_to_spans

        tagger = self._get_tagger()
        out = []
        for text in texts:
            toks = tokenize(text, self.lang)
            if not toks:
                out.append(())
                continue
            tags = tagger.tag(self._feats([t for t, _, _ in toks]))
            out.append(tags_to_spans(tags, [(s, e) for _, s, e in toks]))
        return out

    def __getstate__(self):
        return {"lang": self.lang, "c1": self.c1, "c2": self.c2,
                "max_iterations": self.max_iterations, "_model": self._model}

    def __setstate__(self, st):
        self.__dict__.update(st)
        self._tagger = None

    def save(self, path: Path | str) -> Path:
        import joblib

        path = Path(path)
        joblib.dump({"meta": {"kind": ARTIFACT_KIND, "version": ARTIFACT_VERSION, "lang": self.lang},
                     "model": self}, path)
        return path

    @classmethod
    def load(cls, path: Path | str) -> SlotTagger:
        import joblib

        blob = joblib.load(Path(path))
        meta = blob.get("meta", {})
        if meta.get("kind") != ARTIFACT_KIND or meta.get("version") != ARTIFACT_VERSION:
            raise ValueError(f"{path} is not a slot-tagger artifact of version {ARTIFACT_VERSION}")
        return blob["model"]
