"""The search layer's contract: documents in, ranked hits out, the same for every backend.

Text fields are analysed by the layer itself (:mod:`skills.search.analysis`: jieba for
Chinese, lower-cased words for English) before they reach a backend, so the embedded
index and Elasticsearch see identical tokens. Keyword fields match exactly and filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class IndexSchema:
    """The fields of one index.

    ``text`` fields are searched by BM25; ``keywords`` fields are exact values used in
    filters (``home``, ``kind``, ``language``...); ``stored`` fields come back with a hit
    unchanged (any JSON value); ``vector_dims`` is the length of each document's dense
    vector, or 0 for an index without vectors.
    """

    text: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    stored: tuple[str, ...] = ()
    vector_dims: int = 0


@dataclass(frozen=True)
class Document:
    """One document: ``fields`` holds text, keyword and stored values by field name."""

    id: str
    fields: Mapping[str, Any]
    vector: Sequence[float] | None = None


@dataclass(frozen=True)
class Hit:
    """A ranked result; ``score`` is the backend's (BM25, cosine) or the fused score."""

    id: str
    score: float
    fields: Mapping[str, Any] = field(default_factory=dict)


#: Exact-match filters: field -> one value, or any of several.
Filters = Mapping[str, str | Sequence[str]]


class SearchIndex(Protocol):
    """One index of one backend."""

    async def upsert(self, documents: Sequence[Document]) -> None: ...

    async def bm25(self, query: str, k: int, filters: Filters | None = None, fields: Sequence[str] = ()) -> list[Hit]: ...

    async def knn(self, vector: Sequence[float], k: int, filters: Filters | None = None) -> list[Hit]: ...

    async def delete(self, ids: Sequence[str]) -> None: ...

    async def count(self, filters: Filters | None = None) -> int: ...

    async def refresh(self) -> None:
        """See what other processes wrote to the same storage since this index was opened (a
        ``kb add`` run beside a server); a no-op where the storage is already shared live."""
        ...


class SearchBackend(Protocol):
    """Where indexes live: the embedded engine in a data folder, or an Elasticsearch cluster."""

    name: str

    async def open_index(self, name: str, schema: IndexSchema) -> SearchIndex: ...

    async def close(self) -> None: ...
