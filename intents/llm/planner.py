"""The LLM planner: an utterance → a validated plan of intents, or a coded error.

Every answer is checked against the plan schema (:mod:`intents.llm.schema`) whatever
the backend promised: unknown intents, invented devices, rooms or scenes, and wrong
slot types are refused. A refused answer is repaired once (the model is shown what
was wrong) if time allows, then rejected with ``invalid_output``. ``dialog.*`` tasks
are stripped: only the local layer may answer a pending confirmation. Intents come
back with ``source=IntentSource.LLM``; the skills and their safety gate do the rest.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.devices import DeviceInfo
from domain.home import Home
from intents.llm.backends import LlmBackend, LlmError, LlmErrorCode
from intents.llm.prompt import build_messages, repair_messages
from intents.llm.schema import (
    LOCAL_ONLY_INTENTS,
    OUT_OF_SCOPE,
    Served,
    llm_intents,
    plan_schema,
    schema_errors,
    skill_intents,
)
from intents.types import Intent, IntentSource
from intents.vocabulary import TYPE_WORDS

_LOGGER = logging.getLogger(__name__)

#: An LLM's plan carries no calibrated confidence; it is trusted this much (below the local threshold).
LLM_CONFIDENCE = 0.7
#: A repair is only worth asking for with at least this much time left (seconds).
MIN_REPAIR_S = 0.3
#: Slots a task of these intents cannot do without.
REQUIRED_SLOTS: Mapping[str, tuple[str, ...]] = {
    "device.set": ("attribute", "value"),
    "device.adjust": ("attribute",),
    "scene.activate": ("scene",),
}


@dataclass(frozen=True)
class Checked:
    """An answer read and checked: intents when valid, otherwise what was wrong."""

    intents: tuple[Intent, ...] = ()
    problems: tuple[str, ...] = ()
    stripped: tuple[str, ...] = ()  # dialog intents the model tried to answer with


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start, end = text.find("{"), text.rfind("}")  # prose or a code fence around the object
        if start < 0 or end <= start:
            raise
        return json.loads(text[start : end + 1])


def check_plan(text: str, utterance: str, schema: Mapping[str, Any]) -> Checked:
    """Read one model answer against the schema and the rules of the LLM path."""
    try:
        data = _parse_json(text.strip())
    except json.JSONDecodeError as err:
        return Checked(problems=(f"not JSON ({err.msg} at {err.pos})",))
    tasks = data.get("tasks") if isinstance(data, dict) else None
    stripped: list[str] = []
    if isinstance(tasks, list):  # dialog control is never the model's to answer: drop it before checking
        stripped = [t["intent"] for t in tasks if isinstance(t, dict) and t.get("intent") in LOCAL_ONLY_INTENTS]
        data = {**data, "tasks": [t for t in tasks if not (isinstance(t, dict) and t.get("intent") in LOCAL_ONLY_INTENTS)]}
        if stripped and not data["tasks"]:
            return Checked(problems=("only dialog control, which the LLM may not answer",), stripped=tuple(stripped))
    problems = schema_errors(data, schema)
    if problems:
        return Checked(problems=tuple(problems), stripped=tuple(stripped))
    wanted = [t for t in data["tasks"] if t["intent"] != OUT_OF_SCOPE] or data["tasks"][:1]
    for task in wanted:
        missing = [s for s in REQUIRED_SLOTS.get(task["intent"], ()) if task["slots"].get(s) in (None, "")]
        if missing:
            problems.append(f"{task['intent']} needs {', '.join(missing)}")
    if problems:
        return Checked(problems=tuple(problems), stripped=tuple(stripped))
    intents = tuple(Intent(t["intent"], dict(t["slots"]), LLM_CONFIDENCE, IntentSource.LLM, utterance) for t in wanted)
    return Checked(intents=intents, stripped=tuple(stripped))


def _mentions(utterance: str, words: Iterable[str]) -> bool:
    """Whether any word occurs: Chinese as a substring, Latin words whole ("light" is not in "flight")."""
    text = utterance.lower()
    for word in filter(None, (w.lower() for w in words)):
        if word.isascii():
            if re.search(rf"\b{re.escape(word)}s?\b", text):
                return True
        elif word in text:
            return True
    return False


def ungrounded(intents: Sequence[Intent], utterance: str, home: Home, devices: Sequence[DeviceInfo]) -> list[str]:
    """Device tasks whose target the utterance never mentions (no device, room or type word in it).

    A weak model answers "book me a flight" with "turn off the living-room light"; a task with
    nothing in the words to stand on is refused rather than run.
    """
    by_id = {d.id: d for d in devices}
    problems = []
    for intent in intents:
        if not intent.name.startswith("device."):
            continue
        slots = intent.slots
        words: list[str] = []
        device = by_id.get(str(slots.get("device") or ""))
        rooms = [str(slots.get("room") or "")]
        if device is not None:
            words += [*device.names.all(), *TYPE_WORDS.get(device.type, ())]
            rooms.append(device.room)  # "书房有点暗" names the lamp's room, not the lamp
        for room in filter(None, map(home.rooms.get, rooms)):
            words += [*room.names.all(), room.id.replace("_", " ")]
        words += TYPE_WORDS.get(str(slots.get("device_type") or ""), ())
        if not _mentions(utterance, words):
            target = slots.get("device") or slots.get("room") or slots.get("device_type") or "a device"
            problems.append(f"{intent.name} on {target}: the request does not mention it")
    return problems


class LlmPlanner:
    """Plans with one backend; the schema and prompt of each home are built once per device set."""

    def __init__(self, backend: LlmBackend, require_grounding: bool = True) -> None:
        self.backend = backend
        self._require_grounding = require_grounding
        self._schemas: dict[tuple[Any, ...], tuple[tuple[str, ...], dict[str, Any]]] = {}

    @property
    def name(self) -> str:
        return self.backend.name

    def schema(self, home: Home, devices: Sequence[DeviceInfo], served: Iterable[Served]) -> tuple[tuple[str, ...], dict[str, Any]]:
        served = tuple(served)
        names = llm_intents(served)
        key = (home.id, tuple((d.id, d.type, d.room, tuple(d.capabilities)) for d in devices), names, skill_intents(served))
        if key not in self._schemas:
            self._schemas = {k: v for k, v in self._schemas.items() if k[0] != home.id}
            self._schemas[key] = (names, plan_schema(served, home, devices))
        return self._schemas[key]

    def _check(
        self, answer: str, utterance: str, schema: Mapping[str, Any], home: Home, devices: Sequence[DeviceInfo]
    ) -> Checked:
        checked = check_plan(answer, utterance, schema)
        if checked.problems or not self._require_grounding:
            return checked
        problems = ungrounded(checked.intents, utterance, home, devices)
        return Checked(problems=tuple(problems), stripped=checked.stripped) if problems else checked

    async def plan(
        self, utterance: str, home: Home, devices: Sequence[DeviceInfo], served: Iterable[Served], deadline: float
    ) -> tuple[Intent, ...]:
        """Intents for ``utterance`` by ``deadline`` (a ``time.monotonic()`` instant), or :class:`LlmError`."""
        served = tuple(served)
        names, schema = self.schema(home, devices, served)
        messages = build_messages(utterance, names, home, devices, skill_intents(served))
        answer = await self.backend.complete(messages, schema, deadline - time.monotonic())
        checked = self._check(answer, utterance, schema, home, devices)
        if checked.problems and deadline - time.monotonic() >= MIN_REPAIR_S:
            _LOGGER.info("%s: repairing an invalid plan: %s", self.name, "; ".join(checked.problems[:3]))
            repair = repair_messages(messages, answer, checked.problems)
            answer = await self.backend.complete(repair, schema, deadline - time.monotonic())
            checked = self._check(answer, utterance, schema, home, devices)
        if checked.stripped:
            _LOGGER.warning("%s: dropped dialog intents the model proposed: %s", self.name, ", ".join(checked.stripped))
        if checked.problems:
            raise LlmError(LlmErrorCode.INVALID_OUTPUT, f"{self.name}: " + "; ".join(checked.problems[:3]))
        return checked.intents
