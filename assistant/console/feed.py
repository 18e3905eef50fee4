"""The console's live feed: what changed, fanned out to every open page as Server-Sent Events.

Each event is a kind (``request``, ``device``, ``eval``) and a JSON-able payload, usually
HTML fragments already rendered by the server, so the page only swaps them in. A page that
reads too slowly loses its oldest events rather than holding the service's memory.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

_LOGGER = logging.getLogger(__name__)

#: Events kept for one slow page before its oldest are dropped.
QUEUE_LIMIT = 500
#: A comment line this often keeps proxies and the browser from closing an idle stream.
KEEPALIVE_S = 15.0


@dataclass(frozen=True)
class FeedEvent:
    """One change: ``kind`` names it for the page's listener, ``data`` is what the page needs."""

    kind: str
    data: dict[str, Any]

    def encode(self) -> str:
        """The event in the text/event-stream format."""
        return f"event: {self.kind}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n"


_CLOSED = FeedEvent("closed", {})


class Feed:
    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[FeedEvent]] = set()
        self._closed = False

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def publish(self, kind: str, data: dict[str, Any]) -> None:
        event = FeedEvent(kind, data)
        for queue in self._subscribers:
            if queue.full():
                queue.get_nowait()  # a page that cannot keep up loses its oldest news, not the newest
            queue.put_nowait(event)

    async def stream(self) -> AsyncIterator[str]:
        """The events from now on, encoded, until :meth:`close`; keep-alive comments between them."""
        queue: asyncio.Queue[FeedEvent] = asyncio.Queue(QUEUE_LIMIT)
        self._subscribers.add(queue)
        try:
            yield ": connected\n\n"
            while not self._closed:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if event is _CLOSED:
                    return
                yield event.encode()
        finally:
            self._subscribers.discard(queue)

    def close(self) -> None:
        """End every open stream (the server is stopping: streams must not hold its shutdown)."""
        self._closed = True
        for queue in self._subscribers:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(_CLOSED)
