"""The LLM planner: an utterance → a validated plan of intents, or a coded error.

Every answer is checked against the plan schema (:mod:`intents.llm_schema`) whatever
the backend promised: unknown intents, invented devices, rooms or scenes, and wrong
slot types are refused. A refused answer is repaired once (the model is shown what
was wrong) if time allows, then rejected with ``invalid_output``. ``dialog.*`` tasks
are stripped: only the local layer may answer a pending confirmation. Intents come
back with ``source=IntentSource.LLM``; the skills and their safety gate do the rest.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iot_bridge.commands import DeviceInfo
from iot_bridge.home import Home

from .llm_backends import LlmBackend, LlmError, LlmErrorCode
from .llm_prompt import build_messages, repair_messages
from .llm_schema import LOCAL_ONLY_INTENTS, OUT_OF_SCOPE, llm_intents, plan_schema, schema_errors
from .types import Intent, IntentSource

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
        stripped = [t.get("intent") for t in tasks if isinstance(t, dict) and t.get("intent") in LOCAL_ONLY_INTENTS]
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


class LlmPlanner:
    """Plans with one backend; the schema and prompt of each home are built once per device set."""

    def __init__(self, backend: LlmBackend) -> None:
        self.backend = backend
        self._schemas: dict[tuple[Any, ...], tuple[tuple[str, ...], dict[str, Any]]] = {}

    @property
    def name(self) -> str:
        return self.backend.name

    def schema(self, home: Home, devices: Sequence[DeviceInfo], served: Iterable[str]) -> tuple[tuple[str, ...], dict[str, Any]]:
        names = llm_intents(served)
        key = (home.id, tuple((d.id, d.type, d.room, tuple(d.capabilities)) for d in devices), names)
        if key not in self._schemas:
            self._schemas = {k: v for k, v in self._schemas.items() if k[0] != home.id}
            self._schemas[key] = (names, plan_schema(names, home, devices))
        return self._schemas[key]

    async def plan(
        self, utterance: str, home: Home, devices: Sequence[DeviceInfo], served: Iterable[str], deadline: float
    ) -> tuple[Intent, ...]:
        """Intents for ``utterance`` by ``deadline`` (a ``time.monotonic()`` instant), or :class:`LlmError`."""
        names, schema = self.schema(home, devices, served)
        messages = build_messages(utterance, names, home, devices)
        answer = await self.backend.complete(messages, schema, deadline - time.monotonic())
        checked = check_plan(answer, utterance, schema)
        if checked.problems and deadline - time.monotonic() >= MIN_REPAIR_S:
            _LOGGER.info("%s: repairing an invalid plan: %s", self.name, "; ".join(checked.problems[:3]))
            repair = repair_messages(messages, answer, checked.problems)
            answer = await self.backend.complete(repair, schema, deadline - time.monotonic())
            checked = check_plan(answer, utterance, schema)
        if checked.stripped:
            _LOGGER.warning("%s: dropped dialog intents the model proposed: %s", self.name, ", ".join(checked.stripped))
        if checked.problems:
            raise LlmError(LlmErrorCode.INVALID_OUTPUT, f"{self.name}: " + "; ".join(checked.problems[:3]))
        return checked.intents
