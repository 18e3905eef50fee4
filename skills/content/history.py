"""Per-home play history, resume points and player states, in SQLite in the data folder.

Every table is keyed by home: one household's history never shapes another's suggestions,
and a restart keeps where each household stopped. Calls are blocking (the skill runs them in a
thread); one connection serialised by a lock is plenty for a few writes per request.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from skills.sdk import MediaDirective

from .player import PlayerState

_LOGGER = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS plays (home TEXT NOT NULL, item TEXT NOT NULL, device TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS plays_home_at ON plays (home, at);
CREATE TABLE IF NOT EXISTS progress (home TEXT NOT NULL, item TEXT NOT NULL, episode INTEGER, position_s REAL NOT NULL,
                                     at REAL NOT NULL, PRIMARY KEY (home, item));
CREATE TABLE IF NOT EXISTS players (home TEXT NOT NULL, device TEXT NOT NULL, state TEXT NOT NULL, at REAL NOT NULL,
                                    PRIMARY KEY (home, device));
CREATE TABLE IF NOT EXISTS provided (home TEXT NOT NULL, item TEXT NOT NULL, media TEXT NOT NULL, PRIMARY KEY (home, item));
"""


@dataclass(frozen=True)
class Progress:
    """Where a household stopped in an item: the episode (or ``None``) and the seconds into it."""

    item: str
    episode: int | None
    position_s: float
    at: float


class HistoryStore:
    """The SQLite file ``<data>/content.sqlite3``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def forget(self, home: str) -> None:
        """Drop a home's plays, progress, players and provided items (evaluation resets a home between sessions)."""
        with self._lock, self._db:
            for table in ("plays", "progress", "players", "provided"):
                self._db.execute(f"DELETE FROM {table} WHERE home = ?", (home,))

    def record_play(self, home: str, item: str, device: str, at: float) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT INTO plays VALUES (?, ?, ?, ?)", (home, item, device, at))

    def recent(self, home: str, limit: int = 200) -> list[str]:
        """Item ids this home played, most recent first (repeats kept: they count as liking)."""
        with self._lock:
            rows = self._db.execute("SELECT item FROM plays WHERE home = ? ORDER BY at DESC, rowid DESC LIMIT ?",
                                    (home, limit)).fetchall()
        return [row[0] for row in rows]

    def save_progress(self, home: str, progress: Progress) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO progress VALUES (?, ?, ?, ?, ?)",
                             (home, progress.item, progress.episode, progress.position_s, progress.at))

    def progress(self, home: str, item: str | None = None) -> Progress | None:
        """Where this home stopped in ``item``, or in whatever it played last."""
        query = "SELECT item, episode, position_s, at FROM progress WHERE home = ?"
        args: tuple[str, ...] = (home,)
        if item is not None:
            query += " AND item = ?"
            args += (item,)
        with self._lock:
            row = self._db.execute(query + " ORDER BY at DESC LIMIT 1", args).fetchone()
        return Progress(row[0], row[1], row[2], row[3]) if row else None

    def save_player(self, home: str, state: PlayerState) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO players VALUES (?, ?, ?, ?)",
                             (home, state.device, json.dumps(asdict(state), ensure_ascii=False), state.since))

    def players(self, home: str) -> list[PlayerState]:
        """Every player of the home that has played something, the most recently changed first."""
        with self._lock:
            rows = self._db.execute("SELECT state FROM players WHERE home = ? ORDER BY at DESC", (home,)).fetchall()
        states = []
        for (text,) in rows:
            data = json.loads(text)
            data["queue"] = tuple(data["queue"])
            states.append(PlayerState(**data))
        return states

    def save_provided(self, home: str, media: MediaDirective) -> None:
        """Keep what a content provider played, so the home's players know the item the catalogue lacks."""
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO provided VALUES (?, ?, ?)",
                             (home, media.id, json.dumps(asdict(media), ensure_ascii=False)))

    def provided(self, home: str, item: str) -> MediaDirective | None:
        with self._lock:
            row = self._db.execute("SELECT media FROM provided WHERE home = ? AND item = ?", (home, item)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        return MediaDirective(**{**data, "artist": tuple(data["artist"]), "queue": tuple(data["queue"])})
