"""The homes' devices as the broker tells them, live: what the console's home view shows.

The console keeps its own MQTT subscription (the same discovery configs and state topics the
bridge reads, through the same registry) so that a device's change reaches the page the moment
the device reports it, whoever caused it: a request, a hub's automation, a wall switch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from domain.devices import DeviceInfo
from domain.home import Home
from iot_bridge.mqtt import MqttClient, MqttSettings
from iot_bridge.registry import HomeRegistry

_LOGGER = logging.getLogger(__name__)

#: ``changed(home_id, device_id)``: a device's state or availability changed.
Changed = Callable[[str, str], None]


class HomeWatcher:
    def __init__(self, homes: Sequence[Home], settings: MqttSettings, changed: Changed) -> None:
        self._registries = {home.id: HomeRegistry(home) for home in homes}
        self._prefixes = sorted({home.discovery_prefix for home in homes})
        self._changed = changed
        self._subscribed: set[str] = set()
        self._progress = asyncio.Event()
        self._client = MqttClient(settings, name="console", on_message=self._on_message, on_connect=self._on_connect)

    async def start(self, ready_timeout_s: float = 5.0) -> None:
        """Connect, and wait (up to ``ready_timeout_s``) until every home-file device has reported its state:
        a page opened at once shows the home, not the discovery under way."""
        for prefix in self._prefixes:
            self._client.subscribe(f"{prefix}/+/+/config")
            self._client.subscribe(f"{prefix}/+/+/+/config")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ready_timeout_s
        await self._client.start(wait=ready_timeout_s)
        while any(r.missing() for r in self._registries.values()) and loop.time() < deadline:
            self._progress.clear()
            try:
                await asyncio.wait_for(self._progress.wait(), deadline - loop.time())
            except TimeoutError:
                break
        for registry in self._registries.values():
            if registry.missing():
                _LOGGER.warning("console: no state yet from %s of home %s", ", ".join(registry.missing()), registry.home.id)

    async def stop(self) -> None:
        await self._client.stop()

    def devices(self, home_id: str) -> Sequence[DeviceInfo]:
        return self._registries[home_id].all_infos()

    def state(self, home_id: str, device_id: str) -> Mapping[str, Any]:
        return self._registries[home_id].state(device_id)

    def _on_connect(self) -> None:
        for registry in self._registries.values():
            registry.forget_states()  # retained state is read again after the resubscription

    def _on_message(self, topic: str, payload: bytes, _retained: bool) -> None:
        self._progress.set()
        prefix = topic.split("/", 1)[0]
        if topic.endswith("/config") and prefix in self._prefixes:
            self._on_config(topic, payload, prefix)
            return
        for home_id, registry in self._registries.items():
            for device_id in {*registry.apply_state(topic, payload), *registry.apply_availability(topic, payload)}:
                self._changed(home_id, device_id)

    def _on_config(self, topic: str, payload: bytes, prefix: str) -> None:
        for home_id, registry in self._registries.items():
            if registry.home.discovery_prefix == prefix and registry.apply_config(topic, payload):
                for device in registry.device_ids():
                    self._changed(home_id, device)
        wanted = {t for r in self._registries.values() for t in r.state_topics() | r.availability_topics()}
        for sub in wanted - self._subscribed:
            self._client.subscribe(sub)
        for sub in self._subscribed - wanted:
            self._client.unsubscribe(sub)
        self._subscribed = wanted
