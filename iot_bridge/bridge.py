"""The device bridge: Lingxi's view of every home's devices, controlled over MQTT.

The bridge knows devices only from what the broker tells it (HA discovery configs and state
messages), so a device a real hub publishes is as controllable as our virtual ones, and what
Lingxi says about a device is what the device last said about itself. A command is confirmed
by the device's next state report, never assumed from a successful publish: DONE when the
state shows every requested change, FAILED as soon as the device has answered without
applying it or the broker is gone, TIMEOUT when nothing comes back in time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from domain.home import Home
from iot_bridge.mqtt import BrokerUnavailable, MqttClient, MqttSettings
from iot_bridge.registry import DiscoveryLimits, HomeRegistry
from iot_bridge.validation import Plan, plan_command

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class BridgeOptions:
    """Tuning of the bridge. ``command_timeout_s`` bounds the wait for a device's confirmation."""

    command_timeout_s: float = 2.0
    #: After the device has answered without the change, how long a later answer may still confirm it.
    #: A stale report (a re-announcement crossing our command) must not turn into FAILED.
    reject_grace_s: float = 0.3
    connect_wait_s: float = 5.0
    client_name: str = "bridge"
    birth_payload: str = "online"
    #: Devices per home that the home file does not list; more are ignored (logged once).
    max_discovered_devices: int = 200


class DeviceBridge:
    """Discovers the devices of several homes on one broker and executes commands on them."""

    def __init__(self, homes: Mapping[str, Home], settings: MqttSettings, options: BridgeOptions | None = None) -> None:
        self.options = options or BridgeOptions()
        self._homes = dict(homes)
        limits = DiscoveryLimits(max_discovered_devices=self.options.max_discovered_devices)
        self._registries = {home_id: HomeRegistry(home, limits) for home_id, home in self._homes.items()}
        self._device_topics: set[str] = set()  # state and availability topics subscribed for devices
        self._prefixes = sorted({home.discovery_prefix for home in self._homes.values()})
        self._client = MqttClient(settings, name=self.options.client_name, on_message=self._on_message,
                                  on_connect=self._on_connect, on_disconnect=self._on_disconnect)
        self._sync_topic = f"lingxi/_bridge/{self._client.client_id}/sync"
        self._sync_waiters: dict[str, asyncio.Future[None]] = {}
        self._sync_counter = 0
        self._watchers: dict[tuple[str, str], set[asyncio.Queue[str | None]]] = {}
        self._changed: asyncio.Future[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._client.connected

    async def start(self) -> None:
        """Connect (waiting up to ``connect_wait_s``) and start learning devices."""
        for prefix in self._prefixes:
            self._client.subscribe(f"{prefix}/+/+/config")
            self._client.subscribe(f"{prefix}/+/+/+/config")
        self._client.subscribe(self._sync_topic, qos=0)
        await self._client.start(wait=self.options.connect_wait_s)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self._client.stop()

    # --- reading -------------------------------------------------------------------------

    def homes(self) -> list[str]:
        return list(self._homes)

    def devices(self, home_id: str) -> Sequence[DeviceInfo]:
        """Every known device of the home; the same object until discovery or availability changes."""
        return self._registry(home_id).all_infos()

    def device(self, home_id: str, device_id: str) -> DeviceInfo | None:
        return self._registry(home_id).info(device_id)

    def state(self, home_id: str, device_id: str) -> Mapping[str, Any]:
        """The device's last reported state in Lingxi's vocabulary (empty when unknown)."""
        return self._registry(home_id).state(device_id)

    def missing(self, home_id: str) -> list[str]:
        """Home-file devices not (yet) discovered with state."""
        return self._registry(home_id).missing()

    async def wait_ready(self, home_id: str, timeout: float) -> bool:
        """Wait until every device of the home file is discovered and has reported state."""
        registry = self._registry(home_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while registry.missing():
            remaining = deadline - loop.time()
            if remaining <= 0:
                _LOGGER.warning("home %s not ready after %.1f s; missing %s", home_id, timeout, registry.missing())
                return False
            try:
                await asyncio.wait_for(asyncio.shield(self._next_change()), remaining)
            except TimeoutError:
                pass
        return True

    async def sync(self, timeout: float = 2.0) -> bool:
        """Round-trip through the broker so that every message published before now has been seen.

        Use after a :meth:`VirtualHome.reset` (or any outside change) before reading state.
        """
        self._sync_counter += 1
        token = str(self._sync_counter)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sync_waiters[token] = future
        try:
            await self._client.publish(self._sync_topic, token, qos=0)
            await asyncio.wait_for(future, timeout)
            return True
        except (BrokerUnavailable, TimeoutError):
            return False
        finally:
            self._sync_waiters.pop(token, None)

    # --- commands ----------------------------------------------------------------------

    async def execute(self, home_id: str, command: DeviceCommand, timeout: float | None = None) -> CommandResult:
        """Validate, send and confirm one command; never raises for device or broker trouble.

        ``timeout`` is the caller's remaining budget; a silent device is given up on after
        ``command_timeout_s`` even when the budget is longer, so a user never waits out a whole deadline.
        """
        bound = self.options.command_timeout_s
        timeout = bound if timeout is None else min(timeout, bound)
        device_id = command.device_id
        registry = self._registries.get(home_id)
        if registry is None:
            return CommandResult(device_id, CommandStatus.REJECTED, detail=f"unknown home {home_id!r}")
        info = registry.info(device_id)
        if info is None:
            if device_id in registry.home.devices:
                return CommandResult(device_id, CommandStatus.FAILED,
                                     detail=f"{device_id} has not announced itself on MQTT (offline?)")
            return CommandResult(device_id, CommandStatus.REJECTED, detail=f"unknown device {device_id!r}")
        plan = plan_command(info, registry.channels(device_id), command.changes)
        if isinstance(plan, str):
            return CommandResult(device_id, CommandStatus.REJECTED, registry.state(device_id), plan)
        if not self._client.connected:
            return CommandResult(device_id, CommandStatus.FAILED, registry.state(device_id),
                                 "broker unavailable: not connected")
        if not info.available:
            return CommandResult(device_id, CommandStatus.FAILED, registry.state(device_id),
                                 f"{device_id} is offline")
        key = (home_id, device_id)
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._watchers.setdefault(key, set()).add(queue)
        try:
            async with asyncio.timeout(timeout):
                return await self._send_and_confirm(registry, plan, queue)
        except TimeoutError:
            return CommandResult(device_id, CommandStatus.TIMEOUT, registry.state(device_id),
                                 f"no confirmation from {device_id} within {timeout:g} s")
        finally:
            self._watchers[key].discard(queue)

    async def _send_and_confirm(self, registry: HomeRegistry, plan: Plan, queue: asyncio.Queue[str | None]
                                ) -> CommandResult:
        device_id = plan.device_id
        already = plan.satisfied_by(registry.state(device_id))
        try:
            # published in order (power on first, power off last); QoS 1 acks awaited together
            await asyncio.gather(*(self._client.publish(m.topic, m.payload, qos=1) for m in plan.messages))
        except BrokerUnavailable as err:
            return CommandResult(device_id, CommandStatus.FAILED, registry.state(device_id),
                                 f"broker unavailable: {err.message}")
        if already or not plan.expected:
            return CommandResult(device_id, CommandStatus.DONE, registry.state(device_id), plan.note)
        expected = dict(plan.expected)
        grace_until: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            if grace_until is None:
                topic = await queue.get()
            else:
                try:
                    topic = await asyncio.wait_for(queue.get(), max(0.0, grace_until - loop.time()))
                except TimeoutError:
                    return CommandResult(device_id, CommandStatus.FAILED, registry.state(device_id),
                                         f"{device_id} did not apply it: {plan.difference(registry.state(device_id))}")
            state = registry.state(device_id)
            if topic is None:
                return CommandResult(device_id, CommandStatus.FAILED, state,
                                     "broker unavailable: connection lost while waiting for the device")
            if plan.satisfied_by(state):
                return CommandResult(device_id, CommandStatus.DONE, state, plan.note)
            if topic in expected:
                expected[topic] -= 1
            if grace_until is None and all(count <= 0 for count in expected.values()):
                grace_until = loop.time() + self.options.reject_grace_s

    # --- MQTT events (event loop) ---------------------------------------------------------

    def _registry(self, home_id: str) -> HomeRegistry:
        try:
            return self._registries[home_id]
        except KeyError:
            raise KeyError(f"unknown home {home_id!r}") from None

    def _next_change(self) -> asyncio.Future[None]:
        if self._changed is None or self._changed.done():
            self._changed = asyncio.get_running_loop().create_future()
        return self._changed

    def _notify(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)

    def _on_connect(self) -> None:
        for registry in self._registries.values():
            registry.forget_states()  # the broker's retained state is read again after subscribing
        for prefix in self._prefixes:
            task = asyncio.get_running_loop().create_task(self._birth(prefix))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _birth(self, prefix: str) -> None:
        try:
            await self._client.publish(f"{prefix}/status", self.options.birth_payload, qos=1)
        except BrokerUnavailable:
            _LOGGER.debug("birth message for %s not sent: broker went away", prefix)

    def _on_disconnect(self) -> None:
        for queues in self._watchers.values():
            for queue in queues:
                queue.put_nowait(None)

    def _on_message(self, topic: str, payload: bytes, retained: bool) -> None:
        if topic == self._sync_topic:
            future = self._sync_waiters.get(payload.decode("ascii", "replace"))
            if future is not None and not future.done():
                future.set_result(None)
            return
        if topic.endswith("/config") and topic.split("/", 1)[0] in self._prefixes:
            self._on_config(topic, payload)
            return
        for home_id, registry in self._registries.items():
            for device_id in registry.apply_state(topic, payload):
                for queue in self._watchers.get((home_id, device_id), ()):
                    queue.put_nowait(topic)
            registry.apply_availability(topic, payload)
        self._notify()

    def _on_config(self, topic: str, payload: bytes) -> None:
        prefix = topic.split("/", 1)[0]
        changed = False
        for registry in self._registries.values():
            if registry.home.discovery_prefix == prefix:
                changed = registry.apply_config(topic, payload) or changed
        if changed:
            # only what some device still reads stays subscribed: a churn of configs must not pile up
            wanted = {t for r in self._registries.values() for t in r.state_topics() | r.availability_topics()}
            for sub in self._device_topics - wanted:
                self._client.unsubscribe(sub)
            for sub in wanted - self._device_topics:
                self._client.subscribe(sub)
            self._device_topics = wanted
        self._notify()


async def read_states(settings: MqttSettings, home: Home, timeout: float = 3.0) -> dict[str, dict[str, Any]]:
    """Read every device's retained state back from the broker with a fresh client.

    This is how evaluations check what the devices really did. Returns the state of each
    discovered device (home-file devices first); a device missing at ``timeout`` is left out.
    """
    registry = HomeRegistry(home)
    changed = asyncio.Event()

    def on_message(topic: str, payload: bytes, _retained: bool) -> None:
        if topic.endswith("/config") and topic.startswith(f"{home.discovery_prefix}/"):
            if registry.apply_config(topic, payload):
                for sub in registry.state_topics():
                    client.subscribe(sub)
        else:
            registry.apply_state(topic, payload)
        changed.set()

    client = MqttClient(settings, name="readback", on_message=on_message)
    client.subscribe(f"{home.discovery_prefix}/+/+/config")
    client.subscribe(f"{home.discovery_prefix}/+/+/+/config")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        await client.start(wait=timeout)
        while registry.missing() and loop.time() < deadline:
            changed.clear()
            try:
                await asyncio.wait_for(changed.wait(), deadline - loop.time())
            except TimeoutError:
                break
    finally:
        await client.stop()
    if registry.missing():
        _LOGGER.warning("read_states(%s): no state from %s", home.id, registry.missing())
    return {d: registry.state(d) for d in registry.device_ids() if registry.has_state(d)}
