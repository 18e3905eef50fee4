"""Learn how to control a device from any Home Assistant MQTT discovery config.

A discovery config (ours, Zigbee2MQTT's, ESPHome's...) becomes an :class:`Entity`: for each
Lingxi attribute a :class:`Channel` says where commands go and how the value is encoded,
where state comes from and how it is decoded, and what values the device accepts. The
per-component knowledge is a table of HA's documented keys, so a new component or key is a
table row, not new code. Configs this module cannot understand yield no channel for that
attribute (logged), never an exception that would stop discovery of the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .codecs import (
    COLOURS,
    Codec,
    CommandTemplate,
    Identity,
    Levels,
    Mapped,
    Mireds,
    RgbColour,
    Scaled,
    TemplateError,
    Truth,
    ValueTemplate,
    level_pairs,
    parse_command_template,
    parse_value_template,
)
from .home import WRITABLE_ATTRIBUTES, Capability

_LOGGER = logging.getLogger(__name__)

#: HA's abbreviations of discovery keys (the subset that matters for the channels we read).
ABBREVIATIONS = {
    "avty": "availability", "avty_t": "availability_topic", "avty_mode": "availability_mode",
    "pl_avail": "payload_available", "pl_not_avail": "payload_not_available", "t": "topic",
    "dev": "device", "ids": "identifiers", "sa": "suggested_area", "uniq_id": "unique_id", "obj_id": "object_id",
    "cmd_t": "command_topic", "cmd_tpl": "command_template", "stat_t": "state_topic",
    "stat_tpl": "state_template", "val_tpl": "value_template", "stat_val_tpl": "state_value_template",
    "pl_on": "payload_on", "pl_off": "payload_off", "stat_on": "state_on", "stat_off": "state_off",
    "pl_lock": "payload_lock", "pl_unlk": "payload_unlock", "stat_locked": "state_locked",
    "stat_unlocked": "state_unlocked", "bri": "brightness", "bri_scl": "brightness_scale",
    "bri_cmd_t": "brightness_command_topic", "bri_cmd_tpl": "brightness_command_template",
    "bri_stat_t": "brightness_state_topic", "bri_val_tpl": "brightness_value_template",
    "clr_temp_cmd_t": "color_temp_command_topic", "clr_temp_stat_t": "color_temp_state_topic",
    "clr_temp_val_tpl": "color_temp_value_template", "clr_temp_cmd_tpl": "color_temp_command_template",
    "clr_temp_k": "color_temp_kelvin", "min_kelvin": "min_kelvin", "max_kelvin": "max_kelvin",
    "min_mirs": "min_mireds", "max_mirs": "max_mireds", "sup_clrm": "supported_color_modes",
    "rgb_cmd_t": "rgb_command_topic", "rgb_stat_t": "rgb_state_topic", "rgb_val_tpl": "rgb_value_template",
    "rgb_cmd_tpl": "rgb_command_template", "pow_cmd_t": "power_command_topic",
    "pow_cmd_tpl": "power_command_template", "mode_cmd_t": "mode_command_topic",
    "mode_cmd_tpl": "mode_command_template", "mode_stat_t": "mode_state_topic",
    "mode_stat_tpl": "mode_state_template", "temp_cmd_t": "temperature_command_topic",
    "temp_cmd_tpl": "temperature_command_template", "temp_stat_t": "temperature_state_topic",
    "temp_stat_tpl": "temperature_state_template", "fan_mode_cmd_t": "fan_mode_command_topic",
    "fan_mode_cmd_tpl": "fan_mode_command_template", "fan_mode_stat_t": "fan_mode_state_topic",
    "fan_mode_stat_tpl": "fan_mode_state_template", "curr_temp_t": "current_temperature_topic",
    "curr_temp_tpl": "current_temperature_template", "pct_cmd_t": "percentage_command_topic",
    "pct_cmd_tpl": "percentage_command_template", "pct_stat_t": "percentage_state_topic",
    "pct_val_tpl": "percentage_value_template", "pr_mode_cmd_t": "preset_mode_command_topic",
    "pr_mode_cmd_tpl": "preset_mode_command_template", "pr_mode_stat_t": "preset_mode_state_topic",
    "pr_mode_val_tpl": "preset_mode_value_template", "pr_modes": "preset_modes",
    "spd_rng_min": "speed_range_min", "spd_rng_max": "speed_range_max", "set_pos_t": "set_position_topic",
    "set_pos_tpl": "set_position_template", "pos_t": "position_topic", "pos_tpl": "position_template",
    "pos_open": "position_open", "pos_clsd": "position_closed", "set_fan_spd_t": "set_fan_speed_topic",
    "fanspd_lst": "fan_speed_list", "sup_feat": "supported_features", "dev_cla": "device_class",
    "unit_of_meas": "unit_of_measurement", "cmd_on_tpl": "command_on_template",
}

#: HA climate modes that are Lingxi modes under another name.
HVAC_MODE_NAMES = (("fan", "fan_only"),)


@dataclass(frozen=True)
class CommandRoute:
    """How a Lingxi value reaches the device: topic, codec, then template or JSON key."""

    topic: str
    codec: Codec
    template: CommandTemplate = CommandTemplate()
    json_key: str | None = None  # JSON-schema lights: the payload is an object merged per topic


@dataclass(frozen=True)
class StateRoute:
    """Where the device reports the attribute and how to read it back."""

    topic: str
    template: ValueTemplate
    codec: Codec


@dataclass(frozen=True)
class Channel:
    """One Lingxi attribute of a device. ``capability`` is None for read-only attributes."""

    attribute: str
    capability: Capability | None
    command: CommandRoute | None
    state: StateRoute | None


@dataclass(frozen=True)
class Availability:
    topic: str
    online: str = "online"
    offline: str = "offline"


@dataclass(frozen=True)
class Entity:
    """One discovery config, understood."""

    discovery_topic: str
    component: str
    identifiers: tuple[str, ...]
    unique_id: str | None
    name: str | None
    suggested_area: str | None
    channels: tuple[Channel, ...]
    availability: tuple[Availability, ...]


def expand(config: Mapping[str, Any]) -> dict[str, Any]:
    """Undo HA's key abbreviations and the ``~`` base-topic shorthand."""
    base = config.get("~")
    out: dict[str, Any] = {}
    for key, value in config.items():
        full = ABBREVIATIONS.get(key, key)
        if isinstance(value, str) and base is not None and (value.startswith("~") or value.endswith("~")):
            value = base + value[1:] if value.startswith("~") else value[:-1] + base
        if isinstance(value, Mapping):
            value = expand({**value, **({"~": base} if base is not None else {})})
            value.pop("~", None)
        elif isinstance(value, list):
            value = [expand({**v, **({"~": base} if base else {})}) if isinstance(v, Mapping) else v for v in value]
            for item in value:
                if isinstance(item, dict):
                    item.pop("~", None)
        out[full] = value
    return out


# --- capability and codec builders: (config) -> (command codec, state codec, capability) -----

Built = tuple[Codec, Codec, Capability | None]


def _on_off(attr: str) -> Callable[[Mapping[str, Any]], Built]:
    def build(c: Mapping[str, Any]) -> Built:
        on, off = str(c.get("payload_on", "ON")), str(c.get("payload_off", "OFF"))
        state = Mapped(((True, str(c.get("state_on", on))), (False, str(c.get("state_off", off)))))
        return Mapped(((True, on), (False, off))), state, Capability(attr, "bool")
    return build


def _number(attr: str, low_key: str, high_key: str, low: float, high: float) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        cap = Capability(attr, "range", float(c.get(low_key, low)), float(c.get(high_key, high)))
        return Identity(numeric=True), Identity(numeric=True), cap
    return build


def _options(attr: str, key: str, renames: tuple[tuple[str, str], ...] = (), skip: str = "") -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        theirs = [str(o) for o in c.get(key, ()) if str(o) != skip]
        back = {t: o for o, t in renames}
        pairs = tuple((back.get(t, t), t) for t in theirs)
        # a single option is no choice (a water heater's only mode): report it, don't offer it
        cap = Capability(attr, "enum", options=tuple(o for o, _ in pairs)) if len(pairs) > 1 else None
        return Mapped(pairs), Mapped(pairs), cap
    return build


def _power_from_mode(c: Mapping[str, Any]) -> Built:
    on, off = str(c.get("payload_on", "ON")), str(c.get("payload_off", "OFF"))
    return Mapped(((True, on), (False, off))), Truth(off=frozenset({"off"})), Capability("power", "bool")


def _scaled(attr: str, low_key: str, high_key: str, low: float, high: float, cap_low: float) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        codec = Scaled(float(c.get(low_key, low)), float(c.get(high_key, high)))
        return codec, codec, Capability(attr, "range", cap_low, 100.0)
    return build


def _brightness(c: Mapping[str, Any]) -> Built:
    return _scaled("brightness", "_", "brightness_scale", 0, 255, 1)(c)


def _colour_temp(c: Mapping[str, Any]) -> Built:
    if c.get("color_temp_kelvin"):
        low, high = float(c.get("min_kelvin", 2000)), float(c.get("max_kelvin", 6535))
        codec: Codec = Identity(numeric=True)
    else:
        low = round(1_000_000 / float(c.get("max_mireds", 500)))
        high = round(1_000_000 / float(c.get("min_mireds", 153)))
        codec = Mireds()
    return codec, codec, Capability("color_temp", "range", float(low), float(high))


def _colour(as_text: bool) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        codec = RgbColour(as_text=as_text)
        return codec, codec, Capability("color", "enum", options=tuple(COLOURS))
    return build


def _fan_levels(c: Mapping[str, Any]) -> Built:
    low, high = int(c.get("speed_range_min", 1)), int(c.get("speed_range_max", 100))
    names = {1: ("high",), 2: ("low", "high"), 4: ("low", "medium", "high", "max")}.get(
        high - low + 1, ("low", "medium", "high"))
    codec = Levels(level_pairs(names, low, high))
    return codec, codec, Capability("fan_speed", "enum", options=names)


def _lock(c: Mapping[str, Any]) -> Built:
    command = Mapped((("locked", str(c.get("payload_lock", "LOCK"))), ("unlocked", str(c.get("payload_unlock", "UNLOCK")))))
    state = Mapped((("locked", str(c.get("state_locked", "LOCKED"))), ("unlocked", str(c.get("state_unlocked", "UNLOCKED")))))
    return command, state, Capability("lock", "enum", options=("locked", "unlocked"))


def _vacuum_power(c: Mapping[str, Any]) -> Built:
    command = Mapped(((True, str(c.get("payload_start", "start"))),
                      (False, str(c.get("payload_return_to_base", "return_to_base")))))
    return command, Truth(on=frozenset({"cleaning"})), Capability("power", "bool")


def _read_only(numeric: bool) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        return Identity(numeric), Identity(numeric), None
    return build


@dataclass(frozen=True)
class Row:
    """One attribute of a component: which config keys hold its topics and templates.

    ``state_path`` is a fixed JSON key for components whose state payload has a fixed shape
    (HA vacuum, JSON-schema lights); ``json_key`` marks JSON-schema commands.
    """

    attribute: str
    build: Callable[[Mapping[str, Any]], Built]
    command_topic: str | None = None
    command_template: str | None = None
    state_topic: str | None = None
    state_template: str | None = None
    state_path: str | None = None
    json_key: str | None = None
    requires: str | None = None  # a config key that must be truthy for this row to apply


_HVAC = (
    Row("power", _power_from_mode, "power_command_topic", "power_command_template", "mode_state_topic",
        "mode_state_template"),
    Row("mode", _options("mode", "modes", HVAC_MODE_NAMES, skip="off"), "mode_command_topic",
        "mode_command_template", "mode_state_topic", "mode_state_template"),
    Row("temperature", _number("temperature", "min_temp", "max_temp", 7, 35), "temperature_command_topic",
        "temperature_command_template", "temperature_state_topic", "temperature_state_template"),
    Row("fan_speed", _options("fan_speed", "fan_modes"), "fan_mode_command_topic", "fan_mode_command_template",
        "fan_mode_state_topic", "fan_mode_state_template"),
    Row("current_temperature", _read_only(True), state_topic="current_temperature_topic",
        state_template="current_temperature_template"),
)

TABLE: dict[str, tuple[Row, ...]] = {
    "climate": _HVAC,
    "water_heater": _HVAC,
    "light": (
        Row("power", _on_off("power"), "command_topic", None, "state_topic", "state_value_template"),
        Row("brightness", _brightness, "brightness_command_topic", "brightness_command_template",
            "brightness_state_topic", "brightness_value_template"),
        Row("color_temp", _colour_temp, "color_temp_command_topic", "color_temp_command_template",
            "color_temp_state_topic", "color_temp_value_template"),
        Row("color", _colour(True), "rgb_command_topic", "rgb_command_template", "rgb_state_topic",
            "rgb_value_template"),
    ),
    "light/json": (
        Row("power", _on_off("power"), "command_topic", None, "state_topic", state_path="state", json_key="state"),
        Row("brightness", _brightness, "command_topic", None, "state_topic", state_path="brightness",
            json_key="brightness", requires="brightness"),
        Row("color_temp", _colour_temp, "command_topic", None, "state_topic", state_path="color_temp",
            json_key="color_temp", requires="color_temp"),
        Row("color", _colour(False), "command_topic", None, "state_topic", state_path="color", json_key="color",
            requires="rgb"),
    ),
    "switch": (Row("power", _on_off("power"), "command_topic", "command_template", "state_topic", "value_template"),),
    "fan": (
        Row("power", _on_off("power"), "command_topic", "command_template", "state_topic", "state_value_template"),
        Row("mode", _options("mode", "preset_modes"), "preset_mode_command_topic", "preset_mode_command_template",
            "preset_mode_state_topic", "preset_mode_value_template"),
        Row("fan_speed", _fan_levels, "percentage_command_topic", "percentage_command_template",
            "percentage_state_topic", "percentage_value_template"),
    ),
    "cover": (Row("position", _scaled("position", "position_closed", "position_open", 0, 100, 0),
                  "set_position_topic", "set_position_template", "position_topic", "position_template"),),
    "lock": (Row("lock", _lock, "command_topic", "command_template", "state_topic", "value_template"),),
    "vacuum": (
        Row("power", _vacuum_power, "command_topic", None, "state_topic", state_path="state"),
        Row("status", _read_only(False), state_topic="state_topic", state_path="state"),
        Row("fan_speed", _options("fan_speed", "fan_speed_list"), "set_fan_speed_topic", None, "state_topic",
            state_path="fan_speed"),
        Row("battery", _read_only(True), state_topic="state_topic", state_path="battery_level"),
    ),
}

#: Sensor device classes whose Lingxi attribute has another name.
_SENSOR_NAMES = {"pm25": "pm25", "battery": "battery", "humidity": "humidity", "temperature": "temperature"}


def _light_json_features(c: Mapping[str, Any]) -> dict[str, Any]:
    """Which JSON-light rows apply, from ``supported_color_modes`` (and the legacy flags)."""
    modes = set(c.get("supported_color_modes") or ())
    out = dict(c)
    out["brightness"] = bool(c.get("brightness")) or bool(modes - {"onoff"})
    out["color_temp"] = "color_temp" in modes or bool(c.get("color_temp"))
    out["rgb"] = bool(modes & {"rgb", "rgbw", "rgbww", "hs", "xy"}) or bool(c.get("rgb"))
    return out


def _single_attribute(component: str, c: Mapping[str, Any]) -> str:
    """The Lingxi attribute of a one-value entity (number, sensor)."""
    for candidate in (c.get("device_class"), c.get("object_id"), c.get("name")):
        slug = str(candidate or "").strip().lower().replace(" ", "_").replace(".", "")
        if not slug:
            continue
        if slug in _SENSOR_NAMES or slug in WRITABLE_ATTRIBUTES:
            return _SENSOR_NAMES.get(slug, slug)
        tail = slug.rsplit("_", 1)[-1]
        if tail in WRITABLE_ATTRIBUTES or tail in _SENSOR_NAMES:
            return tail
    template = parse_value_template(c.get("value_template"))
    if template.path:
        return str(template.path[-1])
    return str(c.get("unique_id") or component)


def _rows(component: str, c: Mapping[str, Any]) -> tuple[tuple[Row, ...], Mapping[str, Any]]:
    if component == "light" and c.get("schema") == "json":
        return TABLE["light/json"], _light_json_features(c)
    if component in ("number", "sensor"):
        attr = _single_attribute(component, c)
        if component == "number":
            build = _number(attr, "min", "max", 1, 100)
            return (Row(attr, build, "command_topic", "command_template", "state_topic", "value_template"),), c
        return (Row(attr, _read_only(True), state_topic="state_topic", state_template="value_template"),), c
    return TABLE.get(component, ()), c


def _channel(row: Row, c: Mapping[str, Any]) -> Channel | None:
    if row.requires is not None and not c.get(row.requires):
        return None
    command_codec, state_codec, capability = row.build(c)
    command = None
    if row.command_topic and c.get(row.command_topic):
        template = parse_command_template(c.get(row.command_template) if row.command_template else None)
        command = CommandRoute(str(c[row.command_topic]), command_codec, template, row.json_key)
    state = None
    if row.state_topic and c.get(row.state_topic):
        if row.state_path is not None:
            value_template = ValueTemplate((row.state_path,))
        else:
            value_template = parse_value_template(c.get(row.state_template) if row.state_template else None)
        state = StateRoute(str(c[row.state_topic]), value_template, state_codec)
    if command is None and state is None:
        return None
    if command is None or capability is None:
        capability, command = None, None  # nothing to write with (or no choice): read-only here
    return Channel(row.attribute, capability, command, state)


def _availability(c: Mapping[str, Any]) -> tuple[Availability, ...]:
    items = list(c.get("availability") or ())
    if c.get("availability_topic"):
        items.append({"topic": c["availability_topic"], **{k: c[k] for k in ("payload_available",
                                                                              "payload_not_available") if k in c}})
    return tuple(
        Availability(str(i["topic"]), str(i.get("payload_available", c.get("payload_available", "online"))),
                     str(i.get("payload_not_available", c.get("payload_not_available", "offline"))))
        for i in items if isinstance(i, Mapping) and i.get("topic")
    )


def parse_entity(discovery_topic: str, config: Mapping[str, Any]) -> Entity:
    """Understand one discovery config (the component is the topic's second level)."""
    component = discovery_topic.split("/")[1]
    c = expand(config)
    channels: list[Channel] = []
    try:
        rows, features = _rows(component, c)
    except TemplateError as err:
        _LOGGER.warning("%s: %s; ignoring the entity", discovery_topic, err)
        rows, features = (), c
    for row in rows:
        try:
            channel = _channel(row, features)
        except (TemplateError, TypeError, ValueError) as err:
            _LOGGER.warning("%s: cannot use %s (%s)", discovery_topic, row.attribute, err)
            continue
        if channel is not None:
            channels.append(channel)
    device = c.get("device") if isinstance(c.get("device"), Mapping) else {}
    identifiers = device.get("identifiers") or ()
    if isinstance(identifiers, str):
        identifiers = (identifiers,)
    return Entity(
        discovery_topic=discovery_topic,
        component=component,
        identifiers=tuple(str(i) for i in identifiers),
        unique_id=str(c["unique_id"]) if c.get("unique_id") else None,
        name=str(device.get("name") or c.get("name") or "") or None,
        suggested_area=str(device.get("suggested_area") or "") or None,
        channels=tuple(channels),
        availability=_availability(c),
    )
