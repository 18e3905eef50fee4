"""One catalogue's items with its two indexes: item names, and artist names.

Names (title and every ``title_alt``) are entries of one :class:`NameIndex`; performers are
entries of another, where an artist item's aliases (Jay Chou, 周董, 周杰倫) point at the
canonical name its songs carry (周杰伦). Built once per catalogue and cached by content hash.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalog import MediaItem
from .index import NameIndex
from .text import compact

_LOGGER = logging.getLogger(__name__)

#: Bump when the index layout or key functions change so stale caches are rebuilt.
INDEX_VERSION = 2


@dataclass(frozen=True)
class NameMatch:
    """An item whose name matched: the name, its similarity (0..1) and whether it is the same text."""

    item: MediaItem
    name: str
    score: float
    exact: bool


class Library:
    """Items of one catalogue (a scope), searchable by name and by artist."""

    def __init__(self, items: Sequence[MediaItem]) -> None:
        self.items = tuple(items)
        self.by_id = {item.id: item for item in self.items}
        self._entry_item: list[int] = []
        self._entry_name: list[str] = []
        for n, item in enumerate(self.items):
            for name in item.names:
                self._entry_item.append(n)
                self._entry_name.append(name)
        self._names = NameIndex(self._entry_name)
        canon_of: dict[str, str] = {}
        works: dict[str, list[int]] = defaultdict(list)
        for n, item in enumerate(self.items):
            for artist in item.artist:
                canon_of.setdefault(artist, artist)
                works[artist].append(n)
        self._artist_items: dict[str, MediaItem] = {}
        for item in self.items:
            if item.kind == "artist":
                canon = item.artist[0] if item.artist else item.title
                self._artist_items.setdefault(canon, item)
                for alias in item.names:
                    canon_of.setdefault(alias, canon)
        self._artist_names = list(canon_of)
        self._artist_canon = [canon_of[name] for name in self._artist_names]
        self._artists = NameIndex(self._artist_names)
        #: Canonical artist -> item positions, most popular first.
        self._works = {a: sorted(ids, key=lambda i: -self.items[i].popularity) for a, ids in works.items()}
        #: (album title, main artist) -> its songs, for albums that do not list their tracks.
        self._album_songs: dict[tuple[str, str], list[str]] = defaultdict(list)
        for item in self.items:
            if item.kind == "song" and item.album and item.artist and item.version == "original":
                self._album_songs[(compact(item.album), item.artist[0])].append(item.id)

    def by_name(self, query: str, k: int = 40) -> list[NameMatch]:
        """Items whose title or alias is like ``query``, best name per item, best first."""
        best: dict[int, NameMatch] = {}
        wanted = compact(query)
        for hit in self._names.search(query, k):
            position = self._entry_item[hit.entry]
            name = self._entry_name[hit.entry]
            exact = compact(name) == wanted
            score = 1.0 if exact else hit.score * 0.97
            if position not in best or score > best[position].score:
                best[position] = NameMatch(self.items[position], name, score, exact)
        return sorted(best.values(), key=lambda m: -m.score)

    def artists(self, query: str, k: int = 5) -> dict[str, float]:
        """Canonical artist names like ``query`` with their similarity (0..1)."""
        wanted = compact(query)
        found: dict[str, float] = {}
        for hit in self._artists.search(query, k):
            name = self._artist_names[hit.entry]
            score = 1.0 if compact(name) == wanted else hit.score * 0.97
            canon = self._artist_canon[hit.entry]
            found[canon] = max(found.get(canon, 0.0), score)
        return found

    def artist_item(self, artist: str) -> MediaItem | None:
        """The artist item of a canonical artist name (for their other names), if there is one."""
        return self._artist_items.get(artist)

    def album_songs(self, album: MediaItem) -> list[str]:
        """Songs of the catalogue that say they are on ``album`` (same title and main artist)."""
        return list(self._album_songs.get((compact(album.title), album.artist[0] if album.artist else ""), ()))

    def works(self, artist: str) -> list[MediaItem]:
        """Items a canonical artist performs or wrote, most popular first."""
        return [self.items[i] for i in self._works.get(artist, ())]


def catalog_digest(path: Path) -> str:
    """Content hash of a catalogue file, naming its index cache."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def load_or_build(items: Sequence[MediaItem], cache: Path) -> Library:
    """The library of ``items``, from ``cache`` when it holds one, else built and written there."""
    if cache.exists():
        try:
            with cache.open("rb") as handle:
                library = pickle.load(handle)
            if isinstance(library, Library):
                return library
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            _LOGGER.warning("Rebuilding the media index: cache %s unreadable (%s)", cache, exc)
    library = Library(items)
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".tmp")
    with partial.open("wb") as handle:
        pickle.dump(library, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(cache)
    _LOGGER.info("Indexed %d media items into %s", len(items), cache)
    return library
