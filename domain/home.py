"""The home model: rooms, speakers, devices with capabilities, scenes.

A home is loaded once from YAML (the format of ``docs/home-file.md``) and
is immutable afterwards; live device state belongs to the devices and is read over
MQTT, never kept here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from domain.errors import HomeError

_LOGGER = logging.getLogger(__name__)

#: Attributes a device may expose and how their values are typed.
BOOL_ATTRIBUTES = frozenset({"power"})
NUMBER_ATTRIBUTES = frozenset({"brightness", "color_temp", "temperature", "position", "volume"})
ENUM_ATTRIBUTES = frozenset({"color", "mode", "fan_speed", "lock"})
WRITABLE_ATTRIBUTES = BOOL_ATTRIBUTES | NUMBER_ATTRIBUTES | ENUM_ATTRIBUTES

#: A home's privacy policies: ``local_only`` keeps every request inside the house.
PRIVACY_POLICIES = ("standard", "local_only")

#: Scene target meaning "every device of type light".
ALL_LIGHTS = "all_lights"

#: The zone of a home file that names none (said in the log when it is loaded).
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class Capability:
    """One writable attribute of a device.

    ``kind`` is ``bool`` (power), ``range`` (inclusive ``minimum``..``maximum``) or
    ``enum`` (one of ``options``).
    """

    attribute: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[str, ...] = ()

    def clamp(self, value: float) -> float:
        """Return ``value`` limited to the capability's range."""
        if self.minimum is not None and value < self.minimum:
            return self.minimum
        if self.maximum is not None and value > self.maximum:
            return self.maximum
        return value

    @classmethod
    def from_spec(cls, attribute: str, spec: Any) -> Capability:
        if attribute not in WRITABLE_ATTRIBUTES:
            raise HomeError(f"unknown capability {attribute!r}")
        if spec is True:
            return cls(attribute, "bool")
        if isinstance(spec, list) and attribute in NUMBER_ATTRIBUTES and len(spec) == 2:
            return cls(attribute, "range", float(spec[0]), float(spec[1]))
        if isinstance(spec, list) and attribute in ENUM_ATTRIBUTES:
            return cls(attribute, "enum", options=tuple(str(o) for o in spec))
        raise HomeError(f"bad capability {attribute}: {spec!r}")


@dataclass(frozen=True)
class Names:
    """What people call something, per language."""

    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.zh + self.en

    def first(self, lang: str) -> str:
        names = self.zh if lang == "zh" else self.en
        return names[0] if names else (self.all() or ("",))[0]

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Names:
        return cls(tuple(spec.get("zh", ()) or ()), tuple(spec.get("en", ()) or ()))


@dataclass(frozen=True)
class Room:
    id: str
    names: Names


@dataclass(frozen=True)
class Speaker:
    """A device that hears and speaks; its room is the default room of its requests."""

    id: str
    room: str
    names: Names
    volume: int = 50


@dataclass(frozen=True)
class Device:
    """A controllable or readable device of the home.

    ``risky`` maps an attribute to the condition that needs a confirmation turn:
    either a value (``lock: unlocked``) or ``{"above": N}`` for numbers.
    """

    id: str
    type: str
    room: str
    names: Names
    capabilities: Mapping[str, Capability]
    initial_state: Mapping[str, Any]
    risky: Mapping[str, Any] = field(default_factory=dict)

    def is_risky(self, attribute: str, value: Any) -> bool:
        """Whether setting ``attribute`` to ``value`` needs a confirmation turn."""
        return is_risky(self.risky, attribute, value)


def is_risky(risky: Mapping[str, Any], attribute: str, value: Any) -> bool:
    """Whether ``risky`` (a device's risk rules) says ``attribute = value`` needs confirmation."""
    rule = risky.get(attribute)
    if rule is None:
        return False
    if isinstance(rule, Mapping) and "above" in rule:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > rule["above"]
    return bool(value == rule)


@dataclass(frozen=True)
class SceneAction:
    target: str  # a device id, or ALL_LIGHTS
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class Scene:
    id: str
    names: Names
    actions: tuple[SceneAction, ...]


@dataclass(frozen=True)
class Home:
    """One home: rooms, speakers, devices and scenes, keyed by id."""

    id: str
    rooms: Mapping[str, Room]
    speakers: Mapping[str, Speaker]
    devices: Mapping[str, Device]
    scenes: Mapping[str, Scene]
    discovery_prefix: str = "homeassistant"
    #: ``standard``, or ``local_only``: nothing of this home's requests leaves the house (no cloud LLM).
    privacy: str = "standard"
    #: The home's IANA time zone: the clock of every request that carries none of its own.
    timezone: str = DEFAULT_TIMEZONE

    @cached_property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        """The time in the home, with its UTC offset (not the machine's zone)."""
        return datetime.now(self.zone)

    def expand_target(self, target: str) -> tuple[str, ...]:
        """Device ids a scene target names."""
        if target == ALL_LIGHTS:
            return tuple(d.id for d in self.devices.values() if d.type == "light")
        return (target,)


def _parse_risky(spec: Mapping[str, Any] | None) -> dict[str, Any]:
    risky: dict[str, Any] = {}
    for key, value in (spec or {}).items():
        if key.endswith("_above"):
            risky[key[: -len("_above")]] = {"above": value}
        else:
            risky[key] = value
    return risky


def parse_home(data: Mapping[str, Any]) -> Home:
    """Build a :class:`Home` from the parsed YAML document."""
    try:
        home_id = str(data["home"])
        rooms = {rid: Room(rid, Names.from_spec(spec)) for rid, spec in (data.get("rooms") or {}).items()}
        speakers = {
            sid: Speaker(sid, spec["room"], Names.from_spec(spec), int(spec.get("volume", 50)))
            for sid, spec in (data.get("speakers") or {}).items()
        }
        devices = {}
        for did, spec in (data.get("devices") or {}).items():
            caps = {a: Capability.from_spec(a, s) for a, s in (spec.get("capabilities") or {}).items()}
            devices[did] = Device(
                id=did,
                type=spec["type"],
                room=spec["room"],
                names=Names.from_spec(spec),
                capabilities=caps,
                initial_state=dict(spec.get("state") or {}),
                risky=_parse_risky(spec.get("risky")),
            )
        scenes = {
            sid: Scene(
                sid,
                Names.from_spec(spec),
                tuple(SceneAction(a["device"], dict(a["set"])) for a in spec.get("actions") or ()),
            )
            for sid, spec in (data.get("scenes") or {}).items()
        }
    except (KeyError, TypeError, AttributeError) as err:
        raise HomeError(f"malformed home document: {err!r}") from err
    privacy = str(data.get("privacy") or "standard")
    if privacy not in PRIVACY_POLICIES:
        raise HomeError(f"privacy must be one of {', '.join(PRIVACY_POLICIES)}, not {privacy!r}")
    zone = _timezone(home_id, data.get("timezone"))
    home = Home(home_id, rooms, speakers, devices, scenes, str(data.get("discovery_prefix", "homeassistant")), privacy, zone)
    _check_references(home)
    return home


def _timezone(home_id: str, name: Any) -> str:
    """A valid IANA zone name; a home that names none is told it gets UTC."""
    if name in (None, ""):
        _LOGGER.info("home %s names no timezone: requests without a clock of their own use %s", home_id, DEFAULT_TIMEZONE)
        return DEFAULT_TIMEZONE
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise HomeError(f"timezone {name!r} is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin)") from err
    return str(name)


def _check_references(home: Home) -> None:
    placed: list[Speaker | Device] = [*home.speakers.values(), *home.devices.values()]
    for item in placed:
        if item.room not in home.rooms:
            raise HomeError(f"{item.id}: unknown room {item.room!r}")
    for scene in home.scenes.values():
        for action in scene.actions:
            if action.target != ALL_LIGHTS and action.target not in home.devices:
                raise HomeError(f"scene {scene.id}: unknown device {action.target!r}")


def load_home(path: str | Path) -> Home:
    """Load a home from a YAML file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise HomeError(f"cannot read home file {path}: {err.strerror}") from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise HomeError(f"home file {path} is not valid YAML: {err}") from err
    if not isinstance(data, Mapping):
        raise HomeError(f"home file {path} does not hold a mapping")
    return parse_home(data)


def demo_home_path() -> Path:
    """The demo home shipped with the package."""
    return Path(str(resources.files("domain") / "data" / "demo_home.yaml"))


def load_demo_home() -> Home:
    return load_home(demo_home_path())
