"""The per-home schedule of timers, alarms and reminders, and the one task that fires them.

Timers count down on a monotonic clock (a wall-clock change must not make a 10 minute
timer ring early or late); alarms and reminders are wall-clock instants (7:00 is 7:00,
whatever happened to the clock since they were set). One asyncio task sleeps until the
earliest entry is due and wakes early whenever an entry is added or removed, so a home
with fifty timers costs one sleeper, not fifty. Due entries are published on the
:class:`NotificationBus`; a repeating alarm is put back at its next occurrence.

The clocks are injectable (``now``, ``monotonic``, ``sleep``) so tests run hours in
microseconds without patching anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from skills.utilities.notifications import Notification, NotificationBus

_LOGGER = logging.getLogger(__name__)

KINDS = ("timer", "alarm", "reminder")
REPEATS = ("daily", "weekdays", "weekends")

#: Entries of one kind one home may hold; more is almost surely a loop gone wrong.
MAX_PER_HOME = 50

#: The sleeper wakes at least this often so a wall-clock jump (NTP, manual change) is noticed.
MAX_SLEEP_S = 60.0


@dataclass(frozen=True)
class Entry:
    """One scheduled thing.

    ``at`` is when it is due on the wall clock (for a timer: the request clock at set
    time plus the duration, used for speech and the notification); ``due_mono`` is a
    timer's true deadline on the scheduler's monotonic clock. ``speech`` is what is said
    when it fires, in the language it was set in.
    """

    id: int
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
    due_mono: float | None = None


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


class Scheduler:
    """Holds every home's entries and publishes each one on the bus when it is due."""

    def __init__(
        self,
        bus: NotificationBus,
        *,
        now: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        max_per_home: int = MAX_PER_HOME,
    ) -> None:
        self._bus = bus
        self._now = now or (lambda: datetime.now().astimezone())
        self._monotonic = monotonic
        self._sleep = sleep
        self.max_per_home = max_per_home
        self._entries: dict[int, Entry] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- the clock -------------------------------------------------------------------

    def now(self) -> datetime:
        return self._now()

    def remaining(self, entry: Entry) -> float:
        """Seconds until ``entry`` is due (never negative)."""
        if entry.due_mono is not None:
            return max(0.0, entry.due_mono - self._monotonic())
        return max(0.0, (entry.at - self._now()).total_seconds())

    # -- entries ---------------------------------------------------------------------

    def entries(self, home_id: str, kind: str) -> list[Entry]:
        """A home's entries of one kind, soonest first."""
        found = [e for e in self._entries.values() if e.home_id == home_id and e.kind == kind]
        return sorted(found, key=lambda e: (self.remaining(e), e.id))

    def has_room(self, home_id: str, kind: str) -> bool:
        return sum(1 for e in self._entries.values() if e.home_id == home_id and e.kind == kind) < self.max_per_home

    def add(self, home_id: str, speaker_id: str, kind: str, at: datetime, speech: str, **fields: object) -> Entry | None:
        """Schedule an entry; ``None`` when the home already holds :data:`MAX_PER_HOME` of that kind.

        A timer passes ``duration`` and gets its monotonic deadline here.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        if not self.has_room(home_id, kind):
            _LOGGER.info("%s of home %s: %d already scheduled, refusing another", kind, home_id, self.max_per_home)
            return None
        entry = Entry(next(self._ids), home_id, speaker_id, kind, at, speech, **fields)  # type: ignore[arg-type]
        if kind == "timer":
            entry = replace(entry, due_mono=self._monotonic() + entry.duration)
        self._entries[entry.id] = entry
        _LOGGER.debug("scheduled %s %d for home %s at %s", kind, entry.id, home_id, at.isoformat())
        self._changed.set()
        return entry

    def remove(self, entry_id: int) -> Entry | None:
        entry = self._entries.pop(entry_id, None)
        if entry is not None:
            self._changed.set()
        return entry

    def move(self, entry_id: int, at: datetime) -> Entry | None:
        """Put a (wall-clock) entry at another instant, e.g. to skip one occurrence of a repeating alarm."""
        entry = self._entries.get(entry_id)
        if entry is None or entry.due_mono is not None:
            return None
        entry = self._entries[entry_id] = replace(entry, at=at)
        self._changed.set()
        return entry

    # -- firing ----------------------------------------------------------------------

    def fire_due(self) -> int:
        """Publish every entry that is due now; returns how many fired."""
        now = self._now()
        due = [e for e in self._entries.values() if self._is_due(e, now)]
        for entry in sorted(due, key=lambda e: (e.at, e.id)):
            if entry.repeat:
                self._entries[entry.id] = replace(entry, at=next_occurrence(entry.at, entry.repeat, now))
            else:
                del self._entries[entry.id]
            note = Notification(entry.home_id, entry.speaker_id, entry.kind, entry.label, entry.speech, entry.at)
            listeners = self._bus.publish(note)
            _LOGGER.info("%s %d of home %s fired (%d listeners)", entry.kind, entry.id, entry.home_id, listeners)
        return len(due)

    def _is_due(self, entry: Entry, now: datetime) -> bool:
        if entry.due_mono is not None:
            return entry.due_mono <= self._monotonic()
        return entry.at <= now

    def _next_delay(self) -> float | None:
        if not self._entries:
            return None
        return min(MAX_SLEEP_S, min(self.remaining(e) for e in self._entries.values()))

    async def _run(self) -> None:
        while True:
            self._changed.clear()
            try:
                self.fire_due()
            except Exception:  # a bad listener must not stop every future alarm
                _LOGGER.exception("firing scheduled entries failed")
            delay = self._next_delay()
            if delay is None:
                await self._changed.wait()
                continue
            if delay <= 0:
                await asyncio.sleep(0)
                continue
            sleeper = asyncio.ensure_future(self._sleep(delay))
            waker = asyncio.ensure_future(self._changed.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (sleeper, waker):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def start(self) -> None:
        """Start the sleeper (idempotent); entries added before start fire once it runs."""
        if self._task is None or self._task.done():
            self._changed = asyncio.Event()
            self._changed.set()
            self._task = asyncio.create_task(self._run(), name="lingxi-scheduler")

    async def stop(self) -> None:
        """Stop firing; entries stay, so a later ``start`` resumes them."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
