"""An in-memory Elasticsearch 8.x at the client's HTTP seam, for tests and the benchmark.

:class:`FakeElasticsearchNode` replaces the HTTP node of the official client
(``AsyncElasticsearch(url, node_class=...)``): the real client builds every request (path,
query string, JSON or NDJSON body, headers) and parses every answer, and the fake answers what
an 8.x server answers to the calls the search layer makes — index create/exists/mapping, bulk,
search with ``bool``/``multi_match``/``terms``/``ids``/``match_all`` and top-level ``knn``,
``delete_by_query``, ``count`` — with the same JSON shapes, status codes and headers
(``X-Elastic-Product``). Text fields are split on whitespace (the ``whitespace`` analyzer),
scored with Lucene's BM25 (k1 = 1.2, b = 0.75, one shard); strict mappings refuse unknown
fields as the server does. It is a behavioural stand-in, not a search engine to deploy.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
from elastic_transport import ApiResponseMeta, BaseAsyncNode, HttpHeaders, NodeConfig
from elastic_transport._node import NodeApiResponse

__all__ = ["FakeCluster", "FakeElasticsearchNode", "fake_node_class"]

_K1, _B = 1.2, 0.75


@dataclass
class _Index:
    mappings: dict[str, Any]
    settings: dict[str, Any]
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def field_type(self, name: str) -> str | None:
        spec = self.mappings.get("properties", {}).get(name)
        return None if spec is None else spec.get("type")


@dataclass
class FakeCluster:
    """The state one fake cluster keeps across clients (indexes by name)."""

    indexes: dict[str, _Index] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)


def _error(status: int, kind: str, reason: str, index: str | None = None) -> tuple[int, dict[str, Any]]:
    cause = {"type": kind, "reason": reason, **({"index": index} if index else {})}
    return status, {"error": {"root_cause": [cause], **cause}, "status": status}


class _Search:
    """Query evaluation over one index: which documents match, with what score."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.docs = index.docs

    def _terms(self, doc: Mapping[str, Any], name: str) -> list[str]:
        value = doc.get(name)
        return value.split() if isinstance(value, str) else []

    def _bm25(self, name: str, terms: list[str]) -> dict[str, float]:
        with_field = {i: self._terms(d, name) for i, d in self.docs.items() if name in d}
        n_docs = len(with_field)
        if not n_docs:
            return {}
        avg = sum(len(t) for t in with_field.values()) / n_docs
        scores: dict[str, float] = {}
        for term in terms:
            having = [i for i, toks in with_field.items() if term in toks]
            idf = math.log(1 + (n_docs - len(having) + 0.5) / (len(having) + 0.5))
            for i in having:
                freq = with_field[i].count(term)
                norm = freq + _K1 * (1 - _B + _B * len(with_field[i]) / avg)
                scores[i] = scores.get(i, 0.0) + idf * freq / norm
        return scores

    def run(self, query: Mapping[str, Any]) -> dict[str, float]:
        """Matching document ids -> score (0 for pure filters)."""
        (kind, spec), = query.items()
        if kind == "match_all":
            return {i: 1.0 for i in self.docs}
        if kind == "ids":
            return {i: 1.0 for i in spec["values"] if i in self.docs}
        if kind == "terms":
            (name, values), = spec.items()
            wanted = set(values)
            return {i: 1.0 for i, d in self.docs.items()
                    if wanted & set(d.get(name) if isinstance(d.get(name), list) else [d.get(name)])}
        if kind == "multi_match":
            terms = spec["query"].split()
            best: dict[str, float] = {}
            for f in spec["fields"]:
                name, _, boost = f.partition("^")
                for i, s in self._bm25(name, terms).items():
                    best[i] = max(best.get(i, 0.0), s * (float(boost) if boost else 1.0))
            return best
        if kind == "bool":
            return self._bool(spec)
        raise ValueError(f"[{kind}] query malformed, no start_object after query name")

    def _bool(self, spec: Mapping[str, Any]) -> dict[str, float]:
        def clauses(key: str) -> list[Mapping[str, Any]]:
            value = spec.get(key, [])
            return [value] if isinstance(value, Mapping) else list(value)

        result: dict[str, float] | None = None
        for clause in clauses("must") + clauses("filter"):
            scored = self.run(clause)
            keep = clause in clauses("must")
            if result is None:
                result = {i: (s if keep else 0.0) for i, s in scored.items()}
            else:
                result = {i: result[i] + (scored[i] if keep else 0.0) for i in result if i in scored}
        should = [self.run(c) for c in clauses("should")]
        if result is None:
            result = {}
            for scored in should:
                for i, s in scored.items():
                    result[i] = result.get(i, 0.0) + s
            return result
        for scored in should:
            for i in result:
                result[i] += scored.get(i, 0.0)
        for clause in clauses("must_not"):
            for i in self.run(clause):
                result.pop(i, None)
        return result

    def knn(self, spec: Mapping[str, Any]) -> dict[str, float]:
        allowed = set(self.docs)
        for clause in spec.get("filter", []) if not isinstance(spec.get("filter"), Mapping) else [spec["filter"]]:
            allowed &= set(self.run(clause))
        query = np.asarray(spec["query_vector"], dtype=np.float64)
        query = query / (np.linalg.norm(query) or 1.0)
        scores = {}
        for i in allowed:
            vector = self.docs[i].get(spec["field"])
            if vector is None:
                continue
            v = np.asarray(vector, dtype=np.float64)
            cosine = float(v @ query / (np.linalg.norm(v) or 1.0))
            scores[i] = (1.0 + cosine) / 2.0
        top = sorted(scores, key=lambda i: -scores[i])[: spec["k"]]
        return {i: scores[i] for i in top}


class FakeElasticsearchNode(BaseAsyncNode):
    """The client's HTTP node, answering from :attr:`cluster` instead of the network."""

    _CLIENT_META_HTTP_CLIENT = ("fake", "1")
    cluster: FakeCluster = FakeCluster()

    def __init__(self, config: NodeConfig) -> None:
        super().__init__(config)

    async def close(self) -> None:
        return None

    async def perform_request(self, method: str, target: str, body: bytes | None = None,
                              headers: HttpHeaders | None = None, request_timeout: Any = None) -> NodeApiResponse:
        started = time.perf_counter()
        url = urlsplit(target)
        path = [unquote(p) for p in url.path.strip("/").split("/") if p]
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        self.cluster.requests.append((method, url.path))
        try:
            status, answer = self._route(method, path, params, body or b"")
        except (KeyError, ValueError, TypeError) as exc:
            status, answer = _error(400, "parsing_exception", str(exc))
        meta = ApiResponseMeta(
            status=status, http_version="1.1", duration=time.perf_counter() - started, node=self.config,
            headers=HttpHeaders({"content-type": "application/vnd.elasticsearch+json;compatible-with=8",
                                 "x-elastic-product": "Elasticsearch"}))
        return NodeApiResponse(meta, b"" if method == "HEAD" else json.dumps(answer).encode())

    # -- routes --------------------------------------------------------------------------------

    def _route(self, method: str, path: list[str], params: dict[str, str], body: bytes) -> tuple[int, Any]:
        indexes = self.cluster.indexes
        if path and path[-1] == "_bulk":
            return self._bulk(body)
        if not path:
            return 200, {"version": {"number": "8.19.3"}, "tagline": "You Know, for Search"}
        name = path[0]
        if len(path) == 1 and method == "HEAD":
            return (200 if name in indexes else 404), {}
        if len(path) == 1 and method == "PUT":
            if name in indexes:
                return _error(400, "resource_already_exists_exception", f"index [{name}] already exists", name)
            request = json.loads(body or b"{}")
            indexes[name] = _Index(request.get("mappings", {}), request.get("settings", {}))
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
        if name not in indexes:
            return _error(404, "index_not_found_exception", f"no such index [{name}]", name)
        index = indexes[name]
        request = json.loads(body or b"{}")
        op = path[1] if len(path) > 1 else ""
        if op == "_mapping":
            return 200, {name: {"mappings": index.mappings}}
        if op == "_search":
            return self._search(name, index, request, params)
        if op == "_count":
            matched = _Search(index).run(request.get("query", {"match_all": {}}))
            return 200, {"count": len(matched), "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}
        if op == "_delete_by_query":
            matched = _Search(index).run(request["query"])
            for i in matched:
                del index.docs[i]
            return 200, {"took": 1, "timed_out": False, "total": len(matched), "deleted": len(matched), "batches": 1,
                         "version_conflicts": 0, "noops": 0, "failures": []}
        return _error(405, "illegal_argument_exception", f"unsupported {method} /{'/'.join(path)}")

    def _bulk(self, body: bytes) -> tuple[int, Any]:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items, errors, i = [], False, 0
        while i < len(lines):
            (op, target), = lines[i].items()
            name, doc_id = target["_index"], target["_id"]
            index = self.cluster.indexes.get(name)
            source = lines[i + 1] if op in ("index", "create") else None
            i += 2 if source is not None else 1
            unknown = [] if index is None or source is None else \
                [f for f in source if index.field_type(f) is None]
            if index is None or unknown:
                errors = True
                kind, reason = (("index_not_found_exception", f"no such index [{name}]") if index is None else
                                ("strict_dynamic_mapping_exception",
                                 f"mapping set to strict, dynamic introduction of [{unknown[0]}] is not allowed"))
                items.append({op: {"_index": name, "_id": doc_id, "status": 404 if index is None else 400,
                                   "error": {"type": kind, "reason": reason}}})
                continue
            if op == "delete":
                found = index.docs.pop(doc_id, None) is not None
                items.append({op: {"_index": name, "_id": doc_id, "result": "deleted" if found else "not_found",
                                   "status": 200 if found else 404}})
                continue
            created = doc_id not in index.docs
            index.docs[doc_id] = source
            items.append({op: {"_index": name, "_id": doc_id, "_version": 1, "result": "created" if created else "updated",
                               "_shards": {"total": 1, "successful": 1, "failed": 0}, "status": 201 if created else 200}})
        return 200, {"took": 1, "errors": errors, "items": items}

    def _search(self, name: str, index: _Index, request: Mapping[str, Any], params: Mapping[str, str]) -> tuple[int, Any]:
        search = _Search(index)
        if "knn" in request:
            scores = search.knn(request["knn"])
        else:
            scores = search.run(request.get("query", {"match_all": {}}))
        order = sorted(scores, key=lambda i: -scores[i])
        size = int(request.get("size", 10))
        wanted = request.get("_source")
        if "_source_includes" in params:
            wanted = params["_source_includes"].split(",")
        hits = []
        for i in order[:size]:
            source = index.docs[i]
            if isinstance(wanted, list):
                source = {k: v for k, v in source.items() if k in wanted}
            hits.append({"_index": name, "_id": i, "_score": scores[i], "_source": source})
        return 200, {"took": 1, "timed_out": False,
                     "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                     "hits": {"total": {"value": len(order), "relation": "eq"},
                              "max_score": scores[order[0]] if order else None, "hits": hits}}


def fake_node_class(cluster: FakeCluster | None = None) -> type[FakeElasticsearchNode]:
    """A node class answering from ``cluster`` (a fresh one by default): pass it as
    ``AsyncElasticsearch(..., node_class=...)``; clients sharing it see the same indexes."""
    return type("FakeElasticsearchNode", (FakeElasticsearchNode,), {"cluster": cluster or FakeCluster()})
