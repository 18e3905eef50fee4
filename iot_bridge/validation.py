"""Turn a Lingxi command into MQTT messages, checked against what the device says it can do.

Validation happens before anything is sent, against the capabilities learned from discovery:
an unsupported attribute or an enum value the device does not list is refused with a reason a
person can read; numbers are clamped to the device's range (and the clamp is reported, since
the answer should say "set to the minimum, 16 degrees"). The plan also records which state
topics must report back, so the bridge can tell "not applied" from "not yet answered".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.devices import DeviceInfo
from iot_bridge.channels import Channel
from iot_bridge.codecs import as_number

#: Attributes Lingxi always reports as whole numbers.
INTEGER_ATTRIBUTES = frozenset({"brightness", "position", "volume", "color_temp"})


@dataclass(frozen=True)
class Message:
    topic: str
    payload: str


@dataclass(frozen=True)
class Plan:
    """What to publish for one command and how to recognise that it took effect."""

    device_id: str
    targets: Mapping[str, Any]
    messages: tuple[Message, ...]
    expected: Mapping[str, int]  # state topic -> how many command messages it should answer
    note: str = ""

    def satisfied_by(self, state: Mapping[str, Any]) -> bool:
        return all(attribute in state and same_value(state[attribute], value)
                   for attribute, value in self.targets.items())

    def difference(self, state: Mapping[str, Any]) -> str:
        return ", ".join(f"{a} is {state.get(a)!r}, wanted {v!r}" for a, v in self.targets.items()
                         if not (a in state and same_value(state[a], v)))


def same_value(actual: Any, wanted: Any) -> bool:
    """Equal, allowing the rounding a device's own unit causes (mireds, 0-254 brightness...)."""
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return actual is wanted
    if isinstance(wanted, (int, float)) and isinstance(actual, (int, float)):
        return abs(actual - wanted) <= max(0.5, 0.01 * abs(wanted))
    return str(actual) == str(wanted)


def _check(channel: Channel | None, attribute: str, value: Any, info: DeviceInfo) -> tuple[Any, str] | str:
    """The value to send (and a note when clamped), or why not."""
    if channel is None or channel.capability is None or channel.command is None:
        supported = ", ".join(sorted(info.capabilities)) or "nothing"
        return f"{info.id} does not support {attribute} (it supports: {supported})"
    cap = channel.capability
    if cap.kind == "bool":
        if not isinstance(value, bool):
            return f"{attribute} must be true or false, not {value!r}"
        return value, ""
    if cap.kind == "enum":
        if str(value) not in cap.options:
            return f"{info.id} cannot set {attribute} to {value!r} (options: {', '.join(cap.options)})"
        return str(value), ""
    if isinstance(value, bool):
        return f"{attribute} must be a number, not {value!r}"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return f"{attribute} must be a number, not {value!r}"
    clamped = cap.clamp(number)
    result = int(round(clamped)) if attribute in INTEGER_ATTRIBUTES else as_number(clamped)
    note = f"{attribute} {as_number(number)} clamped to {result}" if clamped != number else ""
    return result, note


def plan_command(info: DeviceInfo, channels: Mapping[str, Channel], changes: Mapping[str, Any]) -> Plan | str:
    """The plan for ``changes`` on a device, or a rejection reason."""
    if not changes:
        return f"nothing to change on {info.id}"
    targets: dict[str, Any] = {}
    notes = []
    for attribute, value in changes.items():
        checked = _check(channels.get(attribute), attribute, value, info)
        if isinstance(checked, str):
            return checked
        targets[attribute], note = checked
        if note:
            notes.append(note)
    # power on goes first (a device may ignore settings while off), power off last
    order = sorted(targets, key=lambda a: (0 if targets[a] is True else 2) if a == "power" else 1)
    json_docs: dict[str, dict[str, Any]] = {}
    json_states: dict[str, set[str]] = {}
    messages: list[Message] = []
    expected: dict[str, int] = {}
    for attribute in order:
        route = channels[attribute].command
        assert route is not None
        device_value = route.codec.encode(targets[attribute])
        state = channels[attribute].state
        if route.json_key is not None:
            json_docs.setdefault(route.topic, {})[route.json_key] = device_value
            if state is not None:
                json_states.setdefault(route.topic, set()).add(state.topic)
            continue
        try:
            payload = route.template.render(device_value)
        except ValueError as err:  # a hub's template that cannot take the value (``| int`` on "ON")
            return f"{info.id} cannot be sent {attribute}={targets[attribute]!r}: {err}"
        messages.append(Message(route.topic, payload))
        if state is not None:
            expected[state.topic] = expected.get(state.topic, 0) + 1
    for topic, doc in json_docs.items():
        messages.append(Message(topic, json.dumps(doc)))
        for state_topic in json_states.get(topic, ()):
            expected[state_topic] = expected.get(state_topic, 0) + 1
    confirmable = {a: v for a, v in targets.items() if channels[a].state is not None}
    return Plan(info.id, confirmable, tuple(messages), expected, "; ".join(notes))
