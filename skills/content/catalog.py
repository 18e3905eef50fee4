"""Media catalogue rows: the item type and a loader that validates every line.

The format is ``docs/catalog.md`` (one JSON object a line). A catalogue is
validated completely before anything uses it, so a bad import never half-replaces a good one.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from domain.errors import ErrorCode, LingxiError

_LOGGER = logging.getLogger(__name__)

KINDS = frozenset({"song", "album", "artist", "playlist", "movie", "series", "cartoon", "audiobook", "story", "podcast", "radio"})
MUSIC_KINDS = frozenset({"song", "album", "artist", "playlist"})
VIDEO_KINDS = frozenset({"movie", "series", "cartoon"})
AUDIO_KINDS = frozenset({"audiobook", "story", "podcast", "radio"})
LANGUAGES = frozenset({"zh", "yue", "en", "instrumental"})
AUDIENCES = frozenset({"all", "kids", "adult"})
VERSIONS = frozenset({"original", "live", "remix", "instrumental", "acoustic", "cover"})
_REQUIRED = ("id", "kind", "title", "title_alt", "artist", "album", "year", "language", "genres", "moods", "audience",
             "popularity", "duration_s", "episodes", "version", "explicit", "source")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CatalogError(LingxiError, ValueError):
    """A catalogue that cannot be used; ``reason`` is machine-readable, ``line`` 1-based or 0."""

    def __init__(self, reason: str, message: str, line: int = 0) -> None:
        super().__init__(ErrorCode.INVALID_ARGUMENT, f"line {line}: {message}" if line else message, reason)
        self.line = line


@dataclass(frozen=True)
class MediaItem:
    """One playable (or queue-able) catalogue item; fields as in the catalogue README.

    ``artist`` holds performers, authors or hosts (first = main); ``tracks`` the song ids of an
    album or playlist; ``version_of`` the original recording of a live/remix/... version.
    """

    id: str
    kind: str
    title: str
    title_alt: tuple[str, ...]
    artist: tuple[str, ...]
    album: str | None
    year: int | None
    language: str
    genres: tuple[str, ...]
    moods: tuple[str, ...]
    audience: str
    popularity: int
    duration_s: int | None
    episodes: int | None
    version: str
    explicit: bool
    tracks: tuple[str, ...] = ()
    version_of: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the item answers to: the title first, then its alternatives."""
        return (self.title, *self.title_alt)

    @property
    def adult(self) -> bool:
        """Never offered to children."""
        return self.explicit or self.audience == "adult"


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _int_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _check(row: Mapping[str, Any]) -> str | None:
    """What is wrong with one row, or ``None``."""
    missing = [k for k in _REQUIRED if k not in row]
    if missing:
        return f"missing fields {missing}"
    checks = (
        (isinstance(row["id"], str) and bool(_ID.match(row["id"])), "id must be a lower-case ASCII slug"),
        (row["kind"] in KINDS, f"kind {row['kind']!r} is not one of {sorted(KINDS)}"),
        (isinstance(row["title"], str) and bool(row["title"].strip()), "title must be a non-empty string"),
        (_strings(row["title_alt"]), "title_alt must be a list of non-empty strings"),
        (_strings(row["artist"]), "artist must be a list of non-empty strings"),
        (row["album"] is None or (isinstance(row["album"], str) and bool(row["album"].strip())), "album must be a string or null"),
        (_int_or_none(row["year"]), "year must be an integer or null"),
        (row["language"] in LANGUAGES, f"language {row['language']!r} is not one of {sorted(LANGUAGES)}"),
        (_strings(row["genres"]) and bool(row["genres"]), "genres must be a non-empty list of strings"),
        (_strings(row["moods"]) and bool(row["moods"]), "moods must be a non-empty list of strings"),
        (row["audience"] in AUDIENCES, f"audience {row['audience']!r} is not one of {sorted(AUDIENCES)}"),
        (_int_or_none(row["popularity"]) and row["popularity"] is not None and 0 <= row["popularity"] <= 100,
         "popularity must be an integer 0-100"),
        (_int_or_none(row["duration_s"]) and _int_or_none(row["episodes"]), "duration_s and episodes must be integers or null"),
        (row["version"] in VERSIONS, f"version {row['version']!r} is not one of {sorted(VERSIONS)}"),
        (isinstance(row["explicit"], bool), "explicit must be true or false"),
        (_strings(row.get("tracks", [])), "tracks must be a list of ids"),
    )
    return next((message for ok, message in checks if not ok), None)


def _item(row: Mapping[str, Any]) -> MediaItem:
    return MediaItem(
        id=row["id"], kind=row["kind"], title=row["title"].strip(), title_alt=tuple(row["title_alt"]),
        artist=tuple(row["artist"]), album=row["album"], year=row["year"], language=row["language"],
        genres=tuple(row["genres"]), moods=tuple(row["moods"]), audience=row["audience"],
        popularity=row["popularity"], duration_s=row["duration_s"], episodes=row["episodes"],
        version=row["version"], explicit=row["explicit"], tracks=tuple(row.get("tracks", ())),
        version_of=row.get("version_of"),
    )


def parse_lines(lines: Iterable[str]) -> list[MediaItem]:
    """Validated items of JSON lines; raises :class:`CatalogError` naming the first bad line."""
    items: list[MediaItem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            raise CatalogError("empty_line", "empty line", number)
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CatalogError("bad_json", f"not JSON ({exc.msg})", number) from None
        if not isinstance(row, dict):
            raise CatalogError("bad_row", "a row must be a JSON object", number)
        problem = _check(row)
        if problem:
            raise CatalogError("bad_row", f"{row.get('id', '?')}: {problem}", number)
        if row["id"] in seen:
            raise CatalogError("duplicate_id", f"duplicate id {row['id']}", number)
        seen.add(row["id"])
        items.append(_item(row))
    if not items:
        raise CatalogError("empty", "the catalogue has no items")
    return items


def load_catalog(path: Path) -> list[MediaItem]:
    """Validated items of a catalogue file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError("unreadable", f"cannot read {path}: {exc}") from None
    items = parse_lines(text.splitlines())
    _LOGGER.info("Loaded %d media items from %s", len(items), path)
    return items


def shipped_catalog_path() -> Path:
    """The catalogue that ships inside this package."""
    return Path(str(resources.files(__package__).joinpath("data/media.jsonl")))


def dangling_tracks(items: Sequence[MediaItem], known: Iterable[str] = ()) -> list[str]:
    """Track ids an album or playlist names that no item (here or in ``known``) has."""
    ids = {item.id for item in items} | set(known)
    return [t for item in items for t in item.tracks if t not in ids]
