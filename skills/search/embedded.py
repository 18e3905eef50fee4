"""The embedded backend: tantivy indexes in a data folder, nothing to start or run.

Each index is a folder ``<data_dir>/<name>/`` holding the tantivy index (``tantivy/``), its
dense vectors (``vectors.npz``, see :mod:`skills.search.vectors`) and the schema it was built
with (``schema.json``). Text arrives analysed (:mod:`skills.search.analysis`) and is indexed
with tantivy's whitespace tokenizer; keyword fields use the raw tokenizer and only filter;
each document's fields come back from a stored ``_source``. Re-opening the folder finds
everything again. tantivy is blocking: every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import tantivy

from .analysis import analyse
from .errors import SearchError, SearchErrorCode
from .schema import check_documents, filter_values, keyword_values, query_terms, search_fields
from .types import Document, Filters, Hit, IndexSchema
from .vectors import VectorRows

__all__ = ["EmbeddedBackend", "EmbeddedIndex"]

_LOGGER = logging.getLogger(__name__)

_ID = "_id"
_SOURCE = "_source"
#: tantivy's minimum writer heap per thread is 15 MB; batches here are small.
_WRITER_HEAP = 15_000_000


def _tantivy_schema(schema: IndexSchema) -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(_ID, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field(_SOURCE, stored=True, indexed=False)
    for name in schema.text:
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    for name in schema.keywords:
        builder.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    return builder.build()


class EmbeddedIndex:
    """One tantivy index plus its vectors; see the module docstring."""

    def __init__(self, folder: Path, schema: IndexSchema) -> None:
        self.folder = folder
        self.schema = schema
        self._tschema = _tantivy_schema(schema)
        (folder / "tantivy").mkdir(parents=True, exist_ok=True)
        self._index = tantivy.Index(self._tschema, path=str(folder / "tantivy"), reuse=True)
        self._vectors_path = folder / "vectors.npz"
        self._vectors = VectorRows.load(self._vectors_path, schema.vector_dims) if schema.vector_dims else None
        self._write_lock = asyncio.Lock()

    # -- writing -------------------------------------------------------------------------------

    def _write(self, delete_ids: Sequence[str], documents: Sequence[Document]) -> None:
        writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        try:
            for doc_id in delete_ids:
                writer.delete_documents_by_term(_ID, doc_id)
            for doc in documents:
                writer.add_document(self._tantivy_document(doc))
            writer.commit()
        finally:
            writer.wait_merging_threads()
        self._index.reload()
        if self._vectors is not None:
            self._vectors.delete(delete_ids)
            if documents:
                self._vectors.upsert([d.id for d in documents], np.asarray([d.vector for d in documents]),
                                     [self._keywords(d) for d in documents])
            self._vectors.save(self._vectors_path)

    def _tantivy_document(self, doc: Document) -> Any:
        tdoc = tantivy.Document()
        tdoc.add_text(_ID, doc.id)
        tdoc.add_bytes(_SOURCE, json.dumps(dict(doc.fields), ensure_ascii=False).encode("utf-8"))
        for name in self.schema.text:
            value = doc.fields.get(name)
            if value:
                tdoc.add_text(name, analyse(value if isinstance(value, str) else " ".join(map(str, value))))
        for name, values in self._keywords(doc).items():
            for value in values:
                tdoc.add_text(name, value)
        return tdoc

    def _keywords(self, doc: Document) -> dict[str, tuple[str, ...]]:
        return {name: keyword_values(doc.fields.get(name)) for name in self.schema.keywords}

    async def upsert(self, documents: Sequence[Document]) -> None:
        check_documents(self.schema, documents)
        if not documents:
            return
        async with self._write_lock:
            await asyncio.to_thread(self._write, [d.id for d in documents], documents)

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        async with self._write_lock:
            await asyncio.to_thread(self._write, list(ids), ())

    # -- reading -------------------------------------------------------------------------------

    def _filter_query(self, filters: Mapping[str, tuple[str, ...]]) -> Any | None:
        clauses = [(tantivy.Occur.Must, tantivy.Query.term_set_query(self._tschema, name, list(values)))
                   for name, values in filters.items()]
        if not clauses:
            return None
        # Filters narrow the set without adding to the score, like Elasticsearch's filter context.
        return tantivy.Query.const_score_query(tantivy.Query.boolean_query(clauses), 0.0)

    def _hits(self, searcher: Any, scored: Sequence[tuple[float, Any]]) -> list[Hit]:
        hits = []
        for score, address in scored:
            doc = searcher.doc(address)
            hits.append(Hit(doc.get_first(_ID), float(score), json.loads(bytes(doc.get_first(_SOURCE)))))
        return hits

    def _bm25(self, query: str, k: int, filters: Mapping[str, tuple[str, ...]], fields: list[tuple[str, float]]) -> list[Hit]:
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        per_field = []
        for name, boost in fields:
            q = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(self._tschema, name, t)) for t in terms])
            per_field.append(q if boost == 1.0 else tantivy.Query.boost_query(q, boost))
        text_query = per_field[0] if len(per_field) == 1 else tantivy.Query.disjunction_max_query(per_field)
        filter_query = self._filter_query(filters)
        if filter_query is not None:
            text_query = tantivy.Query.boolean_query([(tantivy.Occur.Must, text_query),
                                                      (tantivy.Occur.Must, filter_query)])
        searcher = self._index.searcher()
        result = searcher.search(text_query, limit=k, count=False)
        return self._hits(searcher, result.hits)

    async def bm25(self, query: str, k: int, filters: Filters | None = None, fields: Sequence[str] = ()) -> list[Hit]:
        wanted = filter_values(self.schema, filters)
        return await asyncio.to_thread(self._bm25, query, k, wanted, search_fields(self.schema, fields))

    def _fetch(self, scored: list[tuple[str, float]]) -> list[Hit]:
        if not scored:
            return []
        searcher = self._index.searcher()
        query = tantivy.Query.term_set_query(self._tschema, _ID, [doc_id for doc_id, _ in scored])
        found = {h.id: h for h in self._hits(searcher, searcher.search(query, limit=len(scored), count=False).hits)}
        return [Hit(doc_id, score, found[doc_id].fields) for doc_id, score in scored if doc_id in found]

    async def knn(self, vector: Sequence[float], k: int, filters: Filters | None = None) -> list[Hit]:
        rows = self._vectors
        if rows is None:
            raise SearchError(SearchErrorCode.SCHEMA, f"index {self.folder.name!r} has no vectors")
        if len(vector) != self.schema.vector_dims:
            raise SearchError(SearchErrorCode.SCHEMA,
                              f"query vector of {len(vector)} values, index wants {self.schema.vector_dims}")
        wanted = filter_values(self.schema, filters)
        return await asyncio.to_thread(lambda: self._fetch(rows.knn(vector, k, wanted)))

    def _reload(self) -> None:
        self._index.reload()
        if self._vectors is not None:
            self._vectors = VectorRows.load(self._vectors_path, self.schema.vector_dims)

    async def refresh(self) -> None:
        """Re-read the tantivy commit point and the vectors file another process may have replaced."""
        async with self._write_lock:
            await asyncio.to_thread(self._reload)

    def _count(self, filters: Mapping[str, tuple[str, ...]]) -> int:
        query = self._filter_query(filters) or tantivy.Query.all_query()
        result = self._index.searcher().search(query, limit=1, count=True)
        return int(result.count)  # type: ignore[attr-defined]  # the stub lacks ``count``; the result has it

    async def count(self, filters: Filters | None = None) -> int:
        wanted = filter_values(self.schema, filters)
        return await asyncio.to_thread(self._count, wanted)


class EmbeddedBackend:
    """Indexes in ``data_dir``; the same folder re-opened later has the same documents."""

    name = "embedded"

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self._open: dict[str, EmbeddedIndex] = {}

    def _open_index(self, name: str, schema: IndexSchema) -> EmbeddedIndex:
        folder = self.data_dir / name
        schema_file = folder / "schema.json"
        wanted = asdict(schema)
        try:
            if schema_file.exists():
                built = json.loads(schema_file.read_text(encoding="utf-8"))
                if {k: tuple(v) if isinstance(v, list) else v for k, v in built.items()} != wanted:
                    raise SearchError(SearchErrorCode.SCHEMA,
                                      f"index {name!r} in {folder} was built with another schema: {built}")
            elif folder.exists():
                # A folder without its schema file is a half-created index: start it afresh.
                shutil.rmtree(folder)
            index = EmbeddedIndex(folder, schema)
            schema_file.write_text(json.dumps(wanted), encoding="utf-8")
        except OSError as exc:
            raise SearchError(SearchErrorCode.STORAGE, f"cannot open index {name!r} in {folder}: {exc}") from exc
        _LOGGER.info("embedded index %s opened in %s", name, folder)
        return index

    async def open_index(self, name: str, schema: IndexSchema) -> EmbeddedIndex:
        if name not in self._open:
            self._open[name] = await asyncio.to_thread(self._open_index, name, schema)
        elif self._open[name].schema != schema:
            raise SearchError(SearchErrorCode.SCHEMA, f"index {name!r} is already open with another schema")
        return self._open[name]

    async def close(self) -> None:
        self._open.clear()
