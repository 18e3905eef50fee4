"""Per-attribute builders: from a discovery config to (command codec, state codec, capability).

Each builder reads the HA keys that describe one kind of attribute (payload_on/off, min/max,
an options list...) with HA's documented defaults; the component table in
:mod:`iot_bridge.channels` says which builder applies to which attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from domain.home import Capability
from iot_bridge.codecs import COLOURS, Codec, Identity, Levels, Mapped, Mireds, RgbColour, Scaled, Truth, level_pairs

#: HA climate modes that are Lingxi modes under another name.
HVAC_MODE_NAMES = (("fan", "fan_only"),)

Built = tuple[Codec, Codec, Capability | None]


def on_off(attr: str) -> Callable[[Mapping[str, Any]], Built]:
    def build(c: Mapping[str, Any]) -> Built:
        on, off = str(c.get("payload_on", "ON")), str(c.get("payload_off", "OFF"))
        state = Mapped(((True, str(c.get("state_on", on))), (False, str(c.get("state_off", off)))))
        return Mapped(((True, on), (False, off))), state, Capability(attr, "bool")
    return build


def number(attr: str, low_key: str, high_key: str, low: float, high: float) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        cap = Capability(attr, "range", float(c.get(low_key, low)), float(c.get(high_key, high)))
        return Identity(numeric=True), Identity(numeric=True), cap
    return build


def options(attr: str, key: str, renames: tuple[tuple[str, str], ...] = (), skip: str = "") -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        theirs = [str(o) for o in c.get(key, ()) if str(o) != skip]
        back = {t: o for o, t in renames}
        pairs = tuple((back.get(t, t), t) for t in theirs)
        # a single option is no choice (a water heater's only mode): report it, don't offer it
        cap = Capability(attr, "enum", options=tuple(o for o, _ in pairs)) if len(pairs) > 1 else None
        return Mapped(pairs), Mapped(pairs), cap
    return build


def power_from_mode(c: Mapping[str, Any]) -> Built:
    on, off = str(c.get("payload_on", "ON")), str(c.get("payload_off", "OFF"))
    return Mapped(((True, on), (False, off))), Truth(off=frozenset({"off"})), Capability("power", "bool")


def scaled(attr: str, low_key: str, high_key: str, low: float, high: float, cap_low: float) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        codec = Scaled(float(c.get(low_key, low)), float(c.get(high_key, high)))
        return codec, codec, Capability(attr, "range", cap_low, 100.0)
    return build


def brightness(c: Mapping[str, Any]) -> Built:
    return scaled("brightness", "_", "brightness_scale", 0, 255, 1)(c)


def colour_temp(c: Mapping[str, Any]) -> Built:
    if c.get("color_temp_kelvin"):
        low, high = float(c.get("min_kelvin", 2000)), float(c.get("max_kelvin", 6535))
        codec: Codec = Identity(numeric=True)
    else:
        low = round(1_000_000 / float(c.get("max_mireds", 500)))
        high = round(1_000_000 / float(c.get("min_mireds", 153)))
        codec = Mireds()
    return codec, codec, Capability("color_temp", "range", float(low), float(high))


def colour(as_text: bool) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        codec = RgbColour(as_text=as_text)
        return codec, codec, Capability("color", "enum", options=tuple(COLOURS))
    return build


def fan_levels(c: Mapping[str, Any]) -> Built:
    low, high = int(c.get("speed_range_min", 1)), int(c.get("speed_range_max", 100))
    names = {1: ("high",), 2: ("low", "high"), 4: ("low", "medium", "high", "max")}.get(
        high - low + 1, ("low", "medium", "high"))
    codec = Levels(level_pairs(names, low, high))
    return codec, codec, Capability("fan_speed", "enum", options=names)


def lock(c: Mapping[str, Any]) -> Built:
    command = Mapped((("locked", str(c.get("payload_lock", "LOCK"))),
                      ("unlocked", str(c.get("payload_unlock", "UNLOCK")))))
    state = Mapped((("locked", str(c.get("state_locked", "LOCKED"))),
                    ("unlocked", str(c.get("state_unlocked", "UNLOCKED")))))
    return command, state, Capability("lock", "enum", options=("locked", "unlocked"))


def valve(c: Mapping[str, Any]) -> Built:
    command = Mapped(((True, str(c.get("payload_open", "OPEN"))), (False, str(c.get("payload_close", "CLOSE")))))
    state = Mapped(((True, str(c.get("state_open", "open"))), (False, str(c.get("state_closed", "closed")))))
    return command, state, Capability("power", "bool")


def alarm(c: Mapping[str, Any]) -> Built:
    """Armed (away) is on, disarmed is off; every other state (arming, triggered...) counts as armed."""
    command = Mapped(((True, str(c.get("payload_arm_away", "ARM_AWAY"))),
                      (False, str(c.get("payload_disarm", "DISARM")))))
    return command, Truth(off=frozenset({"disarmed"})), Capability("power", "bool")


def vacuum_power(c: Mapping[str, Any]) -> Built:
    command = Mapped(((True, str(c.get("payload_start", "start"))),
                      (False, str(c.get("payload_return_to_base", "return_to_base")))))
    return command, Truth(on=frozenset({"cleaning"})), Capability("power", "bool")


def read_only(numeric: bool) -> Callable[..., Built]:
    def build(c: Mapping[str, Any]) -> Built:
        return Identity(numeric), Identity(numeric), None
    return build
