"""Turn a device intent into the attribute changes for one device.

Follows intents.md: covers open/close by position, a vacuum starts or docks, the
lock is only ``set``; relative steps default to brightness 10, volume 10,
temperature 1 °C, position 20; numbers are clamped to the device's range and the
change remembers that it was, so the answer can say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.devices import DeviceInfo
from skills.devices.slot_values import number_slot

DEFAULT_STEPS = {"brightness": 10, "volume": 10, "temperature": 1, "position": 20, "color_temp": 500}

#: Setting these on a device that is off turns it on first, as people expect.
IMPLIES_POWER_ON = {
    "light": frozenset({"brightness", "color", "color_temp"}),
    "climate": frozenset({"temperature", "mode", "fan_speed"}),
    "fan": frozenset({"mode", "fan_speed"}),
}

COMMAND_NAMES = {
    "device.turn_on": "turn_on",
    "device.turn_off": "turn_off",
    "device.set": "set",
    "device.adjust": "adjust",
}


@dataclass(frozen=True)
class PlannedChange:
    """What one device should do, or why it cannot (``error`` non-empty)."""

    device: DeviceInfo
    command: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    clamped: str = ""  # "min" or "max" when a number was limited to the range
    error: str = ""  # "unsupported" or "bad_value"
    attribute: str = ""


def _switch(device: DeviceInfo, on: bool) -> dict[str, Any] | None:
    if device.type == "cover" or ("position" in device.capabilities and "power" not in device.capabilities):
        return {"position": 100 if on else 0}
    if "power" in device.capabilities:
        return {"power": on}
    return None



def _as_int_if_whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _extreme(cap: Any, highest: bool) -> Any:
    if cap.kind == "range":
        return _as_int_if_whole(cap.maximum if highest else cap.minimum)
    ordered = [o for o in cap.options if o != "auto"] or list(cap.options)  # low → high, as the home lists them
    return ordered[-1] if highest else ordered[0]


def _target_value(device: DeviceInfo, attribute: str, value: Any) -> tuple[Any, str, str]:
    """(value, clamped, error) for setting ``attribute`` to ``value`` on ``device``."""
    cap = device.capabilities[attribute]
    if value in ("max", "min"):  # "调到最大": this device's own end of the range or scale
        return (_extreme(cap, value == "max"), "", "") if cap.kind in ("range", "enum") else (None, "", "bad_value")
    if cap.kind == "enum":
        word = str(value).lower()
        return (word, "", "") if word in cap.options else (None, "", "bad_value")
    if cap.kind == "bool":
        return (bool(value), "", "")
    if attribute == "color_temp" and value in ("warm", "cool"):
        bound = cap.minimum if value == "warm" else cap.maximum
        # bool and enum capabilities returned above: this is a range, and a range has both bounds
        assert bound is not None, "a range capability without bounds"
        return (int(bound), "", "")
    number = number_slot(value)
    if number is None:
        return (None, "", "bad_value")
    limited = cap.clamp(number)
    clamped = "" if limited == number else ("max" if limited < number else "min")
    return (_as_int_if_whole(limited), clamped, "")


def _with_power(device: DeviceInfo, attribute: str, changes: dict[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
    if attribute in IMPLIES_POWER_ON.get(device.type, ()) and "power" in device.capabilities and not state.get("power"):
        return {"power": True, **changes}
    return changes


def plan_change(intent_name: str, slots: Mapping[str, Any], device: DeviceInfo, state: Mapping[str, Any]) -> PlannedChange:
    """The change ``intent_name`` with ``slots`` asks of ``device`` in its current ``state``."""
    command = COMMAND_NAMES[intent_name]
    if intent_name in ("device.turn_on", "device.turn_off"):
        changes = _switch(device, intent_name == "device.turn_on")
        if changes is None:
            return PlannedChange(device, command, error="unsupported", attribute="power")
        return PlannedChange(device, command, changes, attribute=next(iter(changes)))

    attribute = str(slots.get("attribute") or "")
    if attribute not in device.capabilities:
        return PlannedChange(device, command, error="unsupported", attribute=attribute)

    if intent_name == "device.set":
        value, clamped, error = _target_value(device, attribute, slots.get("value"))
        if error:
            return PlannedChange(device, command, error=error, attribute=attribute)
        return PlannedChange(device, command, _with_power(device, attribute, {attribute: value}, state), clamped, attribute=attribute)

    # device.adjust
    cap = device.capabilities[attribute]
    current = number_slot(state.get(attribute))
    if cap.kind != "range" or current is None:
        return PlannedChange(device, command, error="unsupported", attribute=attribute)
    amount = number_slot(slots.get("amount")) or DEFAULT_STEPS.get(attribute, 10)
    sign = -1 if slots.get("direction") == "down" else 1
    value, clamped, _ = _target_value(device, attribute, current + sign * amount)
    return PlannedChange(device, command, _with_power(device, attribute, {attribute: value}, state), clamped, attribute=attribute)
