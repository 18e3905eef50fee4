"""What one home's devices are and what state they report, learned from MQTT messages.

The registry is pure bookkeeping (no I/O), so the long-running bridge and the one-shot
read-back for evaluations learn devices and decode state in exactly the same way. Devices
come from discovery configs; the home file only contributes what people call them, their
room and which actions are risky, matched by ``device.identifiers`` / ``unique_id``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from domain.devices import DeviceInfo
from domain.home import Home, Names
from iot_bridge.channels import Channel, Entity, parse_entity
from iot_bridge.templates import MISSING

_LOGGER = logging.getLogger(__name__)

#: Which component names a discovered device's type when the home file does not list it.
_TYPE_PRIORITY = ("light", "climate", "water_heater", "vacuum", "lock", "cover", "fan", "switch", "number", "sensor")


@dataclass
class _Device:
    """Mutable per-device bookkeeping (internal)."""

    id: str
    entities: dict[str, Entity] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    seen_topics: set[str] = field(default_factory=set)
    availability: dict[str, bool] = field(default_factory=dict)

    def channels(self) -> dict[str, Channel]:
        out: dict[str, Channel] = {}
        for entity in self.entities.values():
            for channel in entity.channels:
                # a writable channel wins over a read-only one of the same name
                if channel.attribute not in out or out[channel.attribute].capability is None:
                    out[channel.attribute] = channel
        return out

    def state_topics(self) -> set[str]:
        return {ch.state.topic for e in self.entities.values() for ch in e.channels if ch.state is not None}


def _names(name: str | None) -> Names:
    if not name:
        return Names()
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return Names(zh=(name,))
    return Names(en=(name,))


class HomeRegistry:
    """Discovered devices of one home, their decoded state and availability."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self._devices: dict[str, _Device] = {}
        self._entity_owner: dict[str, str] = {}  # discovery topic -> device id
        self._rooms_by_name = {n.lower(): r.id for r in home.rooms.values() for n in (r.id, *r.names.all())}
        # Every request reads the device list; it changes only with discovery or availability.
        self._infos: dict[str, DeviceInfo | None] = {}
        self._all: tuple[DeviceInfo, ...] | None = None
        # topic -> what listens on it; every state message is looked up here
        self._state_index: dict[str, list[tuple[_Device, Channel]]] | None = None
        self._availability_index: dict[str, list[tuple[_Device, Any]]] | None = None

    def _changed(self) -> None:
        self._infos.clear()
        self._all = None

    def _reindex(self) -> None:
        self._state_index, self._availability_index = {}, {}
        for device in self._devices.values():
            for entity in device.entities.values():
                for channel in entity.channels:
                    if channel.state is not None:
                        self._state_index.setdefault(channel.state.topic, []).append((device, channel))
                for item in entity.availability:
                    self._availability_index.setdefault(item.topic, []).append((device, item))

    # --- learning ---------------------------------------------------------------------

    def owner(self, entity: Entity) -> str | None:
        """The device id an entity belongs to in this home, or None when it is another home's."""
        own = f"lingxi:{self.home.id}:"
        for ident in entity.identifiers:
            if ident.startswith("lingxi:"):
                return ident[len(own):] if ident.startswith(own) else None
        for candidate in (*entity.identifiers, entity.unique_id):
            if candidate and candidate in self.home.devices:
                return candidate
        for candidate in (*entity.identifiers, entity.unique_id, entity.discovery_topic.split("/")[-2]):
            if candidate:
                return str(candidate)
        return None

    def apply_config(self, discovery_topic: str, payload: bytes) -> bool:
        """Learn (or forget, on an empty payload) one entity. Returns whether anything changed."""
        self._changed()
        self._state_index = self._availability_index = None
        previous = self._entity_owner.pop(discovery_topic, None)
        if previous is not None:
            device = self._devices.get(previous)
            if device is not None:
                device.entities.pop(discovery_topic, None)
                if not device.entities:
                    del self._devices[previous]
        if not payload.strip():
            return previous is not None
        try:
            config = json.loads(payload)
            if not isinstance(config, dict):
                raise ValueError("not an object")
            entity = parse_entity(discovery_topic, config)
        except (ValueError, TypeError, KeyError, IndexError) as err:
            _LOGGER.warning("ignoring discovery config on %s: %s", discovery_topic, err)
            return previous is not None
        device_id = self.owner(entity)
        if device_id is None:
            return previous is not None
        self._entity_owner[discovery_topic] = device_id
        self._devices.setdefault(device_id, _Device(device_id)).entities[discovery_topic] = entity
        return True

    def apply_state(self, topic: str, payload: bytes) -> list[str]:
        """Decode a state message; returns the ids of the devices it updated."""
        if self._state_index is None:
            self._reindex()
        assert self._state_index is not None
        updated: dict[str, None] = {}
        for device, channel in self._state_index.get(topic, ()):
            value = channel.state.codec.decode(channel.state.template.extract(payload))
            if value is not MISSING:
                device.state[channel.attribute] = value
            device.seen_topics.add(topic)
            updated[device.id] = None
        return list(updated)

    def apply_availability(self, topic: str, payload: bytes) -> list[str]:
        if self._availability_index is None:
            self._reindex()
        assert self._availability_index is not None
        text = payload.decode("utf-8", "replace")
        changed = []
        for device, item in self._availability_index.get(topic, ()):
            if text in (item.online, item.offline):
                device.availability[topic] = text == item.online
                changed.append(device.id)
        if changed:
            self._changed()
        return changed

    def forget_states(self) -> None:
        """Drop received state (after a reconnect the broker's retained state is read again)."""
        for device in self._devices.values():
            device.seen_topics.clear()

    # --- reading ---------------------------------------------------------------------

    def state_topics(self) -> set[str]:
        return {t for d in self._devices.values() for t in d.state_topics()}

    def availability_topics(self) -> set[str]:
        return {a.topic for d in self._devices.values() for e in d.entities.values() for a in e.availability}

    def has(self, device_id: str) -> bool:
        return device_id in self._devices

    def channels(self, device_id: str) -> dict[str, Channel]:
        device = self._devices.get(device_id)
        return device.channels() if device else {}

    def state(self, device_id: str) -> dict[str, Any]:
        device = self._devices.get(device_id)
        return dict(device.state) if device else {}

    def has_state(self, device_id: str) -> bool:
        """Whether every state topic of the device has reported since it was learned."""
        device = self._devices.get(device_id)
        return device is not None and bool(device.entities) and device.state_topics() <= device.seen_topics

    def missing(self) -> list[str]:
        """Home-file devices that are not discovered or have no state yet."""
        return [d for d in self.home.devices if not self.has_state(d)]

    def device_ids(self) -> list[str]:
        ordered = [d for d in self.home.devices if d in self._devices]
        return ordered + sorted(d for d in self._devices if d not in self.home.devices)

    def all_infos(self) -> tuple[DeviceInfo, ...]:
        """Every known device; the same tuple object until discovery or availability changes."""
        if self._all is None:
            self._all = tuple(info for d in self.device_ids() if (info := self.info(d)) is not None)
        return self._all

    def info(self, device_id: str) -> DeviceInfo | None:
        if device_id not in self._infos:
            self._infos[device_id] = self._build_info(device_id)
        return self._infos[device_id]

    def _build_info(self, device_id: str) -> DeviceInfo | None:
        device = self._devices.get(device_id)
        if device is None:
            return None
        caps = {a: ch.capability for a, ch in device.channels().items() if ch.capability is not None}
        available = all(device.availability.values())
        known = self.home.devices.get(device_id)
        if known is not None:
            return DeviceInfo(known.id, known.type, known.room, known.names, caps, known.risky, available)
        components = {e.component for e in device.entities.values()}
        kind = next((c for c in _TYPE_PRIORITY if c in components), sorted(components)[0])
        entity = next(iter(device.entities.values()))
        area = next((e.suggested_area for e in device.entities.values() if e.suggested_area), None)
        room = self._rooms_by_name.get((area or "").lower(), (area or "").lower().replace(" ", "_"))
        return DeviceInfo(device_id, kind, room, _names(entity.name), caps, {}, available)
