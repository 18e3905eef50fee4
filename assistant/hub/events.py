"""What a hub's automations see of an answer: one event per recognised intent and per action result.

Each event says which request it belongs to (``request_id``, ``session_id``, ``speaker``), so an
automation can tie an action to the intent that caused it. ``out_of_scope`` is not an intent
anyone can act on and has no event.
"""

from __future__ import annotations

from typing import Any

from assistant.hub.topics import action_topic, intent_topic
from assistant.pipeline.messages import Answer

#: The pseudo-intent of an utterance nothing understood.
NOT_UNDERSTOOD = "out_of_scope"


def _origin(answer: Answer) -> dict[str, Any]:
    return {"request_id": answer.request_id, "session_id": answer.session_id, "speaker": answer.speaker}


def answer_events(answer: Answer) -> list[tuple[str, dict[str, Any]]]:
    """(topic, JSON object) of every event of ``answer``: its intents first, then its actions."""
    events = [
        (intent_topic(answer.home_id, intent.name), {
            "intent": intent.name, "slots": dict(intent.slots), "confidence": round(intent.confidence, 3),
            "source": intent.source.value, "text": intent.text or answer.text, "lang": answer.lang, **_origin(answer),
        })
        for intent in answer.intents if intent.name != NOT_UNDERSTOOD
    ]
    events += [
        (action_topic(answer.home_id, action.device), {
            "device": action.device, "status": action.status, "command": action.command, "params": dict(action.params),
            "detail": action.detail, **_origin(answer),
        })
        for action in answer.actions
    ]
    return events
