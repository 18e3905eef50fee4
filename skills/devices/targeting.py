"""Which devices a command means.

intents.md: a named device wins; otherwise type and room narrow the candidates,
the speaking device's room is preferred when no room is said, and when several
candidates of one type remain the command applies to all of them only with an
explicit ``all`` scope — otherwise the assistant asks which one. ``exclude`` (room and device
ids) takes devices out of the candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.devices import DeviceInfo

#: Read-only attributes a query may ask for, and the device types that report them.
READABLE_BY_TYPE = {
    "temperature": frozenset({"sensor", "climate", "water_heater"}),
    "humidity": frozenset({"sensor"}),
    "pm25": frozenset({"fan"}),
    "battery": frozenset({"vacuum", "lock"}),
    "status": frozenset({"vacuum"}),
}

#: Device types that a bare "turn on/off" can address.
SWITCHABLE_TYPES = frozenset({"light", "climate", "cover", "media_player", "fan", "vacuum", "water_heater", "camera", "switch"})


@dataclass(frozen=True)
class Targets:
    """The outcome of resolution: chosen devices, or candidates to ask about, or nothing."""

    devices: tuple[DeviceInfo, ...] = ()
    candidates: tuple[DeviceInfo, ...] = ()  # non-empty: ask which one
    missing: str = ""  # non-empty: nothing matched; what was asked for

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)


def _serves(device: DeviceInfo, intent_name: str, attribute: str | None) -> bool:
    if attribute:
        if attribute in device.capabilities:
            return True
        return intent_name == "device.query" and device.type in READABLE_BY_TYPE.get(attribute, ())
    if intent_name in ("device.turn_on", "device.turn_off"):
        return device.type in SWITCHABLE_TYPES
    return True


def _describe(slots: Mapping[str, Any]) -> str:
    parts = [str(slots[k]) for k in ("room", "device_type", "attribute", "device") if slots.get(k)]
    return " ".join(parts) or "device"


def resolve_targets(
    intent_name: str,
    slots: Mapping[str, Any],
    devices: Sequence[DeviceInfo],
    speaker_room: str,
) -> Targets:
    """Pick the devices an intent's slots mean, following intents.md."""
    by_id = {d.id: d for d in devices}
    if slots.get("devices"):  # a follow-up or an answer that named several
        chosen = tuple(by_id[d] for d in slots["devices"] if d in by_id)
        return Targets(devices=chosen) if chosen else Targets(missing=", ".join(slots["devices"]))
    if slots.get("device"):
        device = by_id.get(str(slots["device"]))
        return Targets(devices=(device,)) if device else Targets(missing=str(slots["device"]))

    attribute = slots.get("attribute")
    excluded = set(slots.get("exclude") or ())  # room and device ids: "all the lights except the bedroom"
    pool = [d for d in devices if _serves(d, intent_name, attribute) and not excluded & {d.id, d.room}]
    if slots.get("device_type"):
        pool = [d for d in pool if d.type == slots["device_type"]]
    if slots.get("room"):
        pool = [d for d in pool if d.room == slots["room"]]
    elif pool:
        in_speaker_room = [d for d in pool if d.room == speaker_room]
        if in_speaker_room and slots.get("scope") != "all":
            pool = in_speaker_room
    if not pool:
        return Targets(missing=_describe(slots))
    if intent_name == "device.query":
        # a measuring sensor answers "how warm is it" better than a thermostat's target
        sensors = [d for d in pool if d.type == "sensor"]
        return Targets(devices=tuple(sensors or pool))
    if len(pool) == 1 or slots.get("scope") == "all":
        return Targets(devices=tuple(pool))
    return Targets(candidates=tuple(pool))
