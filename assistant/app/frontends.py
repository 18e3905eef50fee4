"""The front ends a long-running service adds around its gRPC API: the hub's MQTT API, the
Wyoming server and the web console. ``serve`` starts each one the configuration leaves on;
``chat`` and the tests do not, so they never compete for these ports and topics."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

from assistant.app.config import Config
from assistant.app.serving import Serving
from assistant.console.server import Console
from assistant.hub import HubOptions, HubService
from assistant.wyoming import WyomingOptions, WyomingServer

_LOGGER = logging.getLogger(__name__)


async def start_front_ends(instance: Serving, config: Config, stack: AsyncExitStack) -> None:
    """Start each front end the configuration turns on; ``stack`` stops them before the runtime."""
    runtime = instance.runtime
    assert runtime.pipeline is not None and runtime.mqtt is not None and runtime.bridge is not None
    if config.hub.enabled:
        hub = HubService(runtime.pipeline, runtime.mqtt, runtime.homes, HubOptions(
            max_payload_bytes=config.hub.max_payload_bytes, mqtt5=config.hub.mqtt5 and runtime.broker_kind != "amqtt"))
        await hub.start()
        stack.push_async_callback(hub.stop)
    if config.wyoming.port:
        wyoming = WyomingServer(runtime.pipeline, instance.voice, runtime.understanding, runtime.bridge, WyomingOptions(
            host=config.wyoming.host, port=config.wyoming.port, speaker=config.wyoming.speaker or config.server.default_speaker))
        await wyoming.start()
        stack.push_async_callback(wyoming.stop)
        _LOGGER.info("wyoming on tcp://%s:%d", config.wyoming.host, config.wyoming.port)
    if config.console.port:
        console = await Console(
            instance.runtime, instance.voice, config.console, tokens=config.server.device_tokens.values()
        ).start()
        stack.push_async_callback(console.stop)
        _LOGGER.info("console on http://%s:%d/", config.console.host, config.console.port)
