"""Lingxi's intents as Home Assistant's built-in intents, for HA to run on its own entities.

Lingxi's slots hold ids; HA's hold the words its entities and areas are called by. A device id
becomes its first name in the utterance's language (``name``) and its room's (``area``); a room
alone becomes ``area``, a device type ``domain`` (Lingxi's types are HA's domains). What HA has no
intent for (modes, fan speeds, relative brightness, alarms, knowledge…) has no mapping, and neither
has a change Lingxi's safety gate would hold for a confirmation (unlocking a door): HA would run it
at once, so that is left to Lingxi's own handling, which asks first.

HA's intents: https://developers.home-assistant.io/docs/intent_builtin/
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.devices import DeviceInfo
from domain.home import Home
from intents.types import Intent


class HaIntent(StrEnum):
    TURN_ON = "HassTurnOn"
    TURN_OFF = "HassTurnOff"
    LIGHT_SET = "HassLightSet"
    CLIMATE_SET_TEMPERATURE = "HassClimateSetTemperature"
    CLIMATE_GET_TEMPERATURE = "HassClimateGetTemperature"
    GET_STATE = "HassGetState"
    SET_POSITION = "HassSetPosition"
    SET_VOLUME = "HassSetVolume"
    SET_VOLUME_RELATIVE = "HassSetVolumeRelative"
    VACUUM_START = "HassVacuumStart"
    VACUUM_RETURN_TO_BASE = "HassVacuumReturnToBase"
    START_TIMER = "HassStartTimer"
    CANCEL_TIMER = "HassCancelTimer"
    TIMER_STATUS = "HassTimerStatus"
    GET_CURRENT_TIME = "HassGetCurrentTime"
    GET_CURRENT_DATE = "HassGetCurrentDate"


@dataclass(frozen=True)
class HaIntentCall:
    """One HA intent and its slots (entity and area names, numbers)."""

    name: HaIntent
    slots: Mapping[str, Any]


#: The slot HassLightSet takes for each Lingxi light attribute.
_LIGHT_SLOTS = {"brightness": "brightness", "color": "color", "color_temp": "temperature"}


class HaIntentMapper:
    """Maps one home's intents; ``devices`` are the home's devices as the bridge knows them."""

    def __init__(self, home: Home, devices: Sequence[DeviceInfo]) -> None:
        self.home = home
        self._devices = {d.id: d for d in devices}

    def map(self, intent: Intent, lang: str) -> HaIntentCall | None:
        """The HA intent for ``intent``, or ``None`` when HA has none (or it must be confirmed first)."""
        slots = intent.slots
        device = self._devices.get(str(slots.get("device") or ""))
        if any(_risky(intent, d) for d in self._reached(slots, device)):
            return None
        target = self._target(slots, device, lang)
        name = intent.name
        if name in ("device.turn_on", "device.turn_off"):
            on = name == "device.turn_on"
            if _type(slots, device) == "vacuum":
                return HaIntentCall(HaIntent.VACUUM_START if on else HaIntent.VACUUM_RETURN_TO_BASE, target)
            return HaIntentCall(HaIntent.TURN_ON if on else HaIntent.TURN_OFF, target)
        if name == "device.set":
            return self._set(slots, device, target)
        if name == "device.adjust" and slots.get("attribute") == "volume":
            return HaIntentCall(HaIntent.SET_VOLUME_RELATIVE, {**target, "volume_step": _step(slots)})
        if name == "device.query":
            if slots.get("attribute") == "temperature":
                return HaIntentCall(HaIntent.CLIMATE_GET_TEMPERATURE, target)
            return HaIntentCall(HaIntent.GET_STATE, target)
        if name == "scene.activate":
            scene = self.home.scenes.get(str(slots.get("scene")))
            return None if scene is None else HaIntentCall(HaIntent.TURN_ON, {"name": scene.names.first(lang), "domain": "scene"})
        if name == "media.volume":
            if slots.get("value") is not None:
                return HaIntentCall(HaIntent.SET_VOLUME, {"volume_level": slots["value"]})
            return HaIntentCall(HaIntent.SET_VOLUME_RELATIVE, {"volume_step": _step(slots)})
        return _utility(intent)

    def _reached(self, slots: Mapping[str, Any], device: DeviceInfo | None) -> list[DeviceInfo]:
        """The devices a command could reach: the one it names, else those of its type (and room)."""
        if device is not None:
            return [device]
        kind, room = slots.get("device_type"), slots.get("room")
        return [d for d in self._devices.values() if d.type == kind and room in (None, d.room)] if kind else []

    def _target(self, slots: Mapping[str, Any], device: DeviceInfo | None, lang: str) -> dict[str, Any]:
        target: dict[str, Any] = {}
        room = device.room if device is not None else slots.get("room")
        if device is not None:
            target["name"] = device.names.first(lang) or device.id
        elif slots.get("device_type"):
            target["domain"] = slots["device_type"]
        if room:
            known = self.home.rooms.get(str(room))
            target["area"] = known.names.first(lang) if known is not None else str(room)
        return target

    def _set(self, slots: Mapping[str, Any], device: DeviceInfo | None, target: dict[str, Any]) -> HaIntentCall | None:
        attribute, value = slots.get("attribute"), slots.get("value")
        if attribute == "power" and isinstance(value, bool):
            return HaIntentCall(HaIntent.TURN_ON if value else HaIntent.TURN_OFF, target)
        if attribute == "lock" and value in ("locked", "unlocked"):  # HA locks with "turn on", unlocks with "turn off"
            return HaIntentCall(HaIntent.TURN_ON if value == "locked" else HaIntent.TURN_OFF, target)
        if attribute == "color_temp" and value in ("warm", "cool"):
            value = _kelvin_end(device, value)
        if attribute in _LIGHT_SLOTS and value is not None:
            return HaIntentCall(HaIntent.LIGHT_SET, {**target, _LIGHT_SLOTS[attribute]: value})
        if attribute == "temperature" and _type(slots, device) in ("climate", None):
            return HaIntentCall(HaIntent.CLIMATE_SET_TEMPERATURE, {**target, "temperature": value})
        if attribute == "position":
            return HaIntentCall(HaIntent.SET_POSITION, {**target, "position": value})
        if attribute == "volume":
            return HaIntentCall(HaIntent.SET_VOLUME, {**target, "volume_level": value})
        return None


def _type(slots: Mapping[str, Any], device: DeviceInfo | None) -> str | None:
    return device.type if device is not None else slots.get("device_type")


def _risky(intent: Intent, device: DeviceInfo) -> bool:
    slots = intent.slots
    if intent.name == "device.set":
        return device.is_risky(str(slots.get("attribute")), slots.get("value"))
    if intent.name in ("device.turn_on", "device.turn_off"):
        return device.is_risky("power", intent.name == "device.turn_on")
    return False


def _step(slots: Mapping[str, Any]) -> str | int:
    """HA's ``volume_step``: ``up``/``down``, or a signed number of points when one was said."""
    direction = slots.get("direction") or "up"
    amount = slots.get("amount")
    if isinstance(amount, int | float) and amount:
        return int(abs(amount) if direction == "up" else -abs(amount))
    return str(direction)


def _kelvin_end(device: DeviceInfo | None, end: str) -> int | None:
    """``warm`` is the device's lowest colour temperature, ``cool`` its highest (docs/intents.md)."""
    capability = device.capabilities.get("color_temp") if device is not None else None
    if capability is None or capability.minimum is None or capability.maximum is None:
        return None
    return int(capability.minimum if end == "warm" else capability.maximum)


def _utility(intent: Intent) -> HaIntentCall | None:
    slots = intent.slots
    label = {"name": slots["label"]} if slots.get("label") else {}
    if intent.name == "timer.set" and isinstance(slots.get("duration"), int | float):
        hours, rest = divmod(int(slots["duration"]), 3600)
        minutes, seconds = divmod(rest, 60)
        parts = {"hours": hours, "minutes": minutes, "seconds": seconds}
        return HaIntentCall(HaIntent.START_TIMER, {**{k: v for k, v in parts.items() if v}, **label})
    if intent.name == "timer.cancel":
        return HaIntentCall(HaIntent.CANCEL_TIMER, label)
    if intent.name == "timer.query":
        return HaIntentCall(HaIntent.TIMER_STATUS, label)
    if intent.name == "time.query":
        return HaIntentCall(HaIntent.GET_CURRENT_TIME if slots.get("what", "time") == "time" else HaIntent.GET_CURRENT_DATE, {})
    return None
