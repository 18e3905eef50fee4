"""A whole Lingxi instance (real mosquitto, the demo home, whisper) behind the Wyoming server, and the package's own client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest_asyncio
from wyoming.client import AsyncTcpClient
from wyoming.event import Event

from assistant.app.runtime import Runtime, free_port
from assistant.pipeline.understanding import HomeUnderstanding
from assistant.voice.service import VoiceService
from assistant.wyoming import WyomingOptions, WyomingServer
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from tests.integration.conftest import instance_config


@dataclass
class WyomingInstance:
    runtime: Runtime
    server: WyomingServer

    async def states(self) -> dict[str, dict]:
        assert self.runtime.mqtt is not None
        return await read_states(self.runtime.mqtt, self.runtime.homes[0], 3.0)

    async def reset(self) -> None:
        await self.runtime.reset_home("demo")
        assert self.runtime.bridge is not None
        assert await self.runtime.bridge.sync(3.0)

    async def exchange(self, *events: Event, replies: int = 1) -> list[Event]:
        """Send ``events`` on one connection of the ``wyoming`` client; the next ``replies`` events back."""
        async with AsyncTcpClient(self.server.options.host, self.server.options.port, read_timeout=60) as client:
            for event in events:
                await client.write_event(event)
            received = []
            for _ in range(replies):
                event = await client.read_event()
                assert event is not None, "the server closed the connection"
                received.append(event)
            return received


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def wyoming(module_broker: Mosquitto) -> AsyncIterator[WyomingInstance]:
    runtime = await Runtime(instance_config(module_broker)).start()
    assert runtime.pipeline is not None and runtime.bridge is not None
    voice = VoiceService()
    await voice.warm(runtime.homes)
    server = WyomingServer(runtime.pipeline, voice, HomeUnderstanding(), runtime.bridge, WyomingOptions(port=free_port()))
    await server.start()
    try:
        yield WyomingInstance(runtime, server)
    finally:
        await server.stop()
        await runtime.stop()
