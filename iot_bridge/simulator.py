"""Virtual devices: the demo home's devices simulated over MQTT, and nothing but MQTT.

Each home device behaves like firmware behind a hub: it announces itself with HA discovery
configs, keeps its state as a retained JSON message, takes commands on its command topics
and answers every command with a fresh state message, applied or not, so that whoever waits
for a confirmation learns the outcome at once. The firmware side is written directly from
the payload formats in :mod:`iot_bridge.discovery` (not from the bridge's generic parser), so
the tests that drive it through the bridge check both ends of the contract independently.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

from domain.home import Device, Home
from iot_bridge.codecs import as_number, level_pairs, nearest_colour
from iot_bridge.discovery import (
    HVAC_MODES,
    device_configs,
    device_topics,
    render_state,
    simulator_availability_topic,
)
from iot_bridge.mqtt import BrokerUnavailable, MqttClient, MqttSettings, Will

_LOGGER = logging.getLogger(__name__)

_INTEGER_ATTRIBUTES = frozenset({"brightness", "position", "volume", "color_temp"})


class CommandRejected(ValueError):
    """A command the device cannot carry out; its state stays as it was."""


def _on_off(text: str) -> bool:
    if text.upper() in ("ON", "TRUE", "1"):
        return True
    if text.upper() in ("OFF", "FALSE", "0"):
        return False
    raise CommandRejected(f"not an on/off payload: {text!r}")


def decode_command(device: Device, rest: str, payload: str) -> dict[str, Any]:
    """What a command message asks for, in Lingxi's vocabulary (``rest`` is the topic after the device)."""
    kind = device.type
    if rest == "set":  # JSON-schema light
        try:
            doc = json.loads(payload)
        except ValueError as err:
            raise CommandRejected(f"not JSON: {payload!r}") from err
        if not isinstance(doc, dict):
            raise CommandRejected("JSON command is not an object")
        changes: dict[str, Any] = {}
        if "state" in doc:
            changes["power"] = _on_off(str(doc["state"]))
        for key in ("brightness", "color_temp"):
            if key in doc:
                changes[key] = doc[key]
        if "color" in doc:
            colour = doc["color"]
            if not isinstance(colour, dict) or not {"r", "g", "b"} <= colour.keys():
                raise CommandRejected("only RGB colours are supported")
            changes["color"] = nearest_colour((float(colour["r"]), float(colour["g"]), float(colour["b"])))
        if "effect" in doc:
            changes["effect"] = doc["effect"]
        return changes
    if rest == "command" and kind == "vacuum":
        actions = {"start": {"power": True}, "return_to_base": {"power": False}, "stop": {"power": False}}
        if payload not in actions:
            raise CommandRejected(f"unsupported vacuum command {payload!r}")
        return actions[payload]
    attribute = rest[: -len("/set")] if rest.endswith("/set") else ""
    if attribute == "power":
        return {"power": _on_off(payload)}
    if attribute == "lock":
        locks = {"LOCK": "locked", "UNLOCK": "unlocked"}
        if payload not in locks:
            raise CommandRejected(f"unsupported lock payload {payload!r}")
        return {"lock": locks[payload]}
    if attribute == "cover":
        moves = {"OPEN": {"position": 100}, "CLOSE": {"position": 0}, "STOP": {}}
        if payload not in moves:
            raise CommandRejected(f"unsupported cover payload {payload!r}")
        return moves[payload]
    if attribute == "mode":
        if kind in ("climate", "water_heater"):
            if payload == "off":
                return {"power": False}
            names = {theirs: ours for ours, theirs in HVAC_MODES.items()}
            mode = names.get(payload, payload)
            return {"power": True} if kind == "water_heater" and mode == "electric" else {"power": True, "mode": mode}
        return {"mode": payload}
    if attribute == "fan_speed" and kind == "fan" and "fan_speed" in device.capabilities:
        options = device.capabilities["fan_speed"].options
        by_level = {str(level): name for name, level in level_pairs(options, 1, len(options))}
        if payload not in by_level:
            raise CommandRejected(f"fan speed level {payload!r} out of range")
        return {"fan_speed": by_level[payload]}
    if attribute in ("temperature", "position", "volume"):
        try:
            return {attribute: float(payload)}
        except ValueError as err:
            raise CommandRejected(f"not a number: {payload!r}") from err
    if attribute:
        return {attribute: payload}
    raise CommandRejected(f"unknown command topic {rest!r}")


def apply_changes(device: Device, state: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The device's new state: numbers clamped to range; anything it cannot do rejects the whole command."""
    new = dict(state)
    for attribute, value in changes.items():
        cap = device.capabilities.get(attribute)
        if cap is None:
            raise CommandRejected(f"{device.id} has no {attribute}")
        if cap.kind == "bool":
            new[attribute] = bool(value)
        elif cap.kind == "enum":
            if str(value) not in cap.options:
                raise CommandRejected(f"{device.id} cannot set {attribute} to {value!r}")
            new[attribute] = str(value)
        else:
            try:
                number = cap.clamp(float(value))
            except (TypeError, ValueError) as err:
                raise CommandRejected(f"{attribute}: not a number: {value!r}") from err
            new[attribute] = int(round(number)) if attribute in _INTEGER_ATTRIBUTES else as_number(number)
    if device.type == "vacuum" and "power" in changes:
        new["status"] = "cleaning" if new["power"] else "docked"
    return new


class VirtualHome:
    """All devices of one home, simulated over one MQTT connection (like a hub's bridge process)."""

    def __init__(self, home: Home, settings: MqttSettings) -> None:
        self.home = home
        self._states: dict[str, dict[str, Any]] = {}
        self._availability = simulator_availability_topic(home.id)
        self._tasks: set[asyncio.Task[None]] = set()
        self._client = MqttClient(
            settings, name=f"sim-{home.id}", will=Will(self._availability, "offline"),
            on_message=self._on_message, on_connect=self._on_connect,
        )
        self._initial_states()

    def _initial_states(self) -> None:
        self._states = {d.id: dict(d.initial_state) for d in self.home.devices.values()}

    @property
    def connected(self) -> bool:
        return self._client.connected

    def state(self, device_id: str) -> dict[str, Any]:
        """The simulated device's own state (what it would publish)."""
        return dict(self._states[device_id])

    async def start(self, *, wait: float = 5.0) -> None:
        """Connect and announce every device (and keep re-announcing after reconnects)."""
        prefix = f"lingxi/{self.home.id}"
        for topic in (f"{prefix}/+/set", f"{prefix}/+/+/set", f"{prefix}/+/command",
                      f"{self.home.discovery_prefix}/status"):
            self._client.subscribe(topic)
        await self._client.start(wait=wait)
        await self._drain()

    async def stop(self) -> None:
        """Say we are offline, then disconnect (a clean disconnect sends no last will)."""
        for task in list(self._tasks):
            task.cancel()
        try:
            await self._client.publish(self._availability, "offline", retain=True)
        except BrokerUnavailable:
            pass
        await self._client.stop()

    async def reset(self) -> None:
        """Put every device back to the home file's initial state and republish it (retained)."""
        self._initial_states()
        await asyncio.gather(*(self._publish_state(d) for d in self.home.devices.values()))

    async def announce(self) -> None:
        """Publish discovery configs, state and availability of every device."""
        publishes = []
        for device in self.home.devices.values():
            for topic, config in device_configs(self.home, device):
                publishes.append(self._client.publish(topic, json.dumps(config), retain=True))
            publishes.append(self._publish_state(device))
            publishes.append(self._client.publish(device_topics(self.home.id, device.id).availability, "online",
                                                  retain=True))
        publishes.append(self._client.publish(self._availability, "online", retain=True))
        await asyncio.gather(*publishes)
        _LOGGER.info("virtual home %s: announced %d devices", self.home.id, len(self.home.devices))

    async def _publish_state(self, device: Device) -> None:
        payload = json.dumps(render_state(device, self._states[device.id]))
        await self._client.publish(device_topics(self.home.id, device.id).state, payload, retain=True)

    # --- event handlers (event loop) ------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and isinstance(task.exception(), BrokerUnavailable):
            _LOGGER.warning("virtual home %s: broker went away while publishing", self.home.id)
        elif not task.cancelled() and task.exception() is not None:
            _LOGGER.error("virtual home %s: %r", self.home.id, task.exception())

    async def _drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _on_connect(self) -> None:
        self._spawn(self.announce())

    def _on_message(self, topic: str, payload: bytes, retained: bool) -> None:
        if topic == f"{self.home.discovery_prefix}/status":
            if payload == b"online" and not retained:
                self._spawn(self.announce())
            return
        parts = topic.split("/", 3)
        device = self.home.devices.get(parts[2]) if len(parts) == 4 else None
        if device is None or retained:
            return
        text = payload.decode("utf-8", "replace")
        try:
            changes = decode_command(device, parts[3], text)
            self._states[device.id] = apply_changes(device, self._states[device.id], changes)
            _LOGGER.debug("%s: %s -> %s", device.id, text, self._states[device.id])
        except CommandRejected as err:
            _LOGGER.info("%s: rejected %s %r: %s", device.id, parts[3], text, err)
        self._spawn(self._publish_state(device))
