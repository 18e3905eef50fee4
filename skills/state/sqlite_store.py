"""The embedded backend: one SQLite file (or memory), each call on a worker thread.

One connection behind a lock: the calls are tiny, and SQLite serialises writers anyway.
The file is in WAL mode so a reader never waits for a writer; a claim runs in an
immediate transaction, so two processes sharing one data folder still claim each entry once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from domain.errors import StateUnavailable
from skills.state.store import Record, Records

_LOGGER = logging.getLogger(__name__)

_T = TypeVar("_T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    home_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    value TEXT NOT NULL, due_at REAL,
    PRIMARY KEY (home_id, kind, key)
);
CREATE INDEX IF NOT EXISTS records_due ON records (kind, due_at) WHERE due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS claims (name TEXT PRIMARY KEY, expires_at REAL NOT NULL);
"""

_COLUMNS = "home_id, kind, key, value, due_at"


def _record(row: tuple[Any, ...]) -> Record:
    return Record(row[0], row[1], row[2], json.loads(row[3]), row[4])


class SqliteStore:
    """``path=None``: an in-memory database, gone with the process."""

    def __init__(self, path: Path | None, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(self.path) if self.path else ":memory:", check_same_thread=False, isolation_level=None)
        if self.path is not None:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=5000")
        db.executescript(_SCHEMA)
        _LOGGER.info("state store: SQLite %s", self.path or "in memory")
        return db

    def _locked(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        with self._lock:
            try:
                if self._db is None:
                    self._db = self._connect()
                return work(self._db)
            except (sqlite3.Error, OSError) as err:
                raise StateUnavailable("sqlite", f"{self.path or 'in-memory database'}: {err}") from err

    async def _run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        return await asyncio.to_thread(self._locked, work)

    async def get(self, home_id: str, kind: str, key: str) -> Record | None:
        sql = f"SELECT {_COLUMNS} FROM records WHERE home_id = ? AND kind = ? AND key = ?"
        row = await self._run(lambda db: db.execute(sql, (home_id, kind, key)).fetchone())
        return _record(row) if row else None

    async def put(self, record: Record) -> None:
        row = (record.home_id, record.kind, record.key, json.dumps(record.value, ensure_ascii=False), record.due_at)
        await self._run(lambda db: db.execute(f"INSERT OR REPLACE INTO records ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)", row))

    async def delete(self, home_id: str, kind: str, key: str) -> bool:
        sql = "DELETE FROM records WHERE home_id = ? AND kind = ? AND key = ?"
        return await self._run(lambda db: db.execute(sql, (home_id, kind, key)).rowcount == 1)

    async def list(self, home_id: str, kind: str) -> Records:
        sql = f"SELECT {_COLUMNS} FROM records WHERE home_id = ? AND kind = ? ORDER BY key"
        rows = await self._run(lambda db: db.execute(sql, (home_id, kind)).fetchall())
        return [_record(r) for r in rows]

    async def due(self, kinds: Sequence[str], until: float, limit: int = 100) -> Records:
        marks = ", ".join("?" * len(kinds))
        sql = f"SELECT {_COLUMNS} FROM records WHERE kind IN ({marks}) AND due_at <= ? ORDER BY due_at LIMIT ?"
        rows = await self._run(lambda db: db.execute(sql, (*kinds, until, limit)).fetchall())
        return [_record(r) for r in rows]

    async def next_due(self, kinds: Sequence[str]) -> float | None:
        marks = ", ".join("?" * len(kinds))
        sql = f"SELECT MIN(due_at) FROM records WHERE kind IN ({marks}) AND due_at IS NOT NULL"
        row = await self._run(lambda db: db.execute(sql, tuple(kinds)).fetchone())
        return row[0] if row else None

    async def claim(self, name: str, ttl_s: float) -> bool:
        def take(db: sqlite3.Connection) -> bool:
            now = self._clock()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM claims WHERE expires_at <= ?", (now,))
                taken = db.execute("INSERT OR IGNORE INTO claims VALUES (?, ?)", (name, now + ttl_s)).rowcount == 1
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return taken

        return await self._run(take)

    async def close(self) -> None:
        def shut(db: sqlite3.Connection) -> None:
            db.close()

        if self._db is not None:
            await self._run(shut)
            self._db = None
