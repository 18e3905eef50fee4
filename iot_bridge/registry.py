"""What one home's devices are and what state they report, learned from MQTT messages.

The registry is pure bookkeeping (no I/O), so the long-running bridge and the one-shot
read-back for evaluations learn devices and decode state in exactly the same way. Devices
come from discovery configs; the home file only contributes what people call them, their
room and which actions are risky, matched by ``device.identifiers`` / ``unique_id``.

A config is a claim (see :mod:`iot_bridge.trust`): it is refused, with one log line, when it
is too large or deep, names a topic no device may use, uses Lingxi's namespace without being
that device, claims a device that has proved itself in that namespace, takes a command or
state topic another device announced first, or would grow the home past its cap of
discovered devices. A discovered device never takes a name the home file gives (a switch
called 厨房灯 stays nameless, so "打开厨房灯" still reaches the kitchen light), and its risk
rules include what its kind carries (:mod:`iot_bridge.risk`).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from domain.devices import DeviceInfo
from domain.errors import PayloadError
from domain.home import Home, Names
from iot_bridge.channels import Channel, Entity, StateRoute, parse_entity
from iot_bridge.payloads import MAX_PAYLOAD_BYTES, check_size, load_json
from iot_bridge.risk import device_risks
from iot_bridge.templates import MISSING
from iot_bridge.trust import control_topics, lingxi_claim, namespace_problem

_LOGGER = logging.getLogger(__name__)

#: Which component names a discovered device's type when the home file does not list it.
_TYPE_PRIORITY = ("light", "climate", "water_heater", "vacuum", "lock", "alarm", "valve", "cover", "camera", "fan",
                  "switch", "number", "sensor")
#: HA components whose Lingxi type has another name.
_COMPONENT_TYPES = {"alarm_control_panel": "alarm"}
#: How many refused configs are remembered (so each is logged once); past it the memory starts again.
_REMEMBERED_REFUSALS = 4096


@dataclass(frozen=True)
class DiscoveryLimits:
    """What one home's discovery may grow to."""

    #: Devices the home file does not list; more are ignored (logged once) until some go away.
    max_discovered_devices: int = 200
    #: The largest discovery or state payload read.
    max_payload_bytes: int = MAX_PAYLOAD_BYTES


@dataclass
class _Device:
    """Mutable per-device bookkeeping (internal)."""

    id: str
    entities: dict[str, Entity] = field(default_factory=dict)
    verified: set[str] = field(default_factory=set)  # discovery topics of entities in the device's Lingxi namespace
    state: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # attribute -> the state topic it was read from
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

    def availability_topics(self) -> set[str]:
        return {a.topic for e in self.entities.values() for a in e.availability}

    def drop(self, discovery_topic: str) -> None:
        """Forget one entity and whatever was read or heard through it alone."""
        self.entities.pop(discovery_topic, None)
        self.verified.discard(discovery_topic)
        state_topics, availability_topics = self.state_topics(), self.availability_topics()
        for attribute in [a for a, topic in self.sources.items() if topic not in state_topics]:
            self.state.pop(attribute, None)
            del self.sources[attribute]
        self.seen_topics &= state_topics
        for topic in [t for t in self.availability if t not in availability_topics]:
            del self.availability[topic]


def _key(name: str) -> str:
    """A name as the home's vocabulary compares it: no 的, no spaces, lower case."""
    return "".join(name.replace("的", "").lower().split())


def _home_names(home: Home) -> frozenset[str]:
    """Every name the home file gives: rooms, scenes, device aliases alone and after their room's names."""
    keys = {_key(n) for room in home.rooms.values() for n in room.names.all()}
    keys |= {_key(n) for scene in home.scenes.values() for n in scene.names.all()}
    for device in home.devices.values():
        room = home.rooms.get(device.room)
        for alias in device.names.all():
            keys.add(_key(alias))
            keys.update(_key(r + alias) for r in (room.names.all() if room else ()))
    return frozenset(keys)


def _names(name: str | None) -> Names:
    if not name:
        return Names()
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return Names(zh=(name,))
    return Names(en=(name,))


class HomeRegistry:
    """Discovered devices of one home, their decoded state and availability."""

    def __init__(self, home: Home, limits: DiscoveryLimits | None = None) -> None:
        self.home = home
        self.limits = limits or DiscoveryLimits()
        self._devices: dict[str, _Device] = {}
        self._entity_owner: dict[str, str] = {}  # discovery topic -> device id
        self._topic_owner: dict[str, str] = {}  # command or state topic -> the device id that announced it
        self._refused: dict[str, bytes] = {}  # discovery topic -> digest of the config last refused there
        self._capped = False
        self._rooms_by_name = {n.lower(): r.id for r in home.rooms.values() for n in (r.id, *r.names.all())}
        self._home_names = _home_names(home)
        # Every request reads the device list; it changes only with discovery or availability.
        self._infos: dict[str, DeviceInfo | None] = {}
        self._all: tuple[DeviceInfo, ...] | None = None
        # topic -> what listens on it; every state message is looked up here
        self._state_index: dict[str, list[tuple[_Device, str, StateRoute]]] | None = None
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
                        self._state_index.setdefault(channel.state.topic, []).append(
                            (device, channel.attribute, channel.state))
                for item in entity.availability:
                    self._availability_index.setdefault(item.topic, []).append((device, item))

    # --- learning ---------------------------------------------------------------------

    def owner(self, entity: Entity) -> str | None:
        """The device id an entity belongs to in this home, or None when it is another home's."""
        claim = lingxi_claim(entity)
        if claim is not None:
            return claim[1] if claim[0] == self.home.id else None
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
        previous = self._forget(discovery_topic)
        if not payload.strip():
            self._refused.pop(discovery_topic, None)
            return previous
        try:
            check_size(payload, self.limits.max_payload_bytes)
            config = load_json(payload, self.limits.max_payload_bytes)
            if not isinstance(config, dict):
                raise PayloadError("not an object")
            entity = parse_entity(discovery_topic, config)
        except (ValueError, TypeError, KeyError, IndexError) as err:
            self._warn_once(discovery_topic, payload, f"ignored: {err}")
            return previous
        device_id = self.owner(entity)
        if device_id is None:
            return previous
        problem = self._problem(device_id, entity)
        if problem:
            self._warn_once(discovery_topic, payload, f"ignored: {problem}")
            return previous
        if self._over_cap(device_id):
            return previous
        if lingxi_claim(entity) is not None:
            self._verified(device_id, discovery_topic)
        device = self._devices.setdefault(device_id, _Device(device_id))
        device.entities[discovery_topic] = entity
        if lingxi_claim(entity) is not None:
            device.verified.add(discovery_topic)
        self._entity_owner[discovery_topic] = device_id
        for topic in control_topics(entity):
            self._topic_owner.setdefault(topic, device_id)
        if device_id not in self.home.devices and entity.name and _key(entity.name) in self._home_names:
            self._warn_once(discovery_topic, payload, f"the name {entity.name!r} is the home's; {device_id} goes "
                                                      "without it")
        else:
            self._refused.pop(discovery_topic, None)
        return True

    def _problem(self, device_id: str, entity: Entity) -> str:
        """Why this entity may not join ``device_id``, or ``""``."""
        problem = namespace_problem(entity)
        if problem:
            return problem
        device = self._devices.get(device_id)
        if lingxi_claim(entity) is None and device is not None and device.verified:
            return f"claims {device_id}, which announced itself in Lingxi's own topics"
        for topic in sorted(control_topics(entity)):
            holder = self._topic_owner.get(topic)
            if holder is not None and holder != device_id:
                return f"uses {topic}, which {holder} announced first"
        return ""

    def _over_cap(self, device_id: str) -> bool:
        """Whether ``device_id`` would be one discovered device too many (said once, until some go away)."""
        if device_id in self._devices or device_id in self.home.devices:
            return False
        discovered = sum(1 for d in self._devices if d not in self.home.devices)
        if discovered < self.limits.max_discovered_devices:
            return False
        if not self._capped:
            self._capped = True
            _LOGGER.warning("home %s has %d discovered devices, its cap: ignoring new ones, %s first", self.home.id,
                            discovered, device_id)
        else:
            _LOGGER.debug("home %s: over the cap, ignoring %s", self.home.id, device_id)
        return True

    def _verified(self, device_id: str, discovery_topic: str) -> None:
        """A verified entity arrived: entities that only claimed the device by a plain identifier go."""
        device = self._devices.get(device_id)
        if device is None:
            return
        for topic in [t for t in device.entities if t not in device.verified]:
            _LOGGER.warning("%s: dropping the entity that claimed %s; %s proves it in Lingxi's own topics",
                            topic, device_id, discovery_topic)
            self._forget(topic)

    def _forget(self, discovery_topic: str) -> bool:
        device_id = self._entity_owner.pop(discovery_topic, None)
        device = self._devices.get(device_id) if device_id is not None else None
        if device is None:
            return False
        entity = device.entities.get(discovery_topic)
        device.drop(discovery_topic)
        still_used = {t for e in device.entities.values() for t in control_topics(e)}
        for topic in control_topics(entity) - still_used if entity is not None else ():
            if self._topic_owner.get(topic) == device_id:
                del self._topic_owner[topic]
        if not device.entities:
            del self._devices[device.id]
            self._capped = False
        return True

    def _warn_once(self, discovery_topic: str, payload: bytes, what: str) -> None:
        """Log what is wrong with a config once (a retained one comes back on every reconnect)."""
        digest = hashlib.blake2b(payload, digest_size=8).digest()
        if self._refused.get(discovery_topic) == digest:
            _LOGGER.debug("discovery config on %s, again: %s", discovery_topic, what)
            return
        if len(self._refused) >= _REMEMBERED_REFUSALS:
            self._refused.clear()
        self._refused[discovery_topic] = digest
        _LOGGER.warning("discovery config on %s %s", discovery_topic, what[:200])

    def apply_state(self, topic: str, payload: bytes) -> list[str]:
        """Decode a state message; returns the ids of the devices it updated."""
        if self._state_index is None:
            self._reindex()
        assert self._state_index is not None
        listeners = self._state_index.get(topic, ())
        if not listeners:
            return []
        if len(payload) > self.limits.max_payload_bytes:
            _LOGGER.debug("ignoring %d-byte state on %s", len(payload), topic)
            return []
        updated: dict[str, None] = {}
        for device, attribute, route in listeners:
            value = route.codec.decode(route.template.extract(payload))
            if value is not MISSING:
                device.state[attribute] = value
                device.sources[attribute] = topic
            device.seen_topics.add(topic)
            updated[device.id] = None
        return list(updated)

    def apply_availability(self, topic: str, payload: bytes) -> list[str]:
        if self._availability_index is None:
            self._reindex()
        assert self._availability_index is not None
        listeners = self._availability_index.get(topic, ())
        if not listeners:
            return []
        text = payload[:64].decode("utf-8", "replace")
        changed = []
        for device, item in listeners:
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
        classes = {e.device_class for e in device.entities.values() if e.device_class}
        known = self.home.devices.get(device_id)
        if known is not None:
            risky = device_risks(known.type, classes, known.risky)
            return DeviceInfo(known.id, known.type, known.room, known.names, caps, risky, available)
        components = {_COMPONENT_TYPES.get(e.component, e.component) for e in device.entities.values()}
        kind = next((c for c in _TYPE_PRIORITY if c in components), sorted(components)[0])
        name = next(iter(device.entities.values())).name
        names = _names(name) if name and _key(name) not in self._home_names else Names()
        area = next((e.suggested_area for e in device.entities.values() if e.suggested_area), None)
        room = self._rooms_by_name.get((area or "").lower(), (area or "").lower().replace(" ", "_"))
        return DeviceInfo(device_id, kind, room, names, caps, device_risks(kind, classes, {}), available)
