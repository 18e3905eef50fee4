"""The JSON schema an LLM planner must answer in, built from the catalog and the home.

The schema is the contract of the LLM path: the intents the installed skills serve
(never ``dialog.*``: confirmations come from the local layer only), each with the
slots of ``docs/intents.md`` (a third-party skill's: the slots and types of its
manifest, :class:`SkillIntent`), and the home's own ids (devices, rooms, scenes)
as enums, so a grammar-constrained model cannot even spell an invented device.
The same schema validates every answer (:func:`schema_errors`), grammar or not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.devices import DeviceInfo
from domain.home import WRITABLE_ATTRIBUTES, Home

#: Most tasks one utterance may carry on the LLM path.
MAX_TASKS = 4
#: Intents an LLM may never produce: they answer a pending confirmation or question.
LOCAL_ONLY_INTENTS = frozenset({"dialog.confirm", "dialog.deny", "dialog.cancel"})
OUT_OF_SCOPE = "out_of_scope"

_DEVICE_TARGET = ("device", "room", "device_type", "scope")
#: A device command said with a time carries ``when``: the time words as said ("十分钟后", "at 11 pm every day"),
#: resolved against the request's clock by the skill, so the model never has to know today's date.
_WHEN = ("when",)
#: What names a scheduled task (``schedule.cancel``/``change``): what it does, to what, and its time of day.
_SCHEDULED_TASK = ("at", "action", "device", "device_type", "room")
#: Built-in intent -> its slots (intents.md). Third-party intents come as :class:`SkillIntent`.
CATALOG_SLOTS: Mapping[str, tuple[str, ...]] = {
    "device.turn_on": (*_DEVICE_TARGET, *_WHEN),
    "device.turn_off": (*_DEVICE_TARGET, *_WHEN),
    "device.set": ("attribute", "value", "unit", *_DEVICE_TARGET, *_WHEN),
    "device.adjust": ("attribute", "direction", "amount", *_DEVICE_TARGET, *_WHEN),
    "device.query": ("attribute", "device", "room", "device_type"),
    "scene.activate": ("scene",),
    "timer.set": ("duration", "label"),
    "timer.cancel": ("label",),
    "timer.query": ("label",),
    "alarm.set": ("datetime", "repeat", "label"),
    "alarm.cancel": ("datetime",),
    "alarm.query": (),
    "reminder.set": ("datetime", "content"),
    "schedule.query": (),
    "schedule.cancel": (*_SCHEDULED_TASK, "scope"),
    "schedule.change": ("datetime", *_SCHEDULED_TASK),
    "calc.evaluate": ("expression",),
    "unit.convert": ("value", "from_unit", "to_unit"),
    "time.query": ("what", "days", "weekday", "week"),
    "media.volume": ("direction", "value"),
    "media.play_music": ("song", "artist", "album", "genre", "mood"),
    "media.play_video": ("title", "genre", "kind"),
    "media.play_audio": ("title", "kind"),
    "media.control": ("action",),
    "gen.write": ("form", "topic"),
    "gen.chat": (),
    "kb.product_qa": ("product", "question"),
    "kb.general_qa": ("question",),
    OUT_OF_SCOPE: (),
}

_TEXT: dict[str, Any] = {"type": "string", "maxLength": 40}
_NUMBER: dict[str, Any] = {"type": "number"}
_FIXED_SLOTS: Mapping[str, Mapping[str, Any]] = {
    "scope": {"enum": ["all"]},
    "attribute": {"enum": sorted(WRITABLE_ATTRIBUTES | {"humidity", "pm25", "battery", "status"})},
    "value": {"type": ["string", "number", "boolean"]},
    "direction": {"enum": ["up", "down"]},
    "amount": _NUMBER,
    "what": {"enum": ["time", "date", "weekday"]},
    "action": {"enum": ["pause", "resume", "next", "previous", "stop"]},
    "form": {"enum": ["poem", "story", "joke", "message", "other"]},
    "duration": {"type": ["string", "number"]},
}
#: Slots whose values depend on the intent: a scheduled task's ``action`` is the device intent it runs.
_INTENT_SLOTS: Mapping[tuple[str, str], Mapping[str, Any]] = {
    (intent, "action"): {"enum": ["device.adjust", "device.set", "device.turn_off", "device.turn_on"]}
    for intent in ("schedule.cancel", "schedule.change")
}


@dataclass(frozen=True)
class SkillSlot:
    """A slot of a third-party intent as its manifest types it."""

    name: str
    #: ``number``, ``duration``, ``room``, ``device``, or the name of the skill's own value list.
    type: str
    #: The values of the skill's own list (empty for the built-in types).
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkillIntent:
    """A third-party skill's intent as the planner sees it: its slots and how people ask for it."""

    name: str
    slots: tuple[SkillSlot, ...] = ()
    #: A sample utterance per language (``zh``, ``en``), shown in the prompt.
    samples: tuple[str, ...] = ()


#: What a planner is told an instance serves: the catalog's intent names and installed skills' intents.
Served = str | SkillIntent


def llm_intents(served: Iterable[Served]) -> tuple[str, ...]:
    """Intents an LLM may answer with: what the installed skills serve, minus dialog control, plus out_of_scope."""
    names = {_name(n) for n in served} - LOCAL_ONLY_INTENTS
    names.add(OUT_OF_SCOPE)
    return tuple(sorted(names))


def skill_intents(served: Iterable[Served]) -> tuple[SkillIntent, ...]:
    """The third-party intents among ``served``, by name."""
    return tuple(sorted((s for s in served if isinstance(s, SkillIntent)), key=lambda s: s.name))


def _name(served: Served) -> str:
    return served.name if isinstance(served, SkillIntent) else served


def _slot_schema(slot: str, home: Home, devices: Sequence[DeviceInfo]) -> Mapping[str, Any]:
    if slot == "device":
        return {"enum": sorted(d.id for d in devices)}
    if slot == "room":
        return {"enum": sorted(home.rooms)}
    if slot == "device_type":
        return {"enum": sorted({d.type for d in devices})}
    if slot == "scene":
        return {"enum": sorted(home.scenes)}
    return _FIXED_SLOTS.get(slot, _TEXT)


def _skill_slot_schema(slot: SkillSlot, home: Home, devices: Sequence[DeviceInfo]) -> Mapping[str, Any]:
    if slot.values:
        return {"enum": sorted(slot.values)}
    if slot.type in ("room", "device", "duration"):
        return _slot_schema(slot.type, home, devices)
    return _NUMBER if slot.type == "number" else _TEXT


def _task_schema(intent: str, home: Home, devices: Sequence[DeviceInfo], skill: SkillIntent | None = None) -> dict[str, Any]:
    slots = CATALOG_SLOTS.get(intent)
    slot_schema: dict[str, Any] = {"type": "object"}
    specs: dict[str, dict[str, Any]] | None = None
    if skill is not None:
        specs = {s.name: dict(_skill_slot_schema(s, home, devices)) for s in skill.slots}
    elif slots is not None:
        specs = {s: dict(_INTENT_SLOTS.get((intent, s)) or _slot_schema(s, home, devices)) for s in slots}
    if specs is None:  # an intent named without its manifest: short text slots
        slot_schema["additionalProperties"] = _TEXT
    else:
        # a slot with nothing to choose from (a home without scenes) is left out, not an empty enum
        slot_schema["properties"] = {s: spec for s, spec in specs.items() if spec.get("enum", True)}
        slot_schema["additionalProperties"] = False
    return {
        "type": "object",
        "properties": {"intent": {"const": intent}, "slots": slot_schema},
        "required": ["intent", "slots"],
        "additionalProperties": False,
    }


def plan_schema(served: Iterable[Served], home: Home, devices: Sequence[DeviceInfo]) -> dict[str, Any]:
    """The schema of a plan: ``{"tasks": [{"intent": ..., "slots": {...}}, ...]}``."""
    served = tuple(served)
    names = llm_intents(served)
    skills = {s.name: s for s in skill_intents(served)}
    return {
        "type": "object",
        "properties": {
            "tasks": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_TASKS,
                "items": {"anyOf": [_task_schema(n, home, devices, skills.get(n)) for n in names]},
            }
        },
        "required": ["tasks"],
        "additionalProperties": False,
    }


_TYPES: Mapping[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "number": (int, float), "boolean": (bool,),
}


def _is_type(value: Any, name: str) -> bool:
    if name == "number" and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def schema_errors(value: Any, schema: Mapping[str, Any], where: str = "$") -> list[str]:
    """What in ``value`` breaks ``schema`` (the subset :func:`plan_schema` uses); empty when valid."""
    if "anyOf" in schema:
        options = [schema_errors(value, s, where) for s in schema["anyOf"]]
        if any(not o for o in options):
            return []
        name = value.get("intent") if isinstance(value, dict) else None
        for option, option_errors in zip(schema["anyOf"], options):
            if option.get("properties", {}).get("intent", {}).get("const") == name:
                return option_errors  # the task's own intent: say what is wrong with its slots
        return [f"{where}.intent: {name!r} is not an intent this home serves"]
    if "const" in schema and value != schema["const"]:
        return [f"{where}: expected {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of the allowed values"]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is_type(value, k) for k in kinds):
            return [f"{where}: expected {'/'.join(kinds)}, got {type(value).__name__}"]
    errors: list[str] = []
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        errors.append(f"{where}: longer than {schema['maxLength']} characters")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            errors.append(f"{where}: {len(value)} items, allowed {schema.get('minItems', 0)}-{schema.get('maxItems')}")
        for i, item in enumerate(value):
            errors.extend(schema_errors(item, schema.get("items", {}), f"{where}[{i}]"))
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors.extend(f"{where}: missing {k!r}" for k in schema.get("required", ()) if k not in value)
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors.extend(schema_errors(item, properties[key], f"{where}.{key}"))
            elif extra is False:
                errors.append(f"{where}: unexpected {key!r}")
            elif isinstance(extra, Mapping):
                errors.extend(schema_errors(item, extra, f"{where}.{key}"))
    return errors
