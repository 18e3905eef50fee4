"""The wrong-action metric: devices a case changed that it did not expect to change.

Acting on the wrong thing is the worst error of an assistant that controls a home (a question
that switches a light on, "all the lights in here" that darkens the whole house), so it is
counted on its own, beside accuracy. A device is expected to change when the case names it in
``expect.state``, or when the case expects a scene and the scene the answer ran sets it; with
``expect.unchanged`` nothing may change. A case that expects a command to act but does not say on
what (no ``state``) cannot be judged and is left out; a case that expects no acting intent at all
(questions, timers, content) may change nothing. The states compared are the ones read back over
MQTT before and after the case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assistant.pipeline.messages import Answer
from domain.home import ALL_LIGHTS, Home

States = Mapping[str, Mapping[str, Any]]

#: Intents that may change a device (a confirmation releases what an earlier turn held).
ACTING_INTENTS = frozenset({"device.turn_on", "device.turn_off", "device.set", "device.adjust", "scene.activate",
                            "dialog.confirm"})
#: Queries by name: "timer.query", "device.query", … and the few that are questions by another name.
_QUESTIONS = frozenset({"media.now_playing"})


def is_question(intent: str) -> bool:
    """Whether an intent only reads (it may never change a device)."""
    return intent.endswith((".query", ".status")) or intent in _QUESTIONS


def changed_devices(before: States, after: States) -> list[str]:
    """Ids of the devices whose reported state differs, sorted."""
    return sorted(d for d in after if after[d] != before.get(d))


def _scene_devices(home: Home, answer: Answer | None) -> set[str]:
    devices: set[str] = set()
    for intent in answer.intents if answer is not None else ():
        scene = home.scenes.get(str(intent.slots.get("scene") or "")) if intent.name == "scene.activate" else None
        for action in scene.actions if scene is not None else ():
            if action.target == ALL_LIGHTS:
                devices.update(d.id for d in home.devices.values() if d.type == "light")
            else:
                devices.add(action.target)
    return devices


def unexpected_changes(expect: Mapping[str, Any], answer: Answer | None, before: States, after: States,
                       home: Home) -> list[str]:
    """Devices that changed although ``expect`` does not let them (sorted ids)."""
    changed = changed_devices(before, after)
    if expect.get("unchanged"):
        return changed
    intents = expect.get("intents") or ()
    if "state" not in expect and (not intents or set(intents) & ACTING_INTENTS):
        return []  # it acts, on what it does not say
    allowed = set(expect.get("state") or ())
    if "scene.activate" in intents:
        allowed |= _scene_devices(home, answer)
    return [d for d in changed if d not in allowed]


def question_case(expected_intents: Sequence[str]) -> bool:
    """A case that only asks (every expected intent reads)."""
    return bool(expected_intents) and all(is_question(i) for i in expected_intents)
