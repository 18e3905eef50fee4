"""Which catalogues a home sees: the shipped one, operators' imports, and the home's own.

Scopes: ``shipped`` (the package's catalogue, or the one given to the constructor), an
operator scope (any other lower-case name, e.g. ``operator``: every home sees it) and
``home:<home id>`` (that home only). Imports are kept under ``<data>/catalogs/`` and indexed
under ``<data>/index/``; an import is validated and indexed completely before it replaces
anything, so a bad file leaves the running index as it was.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from .catalog import CatalogError, MediaItem, dangling_tracks, load_catalog
from .library import INDEX_VERSION, Library, catalog_digest, load_or_build

_LOGGER = logging.getLogger(__name__)

SHIPPED = "shipped"
_SCOPE = re.compile(r"^(?:home:[A-Za-z0-9_.-]+|[a-z0-9_-]+)$")


def _file_name(scope: str) -> str:
    return scope.replace(":", "__")


class CatalogStore:
    """The libraries of every scope; reads are lock-free, imports swap a whole library."""

    def __init__(self, shipped: Path, data_dir: Path) -> None:
        self._data = data_dir
        self._libraries: dict[str, Library] = {SHIPPED: self._open(shipped, SHIPPED)}
        self._lock = threading.Lock()
        folder = data_dir / "catalogs"
        for path in sorted(folder.glob("*.jsonl")) if folder.exists() else ():
            scope = path.stem.replace("__", ":")
            try:
                self._libraries[scope] = self._open(path, scope)
            except CatalogError as exc:
                _LOGGER.error("Skipping imported catalogue %s: %s", path, exc)

    def _open(self, path: Path, scope: str) -> Library:
        items = load_catalog(path)
        cache = self._data / "index" / f"{_file_name(scope)}-v{INDEX_VERSION}-{catalog_digest(path)}.pickle"
        return load_or_build(items, cache)

    def import_catalog(self, path: Path, scope: str) -> int:
        """Add or replace the catalogue of ``scope`` with the file at ``path``; returns its item count.

        Raises :class:`CatalogError` (and changes nothing) when the file is not a valid catalogue.
        """
        if scope == SHIPPED or not _SCOPE.match(scope):
            raise CatalogError("bad_scope", f"scope must be an operator name or home:<id>, not {scope!r}")
        items = load_catalog(path)
        known = {item.id for name, library in self._libraries.items() if name != scope for item in library.items}
        missing = dangling_tracks(items, known)
        if missing:
            raise CatalogError("unknown_track", f"tracks name items no catalogue has: {missing[:5]}")
        target = self._data / "catalogs" / f"{_file_name(scope)}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_suffix(".staged")
        shutil.copyfile(path, staged)
        library = load_or_build(items, self._data / "index" / f"{_file_name(scope)}-v{INDEX_VERSION}-{catalog_digest(staged)}.pickle")
        with self._lock:
            staged.replace(target)
            self._libraries = {**self._libraries, scope: library}
        _LOGGER.info("Imported %d media items into scope %s", len(items), scope)
        return len(items)

    def visible(self, home_id: str) -> list[Library]:
        """Libraries a home sees, the most specific first (its own, operators', shipped)."""
        libraries = self._libraries
        own = libraries.get(f"home:{home_id}")
        operators = [lib for scope, lib in sorted(libraries.items()) if scope != SHIPPED and not scope.startswith("home:")]
        return [lib for lib in (own, *operators, libraries[SHIPPED]) if lib is not None]

    def item(self, item_id: str, home_id: str) -> MediaItem | None:
        """The item a home sees under ``item_id`` (its own catalogue first)."""
        return next((lib.by_id[item_id] for lib in self.visible(home_id) if item_id in lib.by_id), None)

    def items(self, home_id: str) -> Iterator[MediaItem]:
        """Every item a home sees, once per id."""
        seen: set[str] = set()
        for library in self.visible(home_id):
            for item in library.items:
                if item.id not in seen:
                    seen.add(item.id)
                    yield item

    def count(self, scope: str) -> int:
        """Items in one scope (0 when it has none)."""
        library = self._libraries.get(scope)
        return len(library.items) if library else 0
