"""What a skill declares: its intents with sample utterances and typed slots, the devices it may
reach, which of its actions wait for a confirmation turn, how fast it answers.

A manifest is a Python object or a ``manifest.yaml`` beside the skill's code
(:func:`load_manifest`); the reference is docs/skills.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

import yaml

from domain.errors import invalid_argument


class SkillKind(str, Enum):
    TOOL = "tool"
    CONTENT = "content"
    GENERATION = "generation"
    KNOWLEDGE = "knowledge"


class LatencyClass(StrEnum):
    """How long a skill's answer takes: ``instant`` (no I/O), ``fast`` (< 1 s), ``slow`` (seconds)."""

    INSTANT = "instant"
    FAST = "fast"
    SLOW = "slow"


class BuiltinSlotType(StrEnum):
    """Slot types every skill may use; any other type name must be one of the manifest's ``slot_types``."""

    NUMBER = "number"  # a count or amount: "4", "四", "four" -> 4
    DURATION = "duration"  # seconds: "十分钟", "10 minutes" -> 600
    ROOM = "room"  # a room id of the home
    DEVICE = "device"  # a device id of the home


#: What a content provider may declare it ``provides``: a request family or a catalogue kind
#: (those of skills/content/catalog.py, which this module cannot import: it is built on the SDK).
PROVIDED = frozenset({"music", "video", "audio", "song", "album", "artist", "playlist", "movie", "series", "cartoon",
                      "audiobook", "story", "podcast", "radio"})


class Access(StrEnum):
    READ = "read"  # list the devices and read their state
    CONTROL = "control"  # read, and send commands


@dataclass(frozen=True)
class SlotValue:
    """One value of a custom slot type: its id and the words (zh and en synonyms) that name it."""

    value: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class SlotType:
    name: str
    values: tuple[SlotValue, ...]


@dataclass(frozen=True)
class ConfirmRule:
    """When an intent's device actions wait for a confirmation turn: always (``slot`` empty), or when
    the number in ``slot`` is above ``above`` ("make 4 coffees" with ``cups`` above 3)."""

    slot: str = ""
    above: float = 0.0

    def applies(self, slots: Mapping[str, Any]) -> bool:
        if not self.slot:
            return True
        value = slots.get(self.slot)
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > self.above


@dataclass(frozen=True)
class IntentSpec:
    """One intent a skill serves. ``name`` is prefixed with the skill's vendor (``acme.coffee.make``);
    ``slots`` maps slot names to a type (:class:`BuiltinSlotType` or a custom type's name);
    ``samples`` are utterances by language (``zh``, ``en``) that teach understanding the intent."""

    name: str
    samples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    slots: Mapping[str, str] = field(default_factory=dict)
    confirm: ConfirmRule | None = None


@dataclass(frozen=True)
class Permission:
    """Devices a skill may reach: of ``device_type`` (``switch``, ``light``...), with ``access``, and
    only the ``attributes`` listed for commands (empty: any the device has)."""

    device_type: str
    access: Access = Access.READ
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkillManifest:
    """What a skill serves.

    ``intents`` are catalog names (or the skill's own, prefixed: ``acme.order_coffee``);
    ``confirm`` makes every device action of the skill wait for a confirmation turn;
    ``specs`` the intents' samples, slots and confirmation rules; ``permissions`` the devices
    the skill may read or control (none: no device at all); ``slot_types`` its custom value lists;
    ``provides`` the content (families or kinds of :data:`PROVIDED`) it offers the content skill.
    """

    name: str
    kind: SkillKind
    intents: tuple[str, ...]
    description: str = ""
    confirm: bool = False
    version: str = ""
    latency: LatencyClass = LatencyClass.FAST
    specs: tuple[IntentSpec, ...] = ()
    permissions: tuple[Permission, ...] = ()
    slot_types: Mapping[str, SlotType] = field(default_factory=dict)
    provides: tuple[str, ...] = ()

    def spec(self, intent: str) -> IntentSpec | None:
        return next((s for s in self.specs if s.name == intent), None)


def load_manifest(path: str | Path) -> SkillManifest:
    """Read a ``manifest.yaml``; a bad one raises INVALID_ARGUMENT naming the file and the field."""
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise invalid_argument(f"{path}: cannot read the manifest: {err}") from err
    try:
        return manifest_from_dict(doc)
    except (KeyError, TypeError, ValueError) as err:
        raise invalid_argument(f"{path}: {err!r}") from err


def manifest_from_dict(doc: Mapping[str, Any]) -> SkillManifest:
    slot_types = {name: SlotType(name, tuple(_slot_value(v) for v in values))
                  for name, values in (doc.get("slot_types") or {}).items()}
    specs = tuple(_intent(i) for i in doc.get("intents") or ())
    provides = tuple(map(str, doc.get("provides") or ()))
    if set(provides) - PROVIDED:
        raise ValueError(f"provides {sorted(set(provides) - PROVIDED)}: not one of {sorted(PROVIDED)}")
    for spec in specs:
        for slot, kind in spec.slots.items():
            if kind not in slot_types and kind not in BuiltinSlotType.__members__.values():
                raise ValueError(f"intent {spec.name}: slot {slot} has unknown type {kind!r}")
    return SkillManifest(
        name=str(doc["name"]),
        kind=SkillKind(doc.get("kind", "tool")),
        intents=tuple(s.name for s in specs),
        description=str(doc.get("description", "")),
        confirm=bool(doc.get("confirm", False)),
        version=str(doc.get("version", "")),
        latency=LatencyClass(doc.get("latency", "fast")),
        specs=specs,
        permissions=tuple(Permission(str(p["type"]), Access(p.get("access", "read")),
                                     tuple(p.get("attributes") or ())) for p in doc.get("permissions") or ()),
        slot_types=slot_types,
        provides=provides,
    )


def _slot_value(item: Any) -> SlotValue:
    if isinstance(item, str):
        return SlotValue(item, (item,))
    words = [*item.get("zh", ()), *item.get("en", ()), *item.get("synonyms", ())]
    return SlotValue(str(item["value"]), tuple(dict.fromkeys([str(item["value"]), *map(str, words)])))


def _intent(item: Mapping[str, Any]) -> IntentSpec:
    rule = item.get("confirm")
    confirm = None
    if rule is True:
        confirm = ConfirmRule()
    elif isinstance(rule, Mapping):
        confirm = ConfirmRule(str(rule.get("slot", "")), float(rule.get("above", 0)))
    samples = {lang: tuple(map(str, texts)) for lang, texts in (item.get("samples") or {}).items()}
    return IntentSpec(str(item["name"]), samples, {str(k): str(v) for k, v in (item.get("slots") or {}).items()}, confirm)
