"""The knowledge base: every home's documents in one search index, each home seeing its own.

Chunks (units of answer, :mod:`.chunking`) go into one index with a ``home`` keyword (``*`` for
the shipped manuals) and a ``doc`` keyword; every search filters on the asking home and ``*``,
so a home's own documents never reach another home. The catalog (:mod:`.catalog`) and, for the
embedded backend, the index live in the data folder given to the constructor, so a restart
keeps everything. Retrieval is hybrid: BM25 over the analysed text and kNN over e5 vectors,
fused by reciprocal rank on the client, the same for either backend.

The data folder may be shared by a running server and ``assistant kb add``/``remove``: writes
take the folder's lock (:mod:`.folder`) and re-read what another process changed first, and
:meth:`KnowledgeBase.refresh` (called before each question) picks up a changed catalog, so a
document added beside a running server is answerable at its next question.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from skills.search.analysis import normalise
from skills.search.backends import open_backend
from skills.search.embeddings import TextEncoder, shared_encoder
from skills.search.fusion import reciprocal_rank_fusion
from skills.search.types import Document, Hit, IndexSchema, SearchBackend, SearchIndex

from .catalog import SHARED_HOME, Catalog, DocumentInfo
from .chunking import Chunk, DocumentMeta, chunk_source, document_meta, error_codes, passage_text
from .documents import SourceText, read_source
from .errors import KnowledgeError, KnowledgeErrorCode
from .folder import FolderLock, Stamp, stamp
from .shipped import MANUALS_DIR, VECTORS_FILE, VectorCache, shipped_manuals

__all__ = ["INDEX_NAME", "SCHEMA", "KnowledgeBase", "Passage"]

_LOGGER = logging.getLogger(__name__)

INDEX_NAME = "knowledge"
SCHEMA = IndexSchema(
    text=("body", "section", "product"),
    keywords=("home", "doc", "codes"),
    stored=("kind", "cells", "lang", "ordinal"),
    vector_dims=384,
)


@dataclass(frozen=True)
class Passage:
    """A unit of answer found for a question.

    ``score`` is the fused (RRF) score; ``cosine`` the similarity of its vector to the
    question's when the kNN search saw it, else ``None``; the rest describes the unit
    (see :class:`.chunking.Chunk`) and its document.
    """

    doc: str
    section: str
    kind: str
    text: str
    cells: tuple[tuple[str, str], ...]
    lang: str
    info: DocumentInfo
    score: float
    cosine: float | None


def _doc_id(file_name: str) -> str:
    stem = re.sub(r"\.(md|markdown|txt|text|pdf)$", "", file_name.lower())
    return re.sub(r"[^0-9a-z_.\u4e00-\u9fff-]+", "-", stem).strip("-.") or "document"


class KnowledgeBase:
    """Documents per home over one search index; see the module docstring.

    ``data_dir`` holds the catalog and the embedded indexes; ``backend`` defaults to the one
    :func:`skills.search.backends.open_backend` chooses (``$LINGXI_SEARCH_URL``); ``encoder`` to
    the process's shared e5 encoder. Call :meth:`start` once before anything else.
    """

    def __init__(self, data_dir: Path | str, *, backend: SearchBackend | None = None,
                 encoder: TextEncoder | None = None, manuals_dir: Path = MANUALS_DIR,
                 vectors_file: Path = VECTORS_FILE) -> None:
        self.data_dir = Path(data_dir)
        self.backend = backend or open_backend(self.data_dir / "indexes")
        self.encoder = encoder or shared_encoder()
        self.manuals_dir = manuals_dir
        self.vectors_file = vectors_file
        catalog = self.data_dir / "catalog.json"
        self._stamp: Stamp | None = stamp(catalog)  # taken before reading: a change in between reads again
        self.catalog = Catalog(catalog)
        self._texts: dict[tuple[str, str], str] = {}
        self._index: SearchIndex | None = None
        self._lock = asyncio.Lock()

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            raise RuntimeError("KnowledgeBase.start() was not awaited")
        return self._index

    async def start(self) -> None:
        """Open the index and (re)index the shipped manuals that are new or changed."""
        self._index = await self.backend.open_index(INDEX_NAME, SCHEMA)
        cache = VectorCache.load(self.vectors_file, self.encoder.name)
        async with self._writing():
            present = set()
            for path in shipped_manuals(self.manuals_dir):
                source = await read_source(path)
                doc = _doc_id(path.name)
                present.add(doc)
                known = self.catalog.get(SHARED_HOME, doc)
                if known and known.sha256 == source.sha256 and self._text_file(SHARED_HOME, doc).exists() \
                        and await self.index.count({"home": SHARED_HOME, "doc": doc}) == known.chunks:
                    continue
                await self._index_document(SHARED_HOME, doc, source, (), cache)
            for info in self.catalog.visible(SHARED_HOME):
                if info.shared and info.doc not in present:
                    await self.index.delete(info.chunk_ids())
                    self.catalog.drop(SHARED_HOME, info.doc)
                    self._text_file(SHARED_HOME, info.doc).unlink(missing_ok=True)
        _LOGGER.info("knowledge base ready on %s: %d shipped manuals", self.backend.name, len(present))

    async def _reread(self, now: Stamp | None) -> None:
        self._stamp = now
        self.catalog = await asyncio.to_thread(Catalog, self.catalog.path)
        await self.index.refresh()
        self._texts.clear()

    async def refresh(self) -> bool:
        """Pick up documents another process added or removed since the last look (``assistant
        kb add`` beside a running server): a stat of the catalog, and a re-read of the catalog
        and the index when it changed. Whether it re-read."""
        now = stamp(self.catalog.path)
        if now == self._stamp:
            return False
        async with self._lock:
            if now != self._stamp:
                await self._reread(now)
                _LOGGER.info("knowledge: documents changed in %s: catalog and index re-read", self.data_dir)
        return True

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """This process's and every other's only writer, on an up-to-date view of the folder."""
        async with self._lock, FolderLock(self.data_dir / "write.lock"):
            now = stamp(self.catalog.path)
            if now != self._stamp:
                await self._reread(now)
            yield
            self._stamp = stamp(self.catalog.path)  # our own change: nothing to re-read

    async def _index_document(self, home: str, doc: str, source: SourceText, devices: Sequence[str],
                              cache: VectorCache) -> DocumentInfo:
        meta = document_meta(source)
        if devices:
            meta = DocumentMeta(meta.title, meta.product, meta.models, meta.lang, tuple(devices))
        chunks = chunk_source(source, meta)
        if not chunks:
            raise KnowledgeError(KnowledgeErrorCode.EMPTY, f"{source.name} has no text to answer from")
        vectors = await cache.embed([passage_text(meta, c) for c in chunks], self.encoder)
        previous = self.catalog.get(home, doc)
        if previous is not None:
            await self.index.delete(previous.chunk_ids())
        info = DocumentInfo(doc=doc, home=home, title=meta.title, product=meta.product, models=meta.models,
                            lang=meta.lang, devices=meta.devices, format=source.format, source=source.name,
                            sha256=source.sha256, chunks=len(chunks))
        await self.index.upsert([self._document(info, n, c, v)
                                 for n, (c, v) in enumerate(zip(chunks, vectors))])
        text_file = self._text_file(home, doc)
        text_file.parent.mkdir(parents=True, exist_ok=True)
        text_file.write_text(normalise(source.text), encoding="utf-8")
        self._texts.pop((home, doc), None)
        self.catalog.put(info)
        _LOGGER.info("indexed %s for home %s: %d chunks", doc, home, len(chunks))
        return info

    @staticmethod
    def _document(info: DocumentInfo, n: int, chunk: Chunk, vector: np.ndarray) -> Document:
        return Document(f"{info.home}/{info.doc}/{n}", {
            "body": chunk.text, "section": chunk.section, "product": " ".join((info.product, *info.models)),
            "home": info.home, "doc": info.doc, "codes": list(error_codes(chunk.text)),
            "kind": chunk.kind, "cells": [list(c) for c in chunk.cells], "lang": info.lang, "ordinal": n,
        }, [float(x) for x in vector])

    async def add(self, home: str, path: Path | str, *, devices: Sequence[str] = ()) -> DocumentInfo:
        """Add (or replace: same file name) a document for ``home``; ``devices`` names the home's
        devices it covers when its title does not. Raises :class:`KnowledgeError` for a file that
        cannot be used (missing, empty, too large, binary, a PDF without text)."""
        if home == SHARED_HOME:
            raise KnowledgeError(KnowledgeErrorCode.READ_ONLY, "documents are added to one home, not to '*'")
        source = await read_source(path)
        async with self._writing():
            same_file = next((d for d in self.catalog.visible(home) if not d.shared and d.source == source.name), None)
            if same_file and same_file.sha256 == source.sha256 and (not devices or tuple(devices) == same_file.devices):
                return same_file
            doc = same_file.doc if same_file else self._free_id(home, _doc_id(source.name))
            return await self._index_document(home, doc, source, devices, VectorCache(self.encoder.name))

    def _free_id(self, home: str, wanted: str) -> str:
        taken = {d.doc for d in self.catalog.visible(home)}
        doc, n = wanted, 2
        while doc in taken:
            doc, n = f"{wanted}-{n}", n + 1
        return doc

    def _text_file(self, home: str, doc: str) -> Path:
        return self.data_dir / "texts" / ("_shared" if home == SHARED_HOME else home) / f"{doc}.txt"

    def text_of(self, info: DocumentInfo) -> str:
        """A document's whole text, normalised (:func:`skills.search.analysis.normalise`): what
        the manuals speak of at all, as opposed to what one passage says."""
        key = (info.home, info.doc)
        if key not in self._texts:
            path = self._text_file(info.home, info.doc)
            self._texts[key] = path.read_text(encoding="utf-8") if path.exists() else ""
        return self._texts[key]

    def documents(self, home: str) -> list[DocumentInfo]:
        """What ``home`` sees: the shipped manuals, then its own documents."""
        return self.catalog.visible(home)

    async def list(self, home: str) -> list[DocumentInfo]:
        return self.documents(home)

    async def remove(self, home: str, doc: str) -> DocumentInfo:
        """Remove one of ``home``'s own documents; the shipped manuals cannot be removed."""
        async with self._writing():
            info = self.catalog.get(home, doc)
            if info is None or home == SHARED_HOME:
                if self.catalog.get(SHARED_HOME, doc) is not None:
                    raise KnowledgeError(KnowledgeErrorCode.READ_ONLY,
                                         f"{doc} is a shipped manual, shared by every home")
                raise KnowledgeError(KnowledgeErrorCode.UNKNOWN_DOCUMENT, f"home {home} has no document {doc!r}")
            await self.index.delete(info.chunk_ids())
            self.catalog.drop(home, doc)
            self._text_file(home, doc).unlink(missing_ok=True)
            self._texts.pop((home, doc), None)
        _LOGGER.info("removed %s from home %s", doc, home)
        return info

    async def embed_query(self, text: str) -> np.ndarray:
        return await self.encoder.query(text)

    async def search(self, home: str, text: str, vector: np.ndarray | None, *, docs: Sequence[str] = (),
                     codes: Sequence[str] = (), k: int = 8) -> Sequence[Passage]:
        """Hybrid search of what ``home`` sees, limited to ``docs`` and to units naming one of
        ``codes`` when given; best first."""
        filters: dict[str, str | Sequence[str]] = {"home": [SHARED_HOME, home]}
        if docs:
            filters["doc"] = list(docs)
        if codes:
            filters["codes"] = list(codes)
        wide = max(k, 40)
        lexical = await self.index.bm25(text, wide, filters, fields=("body", "section^0.5", "product^0.3"))
        semantic = await self.index.knn([float(x) for x in vector], wide, filters) if vector is not None else []
        cosines = {h.id: h.score for h in semantic}
        fused = reciprocal_rank_fusion([lexical, semantic], limit=k)
        return [self._passage(hit, cosines.get(hit.id)) for hit in fused]

    def _passage(self, hit: Hit, cosine: float | None) -> Passage:
        f = hit.fields
        info = self.catalog.get(f["home"], f["doc"])
        if info is None:  # indexed by another instance after this one loaded its catalog
            info = DocumentInfo(f["doc"], f["home"], f["doc"], f["doc"], (), f["lang"], (), "", "", "", 0)
        return Passage(doc=f["doc"], section=f["section"], kind=f["kind"], text=f["body"],
                       cells=tuple((h, c) for h, c in f["cells"]), lang=f["lang"], info=info,
                       score=hit.score, cosine=cosine)

    async def close(self) -> None:
        await self.backend.close()
