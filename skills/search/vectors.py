"""Dense vectors beside the embedded index: exact cosine kNN by brute force.

At a home's scale (hundreds to a few thousand rows) one matrix product over the rows that
pass the filters costs well under a millisecond, so no approximate index is needed. Rows
keep their keyword values so filters apply before ranking, as Elasticsearch's ``knn.filter``
does. The rows persist in one ``.npz`` file, replaced atomically on every save.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

__all__ = ["VectorRows"]


class VectorRows:
    """Unit-length vectors by id, each with its keyword values (field -> values)."""

    def __init__(self, dims: int) -> None:
        self.dims = dims
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._matrix = np.zeros((0, dims), dtype=np.float32)
        self._keywords: list[dict[str, tuple[str, ...]]] = []

    def __len__(self) -> int:
        return len(self._ids)

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, keywords: Sequence[Mapping[str, tuple[str, ...]]]) -> None:
        self.delete([i for i in ids if i in self._pos])
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), self.dims)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms == 0, 1.0, norms)
        start = len(self._ids)
        self._ids.extend(ids)
        self._pos.update({doc_id: start + n for n, doc_id in enumerate(ids)})
        self._matrix = np.vstack([self._matrix, vectors])
        self._keywords.extend(dict(k) for k in keywords)

    def delete(self, ids: Sequence[str]) -> None:
        gone = {self._pos[i] for i in ids if i in self._pos}
        if not gone:
            return
        keep = [n for n in range(len(self._ids)) if n not in gone]
        self._ids = [self._ids[n] for n in keep]
        self._keywords = [self._keywords[n] for n in keep]
        self._matrix = self._matrix[keep]
        self._pos = {doc_id: n for n, doc_id in enumerate(self._ids)}

    def knn(self, vector: Sequence[float], k: int, filters: Mapping[str, tuple[str, ...]]) -> list[tuple[str, float]]:
        """The ``k`` rows most similar to ``vector`` among those matching every filter: (id, cosine)."""
        rows = [n for n, kw in enumerate(self._keywords)
                if all(set(kw.get(name, ())) & set(wanted) for name, wanted in filters.items())]
        if not rows or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query))
        if norm == 0.0:
            return []
        sims = self._matrix[rows] @ (query / norm)
        top = np.argsort(-sims, kind="stable")[:k]
        return [(self._ids[rows[t]], float(sims[t])) for t in top]

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, ids=np.array(self._ids, dtype=str), matrix=self._matrix,
                 keywords=np.array(json.dumps(self._keywords, ensure_ascii=False)))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, dims: int) -> VectorRows:
        rows = cls(dims)
        if not path.exists():
            return rows
        with np.load(path, allow_pickle=False) as data:
            rows._ids = [str(i) for i in data["ids"].tolist()]
            rows._matrix = data["matrix"].astype(np.float32).reshape(len(rows._ids), dims)
            rows._keywords = [{k: tuple(v) for k, v in kw.items()} for kw in json.loads(str(data["keywords"]))]
        rows._pos = {doc_id: n for n, doc_id in enumerate(rows._ids)}
        return rows
