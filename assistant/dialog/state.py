"""How a turn reads the session before it runs, and what it leaves in it afterwards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from assistant.dialog import clarify
from assistant.dialog.followups import DEVICE_INTENTS, PRODUCT_QA, TIMER_OR_PLAYER, with_context
from assistant.dialog.sessions import Clarification, Session
from domain.devices import DeviceInfo
from intents.types import Intent
from skills.sdk import ActionStatus, Awaiting, SkillResult

#: Actions whose device becomes "it" for the next turn.
REMEMBERED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.NEEDS_CONFIRMATION, ActionStatus.TIMEOUT})


def read_session(text: str, intents: tuple[Intent, ...], session: Session, devices: Sequence[DeviceInfo]) -> tuple[Intent, ...]:
    """The turn's intents with the session applied: an answer to "which one?" finishes the
    question; otherwise each intent that names no device borrows the last one."""
    by_id = {d.id: d for d in devices}
    if session.clarification is not None:
        completed = clarify.resolve(text, session.clarification, by_id)
        if completed:
            return completed
    return tuple(with_context(intent, session, by_id) for intent in intents)


def write_session(
    session: Session, intents: tuple[Intent, ...], results: Sequence[SkillResult], now: float
) -> Session:
    """The session after this turn: pending confirmation, open question, the devices just used."""
    pending = tuple(p for r in results for p in r.pending)
    asking = [(i, r) for i, r in zip(intents, results) if r.awaiting == Awaiting.CLARIFICATION and r.candidates]
    question = None
    if asking:  # the last question asked, for every intent that asked it
        candidates = asking[-1][1].candidates
        same = [(i.name, dict(i.slots)) for i, r in asking if r.candidates == candidates]
        question = Clarification(same[0][0], same[0][1], candidates, tuple(same[1:]))
    last_devices, last_intent, last_slots = session.last_devices, session.last_intent, session.last_slots
    topic = next((r.about for r in reversed(results) if r.about), session.topic)
    for intent, result in zip(intents, results):  # the turn's last device or knowledge task sets the context
        if (intent.name == PRODUCT_QA and result.about) or intent.name.startswith(TIMER_OR_PLAYER):
            last_intent = intent.name  # what "pause it" / "unpause it" is about next
        if intent.name not in DEVICE_INTENTS:
            continue
        used = tuple(dict.fromkeys(a.device for a in result.actions if a.status in REMEMBERED_STATUSES and a.device))
        if used:
            last_devices, last_intent, last_slots = used, intent.name, _plain(intent.slots)
            topic = used[-1]
    return replace(
        session,
        pending=pending,
        pending_since=now if pending else 0.0,
        clarification=question,
        last_devices=last_devices,
        last_intent=last_intent,
        last_slots=last_slots,
        topic=topic,
    )


def _plain(slots: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in slots.items() if isinstance(v, (str, int, float, bool, list))}


def last_order(session: Session) -> tuple[str, tuple[str, ...]] | None:
    """The last device order and its devices, for an elliptical turn ("and the kitchen one")."""
    return (session.last_intent, session.last_devices) if session.last_intent in DEVICE_INTENTS and session.last_devices \
        else None


def last_device(session: Session) -> str | None:
    """The device "it" refers to in the next question: the last one talked about or used."""
    return session.topic or (session.last_devices[-1] if session.last_devices else None)
