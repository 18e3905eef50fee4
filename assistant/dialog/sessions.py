"""Dialog sessions: what a follow-up turn needs from the turns before it.

A session is bound to one home and forgotten ``ttl_s`` after its last turn. It holds
the devices and intent of the last device task (for "再亮一点" / "now turn it off"),
a clarification question waiting for its answer, and actions waiting for confirmation.
Sessions are plain JSON so that several server instances can share them in Redis.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from domain.devices import DeviceCommand
from domain.errors import ErrorCode, LingxiError
from skills.sdk import PendingAction


@dataclass(frozen=True)
class Clarification:
    """A question "which one?" waiting for its answer: the intent to finish and its candidates."""

    intent: str
    slots: dict[str, Any]
    candidates: tuple[str, ...]
    #: Later intents of the same turn waiting on the same answer ("把灯打开调到50%": on, then 50 %).
    more: tuple[tuple[str, dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class Session:
    id: str
    home_id: str
    updated: float = 0.0  # wall-clock seconds of the last turn
    pending: tuple[PendingAction, ...] = ()
    pending_since: float = 0.0
    clarification: Clarification | None = None
    last_devices: tuple[str, ...] = ()
    last_intent: str = ""
    last_slots: dict[str, Any] = field(default_factory=dict)
    #: The device the last answer talked about (a knowledge answer's product), or the last one used.
    topic: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "home_id": self.home_id,
                "updated": self.updated,
                "pending": [
                    {"device": p.command.device_id, "changes": dict(p.command.changes), "verb": p.verb, "description": p.description}
                    for p in self.pending
                ],
                "pending_since": self.pending_since,
                "clarification": None if self.clarification is None else {
                    "intent": self.clarification.intent,
                    "slots": self.clarification.slots,
                    "candidates": list(self.clarification.candidates),
                    "more": [[name, slots] for name, slots in self.clarification.more],
                },
                "last_devices": list(self.last_devices),
                "last_intent": self.last_intent,
                "last_slots": self.last_slots,
                "topic": self.topic,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Session:
        data = json.loads(text)
        clarification = data.get("clarification")
        return cls(
            id=data["id"],
            home_id=data["home_id"],
            updated=float(data.get("updated", 0.0)),
            pending=tuple(
                PendingAction(DeviceCommand(p["device"], p["changes"]), p["verb"], p["description"]) for p in data.get("pending", ())
            ),
            pending_since=float(data.get("pending_since", 0.0)),
            clarification=None if not clarification else Clarification(
                clarification["intent"], dict(clarification["slots"]), tuple(clarification["candidates"]),
                tuple((name, dict(slots)) for name, slots in clarification.get("more", ())),
            ),
            last_devices=tuple(data.get("last_devices", ())),
            last_intent=data.get("last_intent", ""),
            last_slots=dict(data.get("last_slots", {})),
            topic=str(data.get("topic", "")),
        )


class SessionStore(Protocol):
    """Where sessions live between turns."""

    async def load(self, session_id: str, home_id: str) -> Session: ...

    async def save(self, session: Session) -> None: ...


def checked(session: Session | None, session_id: str, home_id: str, now: float, ttl_s: float) -> Session:
    if session is None or now - session.updated > ttl_s:
        return Session(session_id, home_id, now)
    if session.home_id != home_id:
        raise LingxiError(ErrorCode.PERMISSION_DENIED, f"session {session_id!r} belongs to another home")
    return session


class MemorySessionStore:
    """Sessions in this process: the default for a single instance."""

    def __init__(self, ttl_s: float = 300.0, clock: Callable[[], float] = time.time, max_sessions: int = 100_000) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._max = max_sessions
        self._sessions: dict[str, Session] = {}

    async def load(self, session_id: str, home_id: str) -> Session:
        return checked(self._sessions.get(session_id), session_id, home_id, self._clock(), self.ttl_s)

    async def save(self, session: Session) -> None:
        if session.id not in self._sessions and len(self._sessions) >= self._max:
            self._evict()
        self._sessions[session.id] = replace(session, updated=self._clock())

    def _evict(self) -> None:
        now = self._clock()
        for key in [k for k, s in self._sessions.items() if now - s.updated > self.ttl_s]:
            del self._sessions[key]
        while len(self._sessions) >= self._max:
            self._sessions.pop(next(iter(self._sessions)))
