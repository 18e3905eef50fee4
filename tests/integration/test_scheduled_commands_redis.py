"""Scheduled device commands with the state store in a real redis-server: a task set before a restart
is kept, and with two instances sharing the store (one of them restarted) it runs exactly once.

Real mosquitto and the virtual demo home (hosted by one instance only, so a command that ran twice would
show twice in the light's brightness, read back over MQTT); the scheduler's clock is the test's FastClock,
as in test_scheduled_commands.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
import redis

from assistant.app.config import Config
from assistant.app.runtime import Runtime
from domain.home import load_demo_home
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from skills.utilities.notifications import NotificationQueue
from testkit.redis_server import RedisServer
from tests.integration.conftest import instance_config
from tests.integration.test_scheduled_commands import HOME, asker, device, heard, start, survives_a_restart
from tests.skills.test_scheduler import FastClock

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def config(module_broker: Mosquitto, redis_server: RedisServer) -> Config:
    redis.Redis.from_url(redis_server.url).flushdb()
    return instance_config(module_broker, redis_url=redis_server.url)  # no data folder: Redis is the only store


@pytest.fixture
def clock() -> FastClock:
    return FastClock(datetime.now(load_demo_home().zone).replace(microsecond=0))


def without_devices(config: Config) -> Config:
    """A second instance on the same broker and store that does not host the virtual home itself."""
    return replace(config, mqtt=replace(config.mqtt, simulate_devices=False))


async def either(queues: list[NotificationQueue]) -> str:
    """What the first queue to hear something heard."""
    waits = [asyncio.ensure_future(heard(q)) for q in queues]
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for wait in pending:
        wait.cancel()
    return next(iter(done)).result().speech


async def test_a_scheduled_task_survives_a_restart_on_redis(config, clock):
    await survives_a_restart(config, clock)


async def test_two_instances_sharing_redis_run_a_task_once_after_a_restart(config, clock):
    first = await start(config, clock)
    try:
        await first.reset_home(HOME)
        assert (await asker(first, clock)("两分钟后把客厅主灯调亮百分之二十")).speech.startswith("好的，已定时：")
    finally:
        await first.stop()
    instances: list[Runtime] = []
    try:
        instances.append(await start(config, clock))  # the restarted one, hosting the home again
        instances.append(await start(without_devices(config), clock))
        queues = [r.notifications.subscribe(HOME) for r in instances]
        for runtime in instances:  # both see the one task in the shared store
            assert "你有1个定时任务" in (await asker(runtime, clock)("有哪些定时任务")).speech
        await asker(instances[1], clock)("把客厅主灯亮度调到百分之五十")  # the virtual home started afresh
        assert (await device(instances[0], "living_room_main_light"))["brightness"] == 50
        await clock.advance(121)
        assert await either(queues) == "已按计划把客厅主灯的亮度调高"
        for _ in range(3):  # passes enough for a second run to have happened, were there one
            await clock.advance(30)
        assert all(q.empty() for q in queues)
        assert (await device(instances[1], "living_room_main_light"))["brightness"] == 70
        for runtime in instances:
            assert (await asker(runtime, clock)("有哪些定时任务")).speech == "现在没有定时任务"
    finally:
        for runtime in instances:
            await runtime.stop()
