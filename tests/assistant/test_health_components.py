"""The gRPC health service and the metrics say which part of a served instance is down, and when it is back.

Real parts: ``serving`` (as ``assistant serve`` runs it) on loopback, a real mosquitto stopped and
started, a real redis-server stalled with SIGSTOP, a corrupt entry written into that Redis, a store
that fails in a way the scheduler cannot expect. Each
change is awaited with a bounded poll (a busy machine is slow, not wrong).
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator

import grpc
import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from grpc_health.v1 import health_pb2, health_pb2_grpc

from assistant.app.config import Config, MqttOptions, RedisOptions, ServerOptions
from assistant.app.runtime import free_port
from assistant.app.serving import Serving, serving
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from testkit.redis_server import RedisServer

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
ASSISTANT = "lingxi.assistant.v1.Assistant"
#: The longest any change is waited for: far above the monitor's one-second pass, so only a wrong health fails.
PATIENCE_S = 30.0


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.resume()
        server.cleanup()


@pytest_asyncio.fixture
async def served(mosquitto: Mosquitto, redis_server: RedisServer) -> AsyncIterator[tuple[Serving, grpc.aio.Channel]]:
    config = Config(
        server=ServerOptions(host="127.0.0.1", port=0),
        mqtt=MqttOptions(url=f"mqtt://{mosquitto.host}:{mosquitto.port}", command_timeout_s=1.0),
        redis=RedisOptions(url=redis_server.url),
    )
    async with serving(config) as instance, grpc.aio.insecure_channel(f"127.0.0.1:{instance.server.port}") as channel:
        yield instance, channel


async def status(channel: grpc.aio.Channel, service: str) -> int:
    reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
    return reply.status


async def settles(channel: grpc.aio.Channel, service: str, want: int) -> int:
    """The service's status once it is ``want``, or the last one seen when PATIENCE_S ran out."""
    deadline = time.monotonic() + PATIENCE_S
    while (seen := await status(channel, service)) != want and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return seen


async def statuses(channel: grpc.aio.Channel) -> dict[str, int]:
    names = ("", ASSISTANT, "lingxi.scheduler", "lingxi.broker", "lingxi.store")
    return {name: await status(channel, name) for name in names}


def metric(port: int, component: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        text = reply.read().decode()
    line = next(x for x in text.splitlines() if x.startswith(f'lingxi_component_up{{component="{component}"}}'))
    return float(line.split()[-1])


async def test_every_part_serves_when_all_are_up(served):
    _, channel = served
    assert await statuses(channel) == dict.fromkeys(("", ASSISTANT, "lingxi.scheduler", "lingxi.broker", "lingxi.store"),
                                                    SERVING)


async def test_broker_down_says_not_serving_and_back_up_says_serving(served, mosquitto: Mosquitto):
    instance, channel = served
    port = free_port()
    instance.metrics.serve("127.0.0.1", port)
    assert metric(port, "broker") == 1.0
    await asyncio.to_thread(mosquitto.stop)
    assert await settles(channel, "lingxi.broker", NOT_SERVING) == NOT_SERVING
    down = await statuses(channel)
    assert down[""] == NOT_SERVING  # the instance as a whole is not all there
    assert down[ASSISTANT] == SERVING  # yet it still answers (honestly) what needs no device
    assert (down["lingxi.store"], down["lingxi.scheduler"]) == (SERVING, SERVING)
    assert metric(port, "broker") == 0.0
    await asyncio.to_thread(mosquitto.start)
    assert await settles(channel, "lingxi.broker", SERVING) == SERVING
    assert await settles(channel, "", SERVING) == SERVING
    assert metric(port, "broker") == 1.0


async def test_redis_stalled_says_the_store_is_down_until_it_answers(served, redis_server: RedisServer):
    instance, channel = served
    redis_server.pause()
    try:
        assert await settles(channel, "lingxi.store", NOT_SERVING) == NOT_SERVING
        assert await status(channel, "") == NOT_SERVING
        assert instance.health.health["store"].reason  # says why, for the operator's log
    finally:
        redis_server.resume()
    assert await settles(channel, "lingxi.store", SERVING) == SERVING
    assert await settles(channel, "", SERVING) == SERVING


class FakeBrokenDueStore:
    """The real store, except that listing due entries fails in a way the scheduler cannot expect (a bug,
    not an outage): no real store can be made to do that on demand."""

    def __init__(self, real) -> None:
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    async def due(self, *args, **kwargs):
        raise RuntimeError("a store bug the scheduler cannot know about")


async def test_a_scheduler_loop_that_keeps_dying_says_not_serving(served):
    """A store that breaks every pass kills the loop on each restart: the supervisor cannot fix it, and
    health says so until the store reads again."""
    instance, channel = served
    scheduler = instance.runtime.scheduler
    real = scheduler.store
    scheduler.store = FakeBrokenDueStore(real)
    try:
        assert await settles(channel, "lingxi.scheduler", NOT_SERVING) == NOT_SERVING
        assert await status(channel, "") == NOT_SERVING
        assert await status(channel, "lingxi.store") == SERVING  # the store answers; the scheduler is what broke
    finally:
        scheduler.store = real
    assert await settles(channel, "lingxi.scheduler", SERVING) == SERVING
    assert await settles(channel, "", SERVING) == SERVING


async def test_an_unreadable_due_entry_in_redis_does_not_stop_the_scheduler(served, redis_server: RedisServer):
    """An entry written by something else is dropped from the due set (with a log line) and the loop
    keeps passing: before, every pass died reading it and no timer of any home fired."""
    instance, channel = served
    client = aioredis.from_url(redis_server.url)
    try:
        await client.zadd("lingxi:state:due:timer", {b"not json": 0})
        deadline = time.monotonic() + PATIENCE_S
        while await client.zscore("lingxi:state:due:timer", b"not json") is not None and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        assert await client.zscore("lingxi:state:due:timer", b"not json") is None
    finally:
        await client.aclose()
    assert instance.runtime.scheduler.healthy.ok
    assert await status(channel, "lingxi.scheduler") == SERVING
