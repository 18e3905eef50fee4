"""The state store's contract and its options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Record:
    """One stored thing of a home.

    ``kind`` groups records (``timer``, ``alarm``, ``volume``...); ``key`` is unique
    within a home and kind; ``value`` is JSON-serialisable. ``due_at`` (epoch seconds,
    optional) is when its owner must act on it: a timer's deadline, a pending
    notification's expiry; :meth:`StateStore.due` finds records by it across homes.
    """

    home_id: str
    kind: str
    key: str
    value: Mapping[str, Any]
    due_at: float | None = None


#: Records in order; a name of its own because the stores' ``list`` method shadows the builtin in their bodies.
Records = list[Record]


@runtime_checkable
class StateStore(Protocol):
    """Every method raises :class:`domain.errors.StateUnavailable` when the backend cannot be used."""

    async def get(self, home_id: str, kind: str, key: str) -> Record | None: ...

    async def put(self, record: Record) -> None:
        """Insert or replace the record with the same home, kind and key."""

    async def delete(self, home_id: str, kind: str, key: str) -> bool:
        """Remove a record; ``True`` only for the one caller that removed it (a claim in itself)."""

    async def list(self, home_id: str, kind: str) -> Records: ...

    async def due(self, kinds: Sequence[str], until: float, limit: int = 100) -> Records:
        """Records of ``kinds``, in every home, whose ``due_at`` is at or before ``until``, soonest first."""

    async def next_due(self, kinds: Sequence[str]) -> float | None:
        """The earliest ``due_at`` among ``kinds``, or ``None`` when none has one."""

    async def claim(self, name: str, ttl_s: float) -> bool:
        """Take the named claim for ``ttl_s`` seconds; ``False`` while someone else holds it."""

    async def close(self) -> None: ...


@dataclass(frozen=True)
class StateOptions:
    """Where state lives.

    ``redis_url`` (``redis://host:port/db``), when set, wins: instances sharing it share
    state. Otherwise SQLite in ``data_dir``; ``data_dir=None`` keeps it in memory, so
    nothing survives the process (tests, evaluation). ``timeout_s`` bounds each Redis call.
    """

    data_dir: Path | None = None
    redis_url: str = ""
    timeout_s: float = 1.0

