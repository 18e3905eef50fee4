"""Several instances on one Redis: each entry rings exactly once, whichever instance set it,
and a Redis outage makes the scheduler say it is unhealthy, not die."""

import asyncio
import collections

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.state import StateOptions
from tests.skills.standins import context
from tests.state.test_durability import Process

HOME = load_demo_home()


def timer(seconds, label):
    return Intent("timer.set", {"duration": seconds, "label": label}, 0.99, IntentSource.RULES)


async def until(condition, timeout=30.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "condition never held"
        await asyncio.sleep(0.05)


async def test_two_instances_ring_each_timer_once(redis_server):
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()
    from skills.utilities.timers import TimerSkill

    options = StateOptions(redis_url=redis_server.url)
    instances = [await Process.start(options), await Process.start(options)]
    heard: collections.Counter[str] = collections.Counter()

    async def listen(queue):
        while True:
            heard[(await queue.get()).label] += 1

    listeners = [asyncio.ensure_future(listen(p.bus.subscribe(HOME.id))) for p in instances]
    try:
        labels = [f"t{n}" for n in range(12)]
        for n, label in enumerate(labels):  # set on either instance, due at nearly the same time
            await TimerSkill(instances[n % 2].scheduler).handle(timer(1 + n % 3 * 0.25, label), context("en"))

        async def all_rang():
            return set(heard) == set(labels)

        await until(all_rang)
        for p in instances:  # what could still ring twice is gone from the store
            assert await p.scheduler.entries(HOME.id, "timer") == []
            assert await p.scheduler.store.list(HOME.id, "notification") == []
        assert heard == collections.Counter(labels)  # once each, not once per instance
    finally:
        for task in listeners:
            task.cancel()
        for p in instances:
            await p.stop()


async def test_an_instance_that_sets_a_timer_and_dies_leaves_it_to_the_other(redis_server):
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()
    from skills.utilities.timers import TimerSkill

    options = StateOptions(redis_url=redis_server.url)
    setter, survivor = await Process.start(options), await Process.start(options)
    queue = survivor.bus.subscribe(HOME.id)
    await TimerSkill(setter.scheduler).handle(timer(1, "orphan"), context("en"))
    await setter.stop()
    try:
        assert (await asyncio.wait_for(queue.get(), 30)).label == "orphan"
    finally:
        await survivor.stop()


async def test_a_redis_outage_is_reported_then_recovered_from():
    from skills.utilities.timers import TimerSkill
    from testkit.redis_server import RedisServer

    server = RedisServer()
    server.start()
    instance = await Process.start(StateOptions(redis_url=server.url, timeout_s=0.3), restart_delay_s=0.05)
    try:
        async def healthy():
            return bool(instance.scheduler.healthy)

        async def unhealthy():
            return not instance.scheduler.healthy

        await until(healthy)
        await asyncio.to_thread(server.stop)
        await until(unhealthy)
        assert instance.scheduler.healthy.reason.startswith("state store unavailable")
        await asyncio.to_thread(server.start)
        await until(healthy)
        queue = instance.bus.subscribe(HOME.id)
        await TimerSkill(instance.scheduler).handle(timer(1, "after"), context("en"))
        assert (await asyncio.wait_for(queue.get(), 30)).label == "after"
        assert instance.scheduler.restarts == 0
    finally:
        await instance.stop()
        server.cleanup()
