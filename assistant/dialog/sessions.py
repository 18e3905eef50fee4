"""Dialog sessions: what a follow-up turn needs from the turns before it.

A session is bound to one home and to the speaking device that started it, and forgotten
``ttl_s`` after its last turn. It holds the devices and intent of the last device task (for
"再亮一点" / "now turn it off"), a clarification question waiting for its answer, and actions
waiting for confirmation. Sessions are plain JSON so that several server instances can share
them in Redis.

Every save stores the next ``version`` of a session, and a store never replaces a copy with an
older one: of two copies (this instance's and Redis's, say) the newer wins. :meth:`SessionStore.claim`
is the compare-and-set a confirmation needs: it stores the next version only if no other turn
has stored one since this turn loaded the session, so held actions are released at most once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from assistant.pipeline.messages import quoted
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
    #: Saves so far: a store keeps the copy with the highest.
    version: int = 0
    #: The speaking device that started the session; only it may continue it ("" for one stored before binding).
    speaker_id: str = ""
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
                "version": self.version,
                "speaker_id": self.speaker_id,
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
            version=int(data.get("version", 0)),
            speaker_id=str(data.get("speaker_id", "")),
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

    async def load(self, session_id: str, home_id: str, speaker_id: str) -> Session:
        """The session (a fresh one when unknown or expired); PERMISSION_DENIED when another home or
        speaking device started it."""
        ...

    async def save(self, session: Session) -> None:
        """Store ``session`` as the version after the one it was loaded at, unless a newer copy is stored."""
        ...

    async def claim(self, session: Session) -> bool:
        """Store ``session`` as the version after the one it was loaded at only if no other turn stored
        that version or a later one first; ``True`` when this call stored it."""
        ...


def checked(session: Session | None, session_id: str, home_id: str, speaker_id: str, now: float, ttl_s: float) -> Session:
    if session is None or now - session.updated > ttl_s:
        # an expired session's count goes on, so that no copy of it can pass for newer
        return Session(session_id, home_id, now, version=session.version if session else 0, speaker_id=speaker_id)
    if session.home_id != home_id:
        raise LingxiError(ErrorCode.PERMISSION_DENIED, f"session {quoted(session_id)} belongs to another home")
    if session.speaker_id and session.speaker_id != speaker_id:
        raise LingxiError(
            ErrorCode.PERMISSION_DENIED,
            f"session {quoted(session_id)} was started by another speaking device; leave session_id empty to start one",
        )
    return session


def newer(candidate: Session, stored: Session | None, strict: bool) -> bool:
    """Whether ``candidate`` may replace ``stored``: a later version, or (unless ``strict``) the same one."""
    return stored is None or candidate.version > stored.version or (not strict and candidate.version == stored.version)


class MemorySessionStore:
    """Sessions in this process: the default for a single instance.

    Kept in order of their last save, so that the expired ones are dropped from the front as
    new ones come in; ``max_sessions`` bounds what the unexpired ones may take.
    """

    def __init__(self, ttl_s: float = 300.0, clock: Callable[[], float] = time.time, max_sessions: int = 100_000) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._max = max_sessions
        self._sessions: dict[str, Session] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    def peek(self, session_id: str) -> Session | None:
        """The stored copy as it is (expired or not)."""
        return self._sessions.get(session_id)

    async def load(self, session_id: str, home_id: str, speaker_id: str) -> Session:
        return checked(self._sessions.get(session_id), session_id, home_id, speaker_id, self._clock(), self.ttl_s)

    async def save(self, session: Session) -> None:
        self.put(session, strict=False)

    async def claim(self, session: Session) -> bool:
        return self.put(session, strict=True) is not None

    def put(self, session: Session, strict: bool) -> Session | None:
        """Store the version after ``session``'s (see :func:`newer`): the copy stored, or ``None``."""
        stamped = replace(session, version=session.version + 1, updated=self._clock())
        return stamped if self.keep(stamped, strict) else None

    def keep(self, session: Session, strict: bool = False) -> bool:
        """Store ``session`` as it is, if it is :func:`newer` than the stored copy; whether it was."""
        if not newer(session, self._sessions.get(session.id), strict):
            return False
        self._sessions.pop(session.id, None)  # re-inserted at the end: the order is the order of saves
        self._purge()
        self._sessions[session.id] = session
        return True

    def _purge(self) -> None:
        now = self._clock()
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if now - oldest.updated <= self.ttl_s and len(self._sessions) < self._max:
                return
            del self._sessions[oldest.id]
