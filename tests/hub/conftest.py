"""A whole Lingxi instance serving two homes (the demo home and a cabin) with the hub's MQTT service on a real mosquitto."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest_asyncio

import domain
from assistant.app.runtime import Runtime
from assistant.hub import HubService
from assistant.hub.client import HubClient
from domain.home import Home
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from tests.integration.conftest import instance_config

#: ``homes`` lists files, and this instance serves two: the packaged demo home's file and the cabin's.
DEMO = Path(domain.__file__).with_name("data") / "demo_home.yaml"
CABIN = Path(__file__).with_name("cabin_home.yaml")


@dataclass
class HubInstance:
    runtime: Runtime
    service: HubService
    #: An MQTT 5 client of the demo home's hub.
    demo: HubClient

    def home(self, home_id: str) -> Home:
        return next(h for h in self.runtime.homes if h.id == home_id)

    async def states(self, home_id: str = "demo") -> dict[str, dict]:
        assert self.runtime.mqtt is not None
        return await read_states(self.runtime.mqtt, self.home(home_id), 3.0)

    async def reset(self) -> None:
        for home_id in self.runtime.virtual_homes:
            await self.runtime.reset_home(home_id)
        assert self.runtime.bridge is not None
        assert await self.runtime.bridge.sync(3.0)

    async def client(self, home_id: str = "demo", *, mqtt5: bool = True) -> HubClient:
        assert self.runtime.mqtt is not None
        return await HubClient(self.runtime.mqtt, home_id, mqtt5=mqtt5).start()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hub(module_broker: Mosquitto) -> AsyncIterator[HubInstance]:
    config = replace(instance_config(module_broker), homes=(str(DEMO), str(CABIN)))
    runtime = await Runtime(config).start()
    assert runtime.pipeline is not None and runtime.mqtt is not None
    service = HubService(runtime.pipeline, runtime.mqtt, runtime.homes)
    await service.start()
    instance = HubInstance(runtime, service, await HubClient(runtime.mqtt, "demo").start())
    try:
        yield instance
    finally:
        await instance.demo.stop()
        await service.stop()
        await runtime.stop()
