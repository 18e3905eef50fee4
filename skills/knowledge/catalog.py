"""The list of documents each home can see, persisted as one JSON file in the data folder.

The index holds the chunks; the catalog says which documents exist, whose they are and which
chunks they have, so ``list`` needs no search and ``remove`` knows what to delete. Shipped
manuals belong to the home ``*`` (every home sees them).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["SHARED_HOME", "Catalog", "DocumentInfo"]

_LOGGER = logging.getLogger(__name__)

#: The home of the shipped manuals: visible to every home, removable by none.
SHARED_HOME = "*"


@dataclass(frozen=True)
class DocumentInfo:
    """One document of the knowledge base.

    ``doc`` is its id (the file name without extension: ``robot_vacuum.zh``), unique among what
    one home sees; ``home`` its owner (``*`` for shipped manuals); ``title``/``product``/``models``
    /``lang``/``devices`` come from the text (see :mod:`.chunking`); ``format`` is ``markdown``,
    ``text`` or ``pdf``; ``source`` the file name it was added from; ``sha256`` its bytes;
    ``chunks`` how many units of answer it gave.
    """

    doc: str
    home: str
    title: str
    product: str
    models: tuple[str, ...]
    lang: str
    devices: tuple[str, ...]
    format: str
    source: str
    sha256: str
    chunks: int

    @property
    def shared(self) -> bool:
        return self.home == SHARED_HOME

    def chunk_ids(self) -> list[str]:
        return [f"{self.home}/{self.doc}/{n}" for n in range(self.chunks)]


class Catalog:
    """Documents by (home, doc id), saved to ``path`` after every change (atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._docs: dict[tuple[str, str], DocumentInfo] = {}
        if path.exists():
            for raw in json.loads(path.read_text(encoding="utf-8")):
                raw["models"], raw["devices"] = tuple(raw["models"]), tuple(raw["devices"])
                info = DocumentInfo(**raw)
                self._docs[(info.home, info.doc)] = info

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        rows = [asdict(d) for d in sorted(self._docs.values(), key=lambda d: (d.home, d.doc))]
        tmp.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

    def get(self, home: str, doc: str) -> DocumentInfo | None:
        return self._docs.get((home, doc))

    def visible(self, home: str) -> list[DocumentInfo]:
        """The shipped manuals, then the home's own documents, each sorted by id."""
        shared = [d for (h, _), d in sorted(self._docs.items()) if h == SHARED_HOME]
        own = [d for (h, _), d in sorted(self._docs.items()) if h == home and h != SHARED_HOME]
        return shared + own

    def put(self, info: DocumentInfo) -> None:
        self._docs[(info.home, info.doc)] = info
        self._save()

    def drop(self, home: str, doc: str) -> None:
        self._docs.pop((home, doc), None)
        self._save()
