"""Things the assistant says unprompted (a timer rings, an alarm, a reminder), fanned out per home.

Skills publish; every open ``Converse`` stream of a device in that home receives them.
One that finds no listener in this instance is parked in the state store (kind
``notification``) until it expires; a listening queue takes its home's parked ones when
it is read, so a speaker that reconnects, or listens on another instance sharing the
store, still hears it. Taking is a delete, so each parked notification is said once.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from domain.errors import StateUnavailable
from skills.state import Record, StateOptions, StateStore, open_store

_LOGGER = logging.getLogger(__name__)

#: The store kind of parked notifications.
PARKED = "notification"


@dataclass(frozen=True)
class Notification:
    """``kind`` is ``timer``, ``alarm`` or ``reminder``; ``speaker_id`` is where it was set."""

    home_id: str
    speaker_id: str
    kind: str
    label: str
    speech: str
    at: datetime


@dataclass(frozen=True)
class BusOptions:
    """``backlog_ttl_s``: how long a notification nobody heard waits for a listener;
    ``poll_s``: how often a waiting queue looks for ones parked by another instance;
    ``queue_limit``: a stream that stops reading loses notifications beyond this."""

    backlog_ttl_s: float = 600.0
    poll_s: float = 1.0
    queue_limit: int = 100


def _to_value(note: Notification) -> dict[str, str]:
    return {**asdict(note), "at": note.at.isoformat()}


def _from_value(value: dict[str, str]) -> Notification:
    return Notification(value["home_id"], value["speaker_id"], value["kind"], value["label"], value["speech"],
                        datetime.fromisoformat(value["at"]))


class NotificationQueue(asyncio.Queue[Notification]):
    """A home's listening queue: ``get`` also delivers what was parked for the home."""

    def __init__(self, bus: NotificationBus, home_id: str) -> None:
        super().__init__(bus.options.queue_limit)
        self._bus = bus
        self.home_id = home_id

    async def get(self) -> Notification:
        while True:
            if not self.empty():
                return self.get_nowait()
            await self._bus.deliver_parked(self.home_id)
            if not self.empty():
                return self.get_nowait()
            try:
                return await asyncio.wait_for(super().get(), self._bus.options.poll_s)
            except TimeoutError:
                continue


class NotificationBus:
    """``store`` defaults to an in-memory one (nothing parked survives the process)."""

    def __init__(
        self, store: StateStore | None = None, options: BusOptions | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store if store is not None else open_store(StateOptions())
        self.options = options or BusOptions()
        self._clock = clock
        self._queues: dict[str, set[NotificationQueue]] = {}
        self._store_trouble = False

    def _deliver(self, notification: Notification) -> int:
        delivered = 0
        for queue in self._queues.get(notification.home_id, ()):
            try:
                queue.put_nowait(notification)
                delivered += 1
            except asyncio.QueueFull:
                _LOGGER.warning(
                    "a %s notification for %s was dropped: its listener is not reading", notification.kind, notification.home_id
                )
        return delivered

    async def publish(self, notification: Notification) -> int:
        """Deliver to every listener of the home in this instance; with none, park it. Returns how many got it now."""
        delivered = self._deliver(notification)
        if delivered == 0:
            expires = self._clock() + self.options.backlog_ttl_s
            # keys in parking order, so two that rang at the same instant are said in the order they rang
            key = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
            await self.store.put(Record(notification.home_id, PARKED, key, _to_value(notification), expires))
            _LOGGER.info("a %s notification for %s is parked: no listener", notification.kind, notification.home_id)
        return delivered

    async def deliver_parked(self, home_id: str) -> int:
        """Hand the home's unexpired parked notifications to its listeners here; returns how many."""
        try:
            parked = await self.store.list(home_id, PARKED)
            now, taken = self._clock(), []
            for record in parked:
                if await self.store.delete(home_id, PARKED, record.key) and (record.due_at or 0) > now:
                    taken.append(_from_value(dict(record.value)))
        except StateUnavailable as err:
            if not self._store_trouble:
                _LOGGER.warning("parked notifications of %s cannot be read now: %s", home_id, err)
            self._store_trouble = True
            return 0
        self._store_trouble = False
        for note in sorted(taken, key=lambda n: n.at):
            self._deliver(note)
        return len(taken)

    async def expire(self) -> int:
        """Forget parked notifications whose listener never came back; returns how many."""
        gone = 0
        for record in await self.store.due((PARKED,), self._clock()):
            gone += await self.store.delete(record.home_id, PARKED, record.key)
        if gone:
            _LOGGER.info("%d parked notifications expired unheard", gone)
        return gone

    def subscribe(self, home_id: str) -> NotificationQueue:
        queue = NotificationQueue(self, home_id)
        self._queues.setdefault(home_id, set()).add(queue)
        return queue

    def unsubscribe(self, home_id: str, queue: asyncio.Queue[Notification]) -> None:
        listeners = self._queues.get(home_id)
        if listeners is not None:
            listeners.discard(queue)
            if not listeners:
                del self._queues[home_id]
