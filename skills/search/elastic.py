"""The Elasticsearch backend, for deployments whose indexes outgrow one machine.

Uses the official 8.x client (``AsyncElasticsearch``; its major version must match the
server's). Each index is created with a strict mapping: the pre-analysed text fields use the
``whitespace`` analyzer (so no Chinese plugin is needed and the terms are exactly those the
embedded index sees), keyword fields are ``keyword``, the vector is a ``dense_vector`` with
cosine similarity, and the original fields travel as a non-indexed JSON string. One shard per
index keeps BM25 statistics global. BM25 is a ``multi_match`` (``best_fields``, as the
embedded index's per-field disjunction-max) with filters in filter context; kNN is the
top-level ``knn`` search with the same filters. Scores of kNN hits are turned back into
cosine similarity, as the embedded backend reports them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, TransportError
from elasticsearch.helpers import BulkIndexError, async_bulk

from .analysis import analyse
from .errors import SearchError, SearchErrorCode
from .schema import check_documents, filter_values, keyword_values, query_terms, search_fields
from .types import Document, Filters, Hit, IndexSchema

__all__ = ["ElasticBackend", "ElasticIndex", "index_body"]

_LOGGER = logging.getLogger(__name__)

_SOURCE = "doc_source"
_VECTOR = "doc_vector"


def index_body(schema: IndexSchema) -> dict[str, Any]:
    """Settings and mapping of an index for ``schema`` (what ``indices.create`` receives)."""
    clash = {_SOURCE, _VECTOR} & (set(schema.text) | set(schema.keywords) | set(schema.stored))
    if clash:
        raise SearchError(SearchErrorCode.SCHEMA, f"field names {sorted(clash)} are reserved by the backend")
    properties: dict[str, Any] = {_SOURCE: {"type": "keyword", "index": False, "doc_values": False}}
    properties.update({name: {"type": "text", "analyzer": "whitespace"} for name in schema.text})
    properties.update({name: {"type": "keyword"} for name in schema.keywords})
    if schema.vector_dims:
        properties[_VECTOR] = {"type": "dense_vector", "dims": schema.vector_dims, "index": True,
                               "similarity": "cosine"}
    return {
        "settings": {"number_of_shards": 1},
        "mappings": {"dynamic": "strict", "_meta": {"lingxi_schema": asdict(schema)}, "properties": properties},
    }


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Client exceptions become SearchErrors: down or overloaded is ``unavailable``, a refused
    request is ``rejected``."""
    try:
        yield
    except TransportError as exc:
        raise SearchError(SearchErrorCode.UNAVAILABLE, f"Elasticsearch is unreachable ({action}): {exc}") from exc
    except BulkIndexError as exc:
        raise SearchError(SearchErrorCode.REJECTED, f"{action}: {len(exc.errors)} documents refused: "
                                                    f"{exc.errors[:1]}") from exc
    except ApiError as exc:
        code = SearchErrorCode.UNAVAILABLE if exc.meta.status >= 500 else SearchErrorCode.REJECTED
        raise SearchError(code, f"Elasticsearch refused {action}: {exc.meta.status} {exc.message}") from exc


def _filter_clauses(filters: Mapping[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    return [{"terms": {name: list(values)}} for name, values in filters.items()]


class ElasticIndex:
    """One Elasticsearch index; see the module docstring."""

    def __init__(self, client: AsyncElasticsearch, name: str, schema: IndexSchema) -> None:
        self.client = client
        self.name = name
        self.schema = schema

    def _action(self, doc: Document) -> dict[str, Any]:
        body: dict[str, Any] = {_SOURCE: json.dumps(dict(doc.fields), ensure_ascii=False)}
        for name in self.schema.text:
            value = doc.fields.get(name)
            if value:
                body[name] = analyse(value if isinstance(value, str) else " ".join(map(str, value)))
        for name in self.schema.keywords:
            values = keyword_values(doc.fields.get(name))
            if values:
                body[name] = list(values)
        if self.schema.vector_dims:
            body[_VECTOR] = [float(x) for x in doc.vector or ()]
        return {"_op_type": "index", "_index": self.name, "_id": doc.id, "_source": body}

    async def upsert(self, documents: Sequence[Document]) -> None:
        check_documents(self.schema, documents)
        if not documents:
            return
        with _translated(f"indexing into {self.name}"):
            await async_bulk(self.client, [self._action(d) for d in documents], refresh=True)

    @staticmethod
    def _hits(response: Mapping[str, Any], cosine: bool = False) -> list[Hit]:
        hits = []
        for raw in response["hits"]["hits"]:
            score = float(raw["_score"])
            # Elasticsearch reports cosine kNN as (1 + cos) / 2 so scores stay positive.
            hits.append(Hit(raw["_id"], 2.0 * score - 1.0 if cosine else score,
                            json.loads(raw["_source"][_SOURCE])))
        return hits

    async def bm25(self, query: str, k: int, filters: Filters | None = None, fields: Sequence[str] = ()) -> list[Hit]:
        wanted = filter_values(self.schema, filters)
        boosted = [f"{name}^{boost:g}" for name, boost in search_fields(self.schema, fields)]
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        body = {"bool": {
            "must": [{"multi_match": {"query": " ".join(terms), "fields": boosted, "type": "best_fields"}}],
            "filter": _filter_clauses(wanted)}}
        with _translated(f"searching {self.name}"):
            response = await self.client.search(index=self.name, query=body, size=k, source_includes=[_SOURCE])
        return self._hits(response.body)

    async def knn(self, vector: Sequence[float], k: int, filters: Filters | None = None) -> list[Hit]:
        if not self.schema.vector_dims:
            raise SearchError(SearchErrorCode.SCHEMA, f"index {self.name!r} has no vectors")
        if len(vector) != self.schema.vector_dims:
            raise SearchError(SearchErrorCode.SCHEMA,
                              f"query vector of {len(vector)} values, index wants {self.schema.vector_dims}")
        if k <= 0:
            return []
        knn: dict[str, Any] = {"field": _VECTOR, "query_vector": [float(x) for x in vector], "k": k,
                               "num_candidates": max(100, 10 * k)}
        clauses = _filter_clauses(filter_values(self.schema, filters))
        if clauses:
            knn["filter"] = clauses
        with _translated(f"kNN search of {self.name}"):
            response = await self.client.search(index=self.name, knn=knn, size=k, source_includes=[_SOURCE])
        return self._hits(response.body, cosine=True)

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with _translated(f"deleting from {self.name}"):
            await self.client.delete_by_query(index=self.name, query={"ids": {"values": list(ids)}},
                                              refresh=True, conflicts="proceed")

    async def count(self, filters: Filters | None = None) -> int:
        clauses = _filter_clauses(filter_values(self.schema, filters))
        query = {"bool": {"filter": clauses}} if clauses else {"match_all": {}}
        with _translated(f"counting {self.name}"):
            response = await self.client.count(index=self.name, query=query)
        return int(response["count"])

    async def refresh(self) -> None:
        """Nothing to re-read: every process asks the same cluster, and writes wait for its refresh."""


class ElasticBackend:
    """Indexes in an Elasticsearch 8.x cluster at ``url``, named ``<index_prefix><name>``.

    ``client_options`` go to :class:`AsyncElasticsearch` (``api_key``, ``request_timeout``,
    ``max_retries``, or ``node_class`` to put another HTTP layer under the client).
    """

    name = "elasticsearch"

    def __init__(self, url: str, *, index_prefix: str = "lingxi-", **client_options: Any) -> None:
        self.url = url
        self.index_prefix = index_prefix
        self.client = AsyncElasticsearch(url, **client_options)
        self._open: dict[str, ElasticIndex] = {}

    async def open_index(self, name: str, schema: IndexSchema) -> ElasticIndex:
        if name in self._open:
            return self._open[name]
        full = f"{self.index_prefix}{name}"
        body = index_body(schema)
        with _translated(f"opening {full}"):
            if await self.client.indices.exists(index=full):
                mapping = await self.client.indices.get_mapping(index=full)
                built = mapping[full]["mappings"].get("_meta", {}).get("lingxi_schema")
                if built != json.loads(json.dumps(asdict(schema))):
                    raise SearchError(SearchErrorCode.SCHEMA, f"index {full!r} was built with another schema: {built}")
            else:
                await self.client.indices.create(index=full, **body)
                _LOGGER.info("created Elasticsearch index %s", full)
        self._open[name] = ElasticIndex(self.client, full, schema)
        return self._open[name]

    async def close(self) -> None:
        self._open.clear()
        await self.client.close()
