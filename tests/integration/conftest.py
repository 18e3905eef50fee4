"""A whole Lingxi instance for integration tests: real mosquitto, virtual demo home, bridge, gRPC server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import Config, MqttOptions, RedisOptions, ServerOptions, SessionOptions
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto


@dataclass
class Instance:
    runtime: Runtime
    server: GrpcServer
    broker: Mosquitto
    channel: grpc.aio.Channel

    @property
    def stub(self) -> pb_grpc.AssistantStub:
        return pb_grpc.AssistantStub(self.channel)

    async def states(self) -> dict[str, dict]:
        assert self.runtime.mqtt is not None
        return await read_states(self.runtime.mqtt, self.runtime.homes[0], 3.0)

    async def reset(self) -> None:
        await self.runtime.reset_home("demo")
        assert self.runtime.bridge is not None
        assert await self.runtime.bridge.sync(3.0)


def instance_config(broker: Mosquitto, redis_url: str = "", confirm_ttl_s: float = 60.0, **server: object) -> Config:
    return Config(
        server=ServerOptions(port=0, **server),  # type: ignore[arg-type]
        mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}", command_timeout_s=1.0),
        redis=RedisOptions(url=redis_url),
        session=SessionOptions(confirm_ttl_s=confirm_ttl_s),
    )


async def start_instance(broker: Mosquitto, **options: object) -> Instance:
    config = instance_config(broker, **options)  # type: ignore[arg-type]
    runtime = await Runtime(config).start()
    assert runtime.pipeline is not None
    grpc_server = GrpcServer(AssistantService(runtime.pipeline, config.server, Metrics(), runtime.notifications), config.server)
    await grpc_server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{grpc_server.port}")
    return Instance(runtime, grpc_server, broker, channel)


async def stop_instance(instance: Instance) -> None:
    await instance.channel.close()
    await instance.server.stop()
    await instance.runtime.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lingxi(module_broker: Mosquitto) -> AsyncIterator[Instance]:
    """One instance shared by a module's tests; each test resets the home it uses."""
    instance = await start_instance(module_broker)
    try:
        yield instance
    finally:
        await stop_instance(instance)
