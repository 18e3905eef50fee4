"""Dialog: sessions and where they are kept, follow-ups that borrow from the last turn, answers to
"which one?", and the confirmation turn that releases held risky actions."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.dialog.clarify import resolve
    from assistant.dialog.confirmation import DIALOG_INTENTS, DialogControl, TurnSkills
    from assistant.dialog.followups import with_context
    from assistant.dialog.redis_store import RedisSessionStore
    from assistant.dialog.sessions import Clarification, MemorySessionStore, Session, SessionStore
    from assistant.dialog.state import last_device, read_session, write_session

__all__ = ["DIALOG_INTENTS", "Clarification", "DialogControl", "MemorySessionStore", "RedisSessionStore", "Session",
           "SessionStore", "TurnSkills", "last_device", "read_session", "resolve", "with_context", "write_session"]

__getattr__ = lazy_exports(__name__, {
    "clarify": ["resolve"],
    "confirmation": ["DIALOG_INTENTS", "DialogControl", "TurnSkills"],
    "followups": ["with_context"],
    "redis_store": ["RedisSessionStore"],
    "sessions": ["Clarification", "MemorySessionStore", "Session", "SessionStore"],
    "state": ["last_device", "read_session", "write_session"],
})
