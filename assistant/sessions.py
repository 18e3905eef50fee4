"""Dialog sessions: what a follow-up turn needs from the turns before it.

In memory, keyed by session id and bound to one home; a session unused for
``ttl_s`` is forgotten, and with it any action that was waiting for confirmation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from skills.sdk import PendingAction

from .errors import ErrorCode, LingxiError


@dataclass(frozen=True)
class Session:
    id: str
    home_id: str
    updated: float
    pending: tuple[PendingAction, ...] = ()
    last_intents: tuple[str, ...] = field(default_factory=tuple)


class SessionStore:
    def __init__(self, ttl_s: float = 300.0, clock: Callable[[], float] = time.monotonic, max_sessions: int = 100_000) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._max = max_sessions
        self._sessions: dict[str, Session] = {}

    def load(self, session_id: str, home_id: str) -> Session:
        """The live session with this id, or a fresh one; a session of another home is refused."""
        now = self._clock()
        session = self._sessions.get(session_id)
        if session is not None and now - session.updated > self._ttl_s:
            session = None
        if session is None:
            return Session(session_id, home_id, now)
        if session.home_id != home_id:
            raise LingxiError(ErrorCode.PERMISSION_DENIED, f"session {session_id!r} belongs to another home")
        return session

    def save(self, session: Session) -> None:
        if len(self._sessions) >= self._max:
            self._evict()
        self._sessions[session.id] = replace(session, updated=self._clock())

    def _evict(self) -> None:
        now = self._clock()
        for key in [k for k, s in self._sessions.items() if now - s.updated > self._ttl_s]:
            del self._sessions[key]
        while len(self._sessions) >= self._max:
            self._sessions.pop(next(iter(self._sessions)))
