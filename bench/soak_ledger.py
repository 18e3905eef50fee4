"""What the soak test saw: every turn and its answer, every notification, every device state message.

Times are seconds since the run started (``time.monotonic()`` based), so turns, faults and
state messages of this process can be ordered against each other. The device log comes
from an MQTT client of its own that subscribes to every device's state topic, as any other
observer of the home would; the moments it was cut off (broker restarts) are kept, so that
a change it could not see is reported as unobserved rather than as lost.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from lingxi.assistant.v1 import assistant_pb2 as pb

from domain.home import Home
from iot_bridge import MqttClient, MqttSettings

_LOGGER = logging.getLogger(__name__)

#: ``Turn.code`` of a turn that was answered.
OK = "OK"


class Clock:
    """Seconds since the run started."""

    def __init__(self) -> None:
        self._zero = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self._zero


@dataclass(frozen=True)
class Intended:
    """The device change a turn asks for (``None`` value: the harness cannot know it in advance)."""

    device: str
    attribute: str
    value: Any


@dataclass(frozen=True)
class Turn:
    """One request and what came of it.

    ``way``: ``ask``, ``converse`` or ``audio``. ``purpose``: what the harness meant by it
    (``set``, ``confirm``, ``after_cancel``, ``timer``, ``probe``...). ``code``: ``OK`` or the
    error's code (a gRPC status name, a turn error's code, ``STREAM_BROKEN``, ``CLIENT_TIMEOUT``).
    """

    home: str
    speaker: str
    way: str
    purpose: str
    text: str
    sent: float
    received: float
    code: str
    answer: pb.Answer | None = None
    intended: Intended | None = None

    @property
    def latency_s(self) -> float:
        return self.received - self.sent


@dataclass(frozen=True)
class Heard:
    """A notification received on a speaker's ``Converse`` stream (``stream``: which opening of it)."""

    home: str
    speaker: str
    stream: int
    at: str
    device_id: str
    kind: str
    received: float


@dataclass(frozen=True)
class StateMessage:
    home: str
    device: str
    state: dict[str, Any]
    received: float
    retained: bool


@dataclass
class Ledger:
    """Everything recorded during one run."""

    turns: list[Turn] = field(default_factory=list)
    heard: list[Heard] = field(default_factory=list)
    states: list[StateMessage] = field(default_factory=list)
    #: (from, to) spans during which the state observer was not connected.
    observer_gaps: list[tuple[float, float]] = field(default_factory=list)
    #: (seconds, pid, rss in kB) samples of the service process.
    rss: list[tuple[float, int, int]] = field(default_factory=list)

    def confirmed(self) -> list[tuple[Turn, pb.Action]]:
        """Every device action an answer reported done, in the order the answers arrived."""
        return [(t, a) for t in sorted(self.turns, key=lambda t: t.received) if t.answer is not None
                for a in t.answer.actions if a.status == "done"]


class StateObserver:
    """Subscribes to every device state topic of ``homes`` and appends each message to the ledger."""

    def __init__(self, settings: MqttSettings, homes: list[Home], ledger: Ledger, clock: Clock) -> None:
        self._ledger = ledger
        self._clock = clock
        self._homes = {h.id: h for h in homes}
        self._down_since: float | None = 0.0
        self._client = MqttClient(settings, name="soak-observer", on_message=self._on_message,
                                  on_connect=self._on_connect, on_disconnect=self._on_disconnect)
        for home in homes:
            self._client.subscribe(f"lingxi/{home.id}/+/state")

    async def start(self) -> None:
        await self._client.start(wait=10.0)

    async def stop(self) -> None:
        await self._client.stop()

    def _on_connect(self) -> None:
        if self._down_since is not None:
            self._ledger.observer_gaps.append((self._down_since, self._clock()))
            self._down_since = None

    def _on_disconnect(self) -> None:
        if self._down_since is None:
            self._down_since = self._clock()

    def _on_message(self, topic: str, payload: bytes, retained: bool) -> None:
        parts = topic.split("/")
        if len(parts) != 4 or parts[1] not in self._homes:
            return
        try:
            state = json.loads(payload)
        except ValueError:
            _LOGGER.warning("state message on %s is not JSON: %r", topic, payload[:80])
            return
        self._ledger.states.append(StateMessage(parts[1], parts[2], state, self._clock(), retained))
