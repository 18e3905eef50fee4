"""Everything one instance runs, started and stopped in order.

The embedded defaults: an in-process MQTT broker unless ``mqtt.url`` names one,
the virtual devices of each home, the device bridge, and the pipeline. ``serve``,
``ask`` (in-process) and ``eval`` all run on this.
"""

from __future__ import annotations

import logging
import socket
from contextlib import AsyncExitStack
from types import TracebackType

from iot_bridge import BridgeOptions, DeviceBridge, EmbeddedBroker, MqttSettings, VirtualHome, parse_mqtt_url
from iot_bridge.home import Home, load_demo_home, load_home
from skills.device_query import DeviceQuerySkill
from skills.devices import DeviceControlSkill
from skills.fallback import OutOfScopeSkill
from skills.scenes import SceneSkill
from skills.notifications import NotificationBus
from skills.sdk import SkillRegistry

from .config import Config
from .homes import HomeDirectory
from .pipeline import Pipeline, PipelineOptions
from .sessions import SessionStore
from .understanding import HomeUnderstanding

_LOGGER = logging.getLogger(__name__)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def load_homes(config: Config) -> list[Home]:
    return [load_home(p) for p in config.homes] if config.homes else [load_demo_home()]


def builtin_skills() -> SkillRegistry:
    return SkillRegistry([DeviceControlSkill(), DeviceQuerySkill(), SceneSkill(), OutOfScopeSkill()])


class Runtime:
    """Broker (embedded or external), virtual devices, bridge and pipeline, as one unit."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.homes = load_homes(config)
        self.mqtt: MqttSettings | None = None
        self.virtual_homes: dict[str, VirtualHome] = {}
        self.bridge: DeviceBridge | None = None
        self.pipeline: Pipeline | None = None
        self.notifications = NotificationBus()
        self._stack = AsyncExitStack()

    async def start(self) -> "Runtime":
        options = self.config.mqtt
        try:
            if options.url:
                self.mqtt = parse_mqtt_url(options.url)
            else:
                port = options.embedded_port or free_port(options.embedded_host)
                broker = EmbeddedBroker(options.embedded_host, port)
                await broker.start()
                self._stack.push_async_callback(broker.stop)
                self.mqtt = MqttSettings(host=options.embedded_host, port=port)
                _LOGGER.info("embedded MQTT broker on %s:%d", options.embedded_host, port)
            if options.simulate_devices:
                for home in self.homes:
                    virtual = VirtualHome(home, self.mqtt)
                    await virtual.start()
                    self._stack.push_async_callback(virtual.stop)
                    self.virtual_homes[home.id] = virtual
            self.bridge = DeviceBridge({h.id: h for h in self.homes}, self.mqtt, BridgeOptions(command_timeout_s=options.command_timeout_s))
            await self.bridge.start()
            self._stack.push_async_callback(self.bridge.stop)
            for home in self.homes:
                await self._wait_ready(home)
        except BaseException:
            await self._stack.aclose()
            raise
        understanding = HomeUnderstanding()
        for home in self.homes:  # build each vocabulary now, not on the first request
            understanding.vocabulary(home, self.bridge.devices(home.id))
        self.pipeline = Pipeline(
            HomeDirectory(self.homes),
            self.bridge,
            understanding,
            builtin_skills(),
            SessionStore(),
            PipelineOptions(max_text_chars=self.config.server.max_text_chars, budget=self.config.budget),
        )
        return self

    async def _wait_ready(self, home: Home) -> None:
        assert self.bridge is not None
        if not await self.bridge.wait_ready(home.id, self.config.mqtt.discovery_timeout_s):
            # A hub may announce its devices late; serve what is known and keep listening.
            _LOGGER.warning(
                "home %s: not discovered within %.1f s: %s",
                home.id, self.config.mqtt.discovery_timeout_s, ", ".join(self.bridge.missing(home.id)),
            )

    async def reset_home(self, home_id: str) -> None:
        """Put a simulated home back to its initial state (evaluation does this between sessions)."""
        await self.virtual_homes[home_id].reset()

    async def stop(self) -> None:
        await self._stack.aclose()

    async def __aenter__(self) -> "Runtime":
        return await self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()
