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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.home import WRITABLE_ATTRIBUTES, Capability
from iot_bridge import builders as b
from iot_bridge.abbreviations import expand
from iot_bridge.builders import HVAC_MODE_NAMES, Built
from iot_bridge.codecs import Codec
from iot_bridge.templates import (
    CommandTemplate,
    TemplateError,
    ValueTemplate,
    parse_command_template,
    parse_value_template,
)
from iot_bridge.trust import check_config_topics

_LOGGER = logging.getLogger(__name__)


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
    device_class: str | None = None  # HA's device_class ("garage", "gate"...), part of what the device is


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
    Row("power", b.power_from_mode, "power_command_topic", "power_command_template", "mode_state_topic",
        "mode_state_template"),
    Row("mode", b.options("mode", "modes", HVAC_MODE_NAMES, skip="off"), "mode_command_topic",
        "mode_command_template", "mode_state_topic", "mode_state_template"),
    Row("temperature", b.number("temperature", "min_temp", "max_temp", 7, 35), "temperature_command_topic",
        "temperature_command_template", "temperature_state_topic", "temperature_state_template"),
    Row("fan_speed", b.options("fan_speed", "fan_modes"), "fan_mode_command_topic", "fan_mode_command_template",
        "fan_mode_state_topic", "fan_mode_state_template"),
    Row("current_temperature", b.read_only(True), state_topic="current_temperature_topic",
        state_template="current_temperature_template"),
)

TABLE: dict[str, tuple[Row, ...]] = {
    "climate": _HVAC,
    "water_heater": _HVAC,
    "light": (
        Row("power", b.on_off("power"), "command_topic", None, "state_topic", "state_value_template"),
        Row("brightness", b.brightness, "brightness_command_topic", "brightness_command_template",
            "brightness_state_topic", "brightness_value_template"),
        Row("color_temp", b.colour_temp, "color_temp_command_topic", "color_temp_command_template",
            "color_temp_state_topic", "color_temp_value_template"),
        Row("color", b.colour(True), "rgb_command_topic", "rgb_command_template", "rgb_state_topic",
            "rgb_value_template"),
    ),
    "light/json": (
        Row("power", b.on_off("power"), "command_topic", None, "state_topic", state_path="state", json_key="state"),
        Row("brightness", b.brightness, "command_topic", None, "state_topic", state_path="brightness",
            json_key="brightness", requires="brightness"),
        Row("color_temp", b.colour_temp, "command_topic", None, "state_topic", state_path="color_temp",
            json_key="color_temp", requires="color_temp"),
        Row("color", b.colour(False), "command_topic", None, "state_topic", state_path="color", json_key="color",
            requires="rgb"),
    ),
    "switch": (Row("power", b.on_off("power"), "command_topic", "command_template", "state_topic", "value_template"),),
    "fan": (
        Row("power", b.on_off("power"), "command_topic", "command_template", "state_topic", "state_value_template"),
        Row("mode", b.options("mode", "preset_modes"), "preset_mode_command_topic", "preset_mode_command_template",
            "preset_mode_state_topic", "preset_mode_value_template"),
        Row("fan_speed", b.fan_levels, "percentage_command_topic", "percentage_command_template",
            "percentage_state_topic", "percentage_value_template"),
    ),
    "cover": (Row("position", b.scaled("position", "position_closed", "position_open", 0, 100, 0),
                  "set_position_topic", "set_position_template", "position_topic", "position_template"),),
    "lock": (Row("lock", b.lock, "command_topic", "command_template", "state_topic", "value_template"),),
    "valve": (Row("power", b.valve, "command_topic", "command_template", "state_topic", "value_template"),),
    "alarm_control_panel": (Row("power", b.alarm, "command_topic", "command_template", "state_topic",
                                "value_template"),),
    "vacuum": (
        Row("power", b.vacuum_power, "command_topic", None, "state_topic", state_path="state"),
        Row("status", b.read_only(False), state_topic="state_topic", state_path="state"),
        Row("fan_speed", b.options("fan_speed", "fan_speed_list"), "set_fan_speed_topic", None, "state_topic",
            state_path="fan_speed"),
        Row("battery", b.read_only(True), state_topic="state_topic", state_path="battery_level"),
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
            build = b.number(attr, "min", "max", 1, 100)
            return (Row(attr, build, "command_topic", "command_template", "state_topic", "value_template"),), c
        return (Row(attr, b.read_only(True), state_topic="state_topic", state_template="value_template"),), c
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
    """Understand one discovery config (the component is the topic's second level).

    Raises :class:`~domain.errors.PayloadError` for a config that names a topic no device may use.
    """
    component = discovery_topic.split("/")[1]
    c = expand(config)
    check_config_topics(c)
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
    said_device = c.get("device")
    device = said_device if isinstance(said_device, Mapping) else {}
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
        device_class=str(c["device_class"]) if isinstance(c.get("device_class"), str) else None,
    )
