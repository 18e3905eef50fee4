"""What the scheduler keeps: one :class:`Entry` per timer, alarm, reminder or scheduled device command, how it is
stored, and the checks that keep an entry that could not be fired out of the store.

Every entry is due at a wall-clock instant with a UTC offset (``at``): the only clock
that instances sharing a store, or one instance before and after a restart, agree on.
A paused timer has no instant, only the seconds it had left.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.errors import ScheduleError
from skills.state import Record

KINDS = ("timer", "alarm", "reminder", "scheduled")
REPEATS = ("daily", "weekdays", "weekends")

#: An entry may be added this far in the past (a client clock a little behind rings at once).
PAST_GRACE_S = 24 * 3600.0


@dataclass(frozen=True)
class Entry:
    """One scheduled thing.

    ``id`` is unique across instances; ``at`` is when it rings (aware); ``speech`` is what
    is said then, in the language it was set in. A timer's ``duration`` is what it was set
    for (its name: "the 10 minute timer"); ``paused_left`` is set while it is paused. A
    scheduled device command (kind ``scheduled``) keeps in ``command`` the spoken command's
    intent (``intent``, ``slots``: device ids, never words) to run when it is due, and in
    ``content`` what it does in words ("关掉客厅主灯").
    """

    id: str
    home_id: str
    speaker_id: str
    kind: str
    at: datetime
    speech: str
    label: str = ""
    lang: str = "zh"
    repeat: str | None = None
    duration: float = 0.0
    content: str = ""
    paused_left: float | None = None
    command: Mapping[str, Any] = field(default_factory=dict)

    @property
    def due_at(self) -> float | None:
        """Epoch seconds it rings at; ``None`` while paused."""
        return None if self.paused_left is not None else self.at.timestamp()


def occurs_on(day: datetime, repeat: str | None) -> bool:
    """Whether a repeating alarm rings on ``day``'s weekday (a one-off rings any day it is set for)."""
    if repeat == "weekdays":
        return day.weekday() < 5
    if repeat == "weekends":
        return day.weekday() >= 5
    return True


def next_occurrence(at: datetime, repeat: str | None, after: datetime) -> datetime:
    """The first instant at ``at``'s time of day, on a day ``repeat`` allows, strictly after ``after``.

    Days are stepped in ``at``'s own UTC offset, so 07:00+08:00 stays 07:00+08:00.
    """
    candidate = at
    if candidate <= after:
        days = (after - candidate).days
        candidate += timedelta(days=days)
    while candidate <= after or not occurs_on(candidate, repeat):
        candidate += timedelta(days=1)
    return candidate


def first_occurrence(at: datetime, repeat: str, now: datetime) -> datetime:
    """When something set for ``at`` and repeating ``repeat`` first happens after ``now`` ("每天早上七点" said at 20:00: tomorrow)."""
    return at if at > now and occurs_on(at, repeat) else next_occurrence(at, repeat, max(at, now))


def check_instant(at: datetime, now: datetime, horizon_s: float) -> None:
    """Raise :class:`ScheduleError` unless ``at`` is aware and within [now - a day, now + horizon]."""
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ScheduleError(f"{at!r} has no UTC offset; it cannot be compared with other entries")
    ahead = at.timestamp() - now.timestamp()  # epoch seconds: no datetime arithmetic to overflow near year 9999
    if not -PAST_GRACE_S <= ahead <= horizon_s:
        raise ScheduleError(f"{at.isoformat()} is {ahead / 86400:.0f} days from now, outside what can be scheduled")


def check_entry(entry: Entry, now: datetime, horizon_s: float) -> None:
    """Raise :class:`ScheduleError` for an entry the scheduler could not keep or fire."""
    if entry.kind not in KINDS:
        raise ScheduleError(f"unknown kind {entry.kind!r}")
    if entry.repeat is not None and entry.repeat not in REPEATS:
        raise ScheduleError(f"unknown repeat {entry.repeat!r}")
    if not math.isfinite(entry.duration) or entry.duration < 0:
        raise ScheduleError(f"bad duration {entry.duration!r}")
    if entry.kind == "scheduled" and not (isinstance(entry.command.get("intent"), str)
                                          and isinstance(entry.command.get("slots"), Mapping)):
        raise ScheduleError(f"scheduled command {entry.id} has no intent and slots to run")
    if entry.paused_left is not None:
        if not math.isfinite(entry.paused_left) or entry.paused_left <= 0:
            raise ScheduleError(f"bad time left {entry.paused_left!r}")
        return
    check_instant(entry.at, now, horizon_s)


def to_record(entry: Entry) -> Record:
    value: dict[str, Any] = {
        "speaker_id": entry.speaker_id, "at": entry.at.isoformat(), "speech": entry.speech, "label": entry.label,
        "lang": entry.lang, "repeat": entry.repeat, "duration": entry.duration, "content": entry.content,
        "paused_left": entry.paused_left, "command": dict(entry.command),
    }
    return Record(entry.home_id, entry.kind, entry.id, value, entry.due_at)


def from_record(record: Record) -> Entry:
    """The entry a record holds; raises (KeyError, ValueError, TypeError, ScheduleError) on one that is not."""
    v = record.value
    at = datetime.fromisoformat(v["at"])
    if at.tzinfo is None:
        raise ScheduleError(f"stored {record.kind} {record.key} has no UTC offset")
    paused = v.get("paused_left")
    return Entry(
        record.key, record.home_id, str(v["speaker_id"]), record.kind, at, str(v["speech"]), str(v.get("label") or ""),
        str(v.get("lang") or "zh"), v.get("repeat"), float(v.get("duration") or 0.0), str(v.get("content") or ""),
        float(paused) if paused is not None else None, dict(v.get("command") or {}),
    )
