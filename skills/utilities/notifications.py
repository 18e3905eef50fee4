"""Things the assistant says unprompted (a timer rings, an alarm, a reminder), fanned out per home.

Skills publish; every open ``Converse`` stream of a device in that home receives them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

_LOGGER = logging.getLogger(__name__)

#: A stream that stops reading loses notifications beyond this, rather than growing without bound.
QUEUE_LIMIT = 100


@dataclass(frozen=True)
class Notification:
    """``kind`` is ``timer``, ``alarm`` or ``reminder``; ``speaker_id`` is where it was set."""

    home_id: str
    speaker_id: str
    kind: str
    label: str
    speech: str
    at: datetime


class NotificationBus:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Notification]]] = {}

    def publish(self, notification: Notification) -> int:
        """Deliver to every subscriber of the home; returns how many got it."""
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

    def subscribe(self, home_id: str) -> asyncio.Queue[Notification]:
        queue: asyncio.Queue[Notification] = asyncio.Queue(QUEUE_LIMIT)
        self._queues.setdefault(home_id, set()).add(queue)
        return queue

    def unsubscribe(self, home_id: str, queue: asyncio.Queue[Notification]) -> None:
        listeners = self._queues.get(home_id)
        if listeners is not None:
            listeners.discard(queue)
            if not listeners:
                del self._queues[home_id]
