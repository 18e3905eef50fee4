"""Every home's timers, alarms and reminders, kept in the state store, and the task that fires them.

Entries live in the store, not in this process: a restart loses none, and instances
sharing a Redis store see each other's. One task per instance sleeps until the earliest
entry is due (at most ``poll_s``, so entries another instance added are noticed), wakes
early when this instance adds or removes one, and fires what is due: it first takes a
claim on the entry in the store (with an expiry), so of several instances exactly one
rings it, and one that dies holding the claim lets another ring it once it expires.
An entry of a kind with an action (:meth:`Scheduler.act`: a scheduled device command)
runs it after the claim, and what the action says is what the home hears.

Nothing an entry holds may stop the loop: entries are checked on the way in (an aware
instant in range), each firing is isolated (a bad one is logged and dropped), and a
supervisor restarts the loop if it dies anyway, saying so in the log and in
:attr:`Scheduler.healthy`. The wall clock and the sleep are injectable, so tests run
hours in microseconds without patching anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from domain.errors import StateUnavailable
from intents.types import Intent
from skills.sdk import ActionReport, ActionStatus, SkillContext, SkillResult
from skills.state import StateStore
from skills.utilities.entries import KINDS, Entry, check_entry, check_instant, from_record, next_occurrence, to_record
from skills.utilities.notifications import Notification, NotificationBus

_LOGGER = logging.getLogger(__name__)

#: What an entry of some kind does when it fires (after its claim), given the entry and the
#: scheduler's now; returns what the home is told.
Action = Callable[[Entry, datetime], Awaitable[str]]


@dataclass(frozen=True)
class SchedulerOptions:
    """How the scheduler runs.

    ``max_per_home``: entries of one kind a home may hold (more is almost surely a loop
    gone wrong). ``poll_s``: the longest sleep, so entries set by other instances and
    wall-clock jumps are noticed. ``claim_ttl_s``: how long a firing instance holds an
    entry before another may fire it. ``horizon_days``: the furthest ahead an entry may
    be. ``restart_delay_s``: the pause before a dead loop is restarted. ``stall_s``: a
    loop without a good pass for this long is reported unhealthy.
    """

    max_per_home: int = 50
    poll_s: float = 1.0
    claim_ttl_s: float = 60.0
    horizon_days: float = 400.0
    restart_delay_s: float = 1.0
    stall_s: float = 30.0


@dataclass(frozen=True)
class Health:
    """``ok`` and, when not, why (for the health check and the operator)."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


class Scheduler:
    """Keeps entries in ``store`` (by default, the bus's) and publishes each one on the bus when it is due."""

    def __init__(
        self,
        bus: NotificationBus,
        store: StateStore | None = None,
        options: SchedulerOptions | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._bus = bus
        self.store = store if store is not None else bus.store
        self.options = options or SchedulerOptions()
        self._now = now or (lambda: datetime.now(UTC))
        self._sleep = sleep
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._problem = "not started"
        self._last_pass = 0.0
        self._actions: dict[str, Action] = {}
        #: How many times the supervisor restarted a dead loop.
        self.restarts = 0

    def act(self, kind: str, action: Action) -> None:
        """Run ``action`` for each entry of ``kind`` as it fires (once, by the instance that claims it)."""
        self._actions[kind] = action

    @property
    def max_per_home(self) -> int:
        return self.options.max_per_home

    # -- the clock -------------------------------------------------------------------

    def now(self) -> datetime:
        return self._now()

    def remaining(self, entry: Entry) -> float:
        """Seconds until ``entry`` rings (a paused timer: what it has left); never negative."""
        if entry.paused_left is not None:
            return entry.paused_left
        return max(0.0, entry.at.timestamp() - self._now().timestamp())

    def check_instant(self, at: datetime) -> None:
        """Raise :class:`ScheduleError` for an instant that could not be scheduled."""
        check_instant(at, self._now(), self.options.horizon_days * 86400)

    # -- entries ---------------------------------------------------------------------

    async def entries(self, home_id: str, kind: str) -> list[Entry]:
        """A home's entries of one kind, soonest first; one that cannot be read is dropped."""
        found = []
        for record in await self.store.list(home_id, kind):
            try:
                found.append(from_record(record))
            except Exception:
                _LOGGER.exception("dropping %s %s of home %s: it cannot be read", kind, record.key, home_id)
                await self.store.delete(home_id, kind, record.key)
        return sorted(found, key=lambda e: (self.remaining(e), e.at, e.id))

    async def has_room(self, home_id: str, kind: str) -> bool:
        return len(await self.store.list(home_id, kind)) < self.options.max_per_home

    async def add(self, home_id: str, speaker_id: str, kind: str, at: datetime, speech: str, **fields: object) -> Entry | None:
        """Schedule an entry; ``None`` when the home already holds ``max_per_home`` of that kind.

        Raises :class:`ScheduleError` for one that could not be fired (no UTC offset, out of range).
        """
        entry = Entry(uuid.uuid4().hex[:12], home_id, speaker_id, kind, at, speech, **fields)  # type: ignore[arg-type]
        check_entry(entry, self._now(), self.options.horizon_days * 86400)
        if not await self.has_room(home_id, kind):
            _LOGGER.info("%s of home %s: %d already scheduled, refusing another", kind, home_id, self.options.max_per_home)
            return None
        await self.store.put(to_record(entry))
        _LOGGER.debug("scheduled %s %s for home %s at %s", kind, entry.id, home_id, at.isoformat())
        self._changed.set()
        return entry

    async def update(self, entry: Entry) -> Entry:
        """Store a changed entry (moved, paused, resumed, lengthened); checked like a new one."""
        check_entry(entry, self._now(), self.options.horizon_days * 86400)
        await self.store.put(to_record(entry))
        self._changed.set()
        return entry

    async def remove(self, entry: Entry) -> bool:
        """Cancel an entry; ``False`` when it was gone already (fired, or cancelled elsewhere)."""
        removed = await self.store.delete(entry.home_id, entry.kind, entry.id)
        self._changed.set()
        return removed

    # -- firing ----------------------------------------------------------------------

    async def fire_due(self) -> int:
        """Publish every entry that is due now (and that this instance wins the claim for); returns how many."""
        now = self._now()
        fired = 0
        for record in await self.store.due(KINDS, now.timestamp()):
            try:
                fired += await self._fire(from_record(record), record.due_at, now)
            except StateUnavailable:
                raise
            except Exception:  # one bad entry must not stop every other home's alarms
                _LOGGER.exception("dropping %s %s of home %s: firing it failed", record.kind, record.key, record.home_id)
                await self.store.delete(record.home_id, record.kind, record.key)
        return fired

    async def _fire(self, entry: Entry, due_at: float | None, now: datetime) -> bool:
        if not await self.store.claim(f"{entry.kind}:{entry.home_id}:{entry.id}:{due_at!r}", self.options.claim_ttl_s):
            return False  # another instance is ringing it
        if entry.repeat:
            await self.store.put(to_record(replace(entry, at=next_occurrence(entry.at, entry.repeat, now))))
        elif not await self.store.delete(entry.home_id, entry.kind, entry.id):
            return False  # cancelled since it was read
        speech = entry.speech
        action = self._actions.get(entry.kind)
        if action is not None:
            speech = await action(entry, now)
        note = Notification(entry.home_id, entry.speaker_id, entry.kind, entry.label, speech, entry.at)
        listeners = await self._bus.publish(note)
        _LOGGER.info("%s %s of home %s fired (%d listeners)", entry.kind, entry.id, entry.home_id, listeners)
        return True

    async def _next_delay(self, fired: int) -> float:
        soonest = await self.store.next_due(KINDS)
        if soonest is None:
            return self.options.poll_s
        delay = min(self.options.poll_s, soonest - self._now().timestamp())
        if delay <= 0 and not fired:  # due, but claimed by another instance: give it time to finish
            return self.options.poll_s / 10
        return max(0.0, delay)

    # -- the loop and its supervisor -------------------------------------------------

    @property
    def healthy(self) -> Health:
        """Whether entries are being fired, and if not, why."""
        if self._task is None or self._task.done():
            return Health(False, "not started" if self._task is None else "the scheduler task ended")
        if self._problem:
            return Health(False, self._problem)
        quiet = time.monotonic() - self._last_pass
        if quiet > self.options.stall_s:
            return Health(False, f"no pass of the scheduler loop for {quiet:.0f} s")
        return Health(True)

    def _trouble(self, problem: str) -> None:
        if problem != self._problem:
            _LOGGER.warning("scheduler unhealthy: %s", problem)
        self._problem = problem

    async def _run(self) -> None:
        while True:
            self._changed.clear()
            try:
                fired = await self.fire_due()
                await self._bus.expire()
                delay = await self._next_delay(fired)
            except StateUnavailable as err:
                self._trouble(f"state store unavailable: {err.message}")
                delay = self.options.poll_s
            else:
                if self._problem:
                    _LOGGER.info("scheduler healthy again (was: %s)", self._problem)
                self._problem = ""
                self._last_pass = time.monotonic()
            await self._wait(delay)

    async def _wait(self, delay: float) -> None:
        if delay <= 0:
            await asyncio.sleep(0)
            return
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._changed.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # not awaited: awaiting a cancelled helper under suppress(CancelledError) would also
            # swallow a stop() that arrives meanwhile, and the loop would never end
            sleeper.cancel()
            waker.cancel()

    async def _supervise(self) -> None:
        while True:
            try:
                await self._run()
            except Exception as err:  # CancelledError (stop) is not an Exception: it passes
                self.restarts += 1
                self._trouble(f"the loop died ({type(err).__name__}: {err}); restart {self.restarts}")
                _LOGGER.exception("scheduler loop died; restarting it in %.1f s", self.options.restart_delay_s)
                await asyncio.sleep(self.options.restart_delay_s)

    async def start(self) -> None:
        """Start the loop (idempotent); entries already in the store fire once it runs."""
        if self._task is None or self._task.done():
            self._changed = asyncio.Event()
            self._changed.set()
            self._problem = ""
            self._last_pass = time.monotonic()
            self._task = asyncio.create_task(self._supervise(), name="lingxi-scheduler")

    async def stop(self) -> None:
        """Stop firing; entries stay in the store, so a later ``start`` (or another instance) fires them."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task



class ScheduledSkill:
    """A skill whose state is the scheduler's (timers, alarms, reminders).

    A request made while the state store cannot be reached (Redis stalled or down) gets an
    honest spoken failure for that task, in one place, instead of the pipeline's generic error.
    """

    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        try:
            return await self._handle(intent, ctx)
        except StateUnavailable as err:
            _LOGGER.warning("%s: the state store is unavailable: %s", intent.name, err.message)
            return SkillResult(
                ctx.say("现在记不住计时器和闹钟：存储暂时不可用，请稍后再试。",
                        "I can't keep timers and alarms right now: their store is unavailable. Please try again shortly."),
                actions=(ActionReport("", intent.name, {}, ActionStatus.FAILED, "state store unavailable"),),
            )

    async def _handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        raise NotImplementedError
