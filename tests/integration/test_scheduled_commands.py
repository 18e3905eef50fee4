"""Scheduled device commands on a whole instance: real mosquitto, the virtual demo home, the runtime's
pipeline, state in SQLite. The scheduler's clock is the test's (tests/skills/test_scheduler.py's
FastClock, the seam the timer and alarm tests use), so "一分钟后" passes when the test says so;
device state is read back over MQTT."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from assistant.app.config import Config
from assistant.app.runtime import Runtime
from assistant.pipeline.messages import Answer, Request
from domain.home import load_demo_home
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from skills.utilities.clock import when_text
from skills.utilities.notifications import Notification, NotificationQueue
from skills.utilities.scheduler import Scheduler
from tests.integration.conftest import instance_config
from tests.skills.test_scheduler import FastClock

pytestmark = pytest.mark.integration

HOME = "demo"
Ask = Callable[[str], Awaitable[Answer]]


async def start(config: Config, clock: FastClock) -> Runtime:
    runtime = Runtime(config)
    runtime.scheduler = Scheduler(runtime.notifications, runtime.state, now=clock.now, sleep=clock.sleep)
    return await runtime.start()


def asker(runtime: Runtime, clock: FastClock) -> Ask:
    session = uuid.uuid4().hex

    async def ask(text: str) -> Answer:
        assert runtime.pipeline is not None
        request = Request(text, "living_room_speaker", uuid.uuid4().hex, session, now=clock.now())
        return await runtime.pipeline.run(request)

    return ask


async def device(runtime: Runtime, device_id: str) -> dict:
    assert runtime.mqtt is not None
    return (await read_states(runtime.mqtt, runtime.homes[0], 3.0))[device_id]


async def heard(queue: NotificationQueue) -> Notification:
    return await asyncio.wait_for(queue.get(), 30)


@pytest.fixture
def config(module_broker: Mosquitto, tmp_path) -> Config:
    return replace(instance_config(module_broker), data_dir=str(tmp_path))


@pytest.fixture
def clock() -> FastClock:
    return FastClock(datetime.now(load_demo_home().zone).replace(microsecond=0))  # the clock a speaker in the home sends


@pytest.fixture
async def runtime(config: Config, clock: FastClock) -> AsyncIterator[Runtime]:
    instance = await start(config, clock)
    try:
        await instance.reset_home(HOME)
        yield instance
    finally:
        await instance.stop()


async def test_in_a_minute_the_light_goes_off_and_the_home_hears_it(runtime, clock):
    ask = asker(runtime, clock)
    queue = runtime.notifications.subscribe(HOME)
    await ask("打开客厅主灯")
    answer = await ask("一分钟后关掉客厅主灯")
    due = clock.now() + timedelta(seconds=60)
    assert answer.speech == f"好的，已定时：{when_text(due, clock.now().date(), 'zh')}关掉客厅主灯"
    assert (await device(runtime, "living_room_main_light"))["power"] is True
    listed = await ask("有哪些定时任务")
    assert listed.intents[0].name == "schedule.query" and "你有1个定时任务" in listed.speech
    await clock.advance(30)
    assert (await device(runtime, "living_room_main_light"))["power"] is True and queue.empty()
    await clock.advance(31)
    note = await heard(queue)
    assert (note.kind, note.speech) == ("scheduled", "已按计划关掉客厅主灯")
    assert (await device(runtime, "living_room_main_light"))["power"] is False
    assert (await ask("有哪些定时任务")).speech == "现在没有定时任务"


async def test_a_cancelled_task_never_runs_and_the_other_one_does(runtime, clock):
    ask = asker(runtime, clock)
    queue = runtime.notifications.subscribe(HOME)
    await ask("turn on the tv in 1 minute")
    await ask("turn on the light strip in 2 minutes")
    listed = await ask("what's scheduled")
    assert "2 scheduled tasks" in listed.speech and "turn on the tv" in listed.speech
    cancelled = await ask("cancel the scheduled tv on")
    assert cancelled.intents[0].name == "schedule.cancel" and cancelled.speech.startswith("OK. Cancelled: turn on the tv")
    await clock.advance(61)
    await clock.advance(60)
    note = await heard(queue)
    assert note.speech == "Done as scheduled: turn on the light strip" and queue.empty()
    states = await read_states(runtime.mqtt, runtime.homes[0], 3.0)
    assert states["living_room_strip"]["power"] is True and states["living_room_tv"]["power"] is False


async def test_a_scheduled_unlock_is_refused_and_the_door_stays_locked(runtime, clock):
    ask = asker(runtime, clock)
    answer = await ask("晚上十一点打开门锁")
    assert "不能定时" in answer.speech and answer.actions[0].status == "rejected"
    assert (await ask("有哪些定时任务")).speech == "现在没有定时任务"
    assert (await device(runtime, "front_door_lock"))["lock"] == "locked"


async def test_at_fire_time_the_gate_holds_a_risky_change_and_a_missing_device_is_said(runtime, clock):
    """What was kept is checked again against the home when it runs: a stored unlock (however it got there)
    is held by the safety gate, and a device that is gone is said to be gone."""
    queue = runtime.notifications.subscribe(HOME)
    at = clock.now() + timedelta(seconds=10)
    for devices, slots, content in ((["front_door_lock"], {"attribute": "lock", "value": "unlocked"}, "打开门锁"),
                                    (["garage_door"], {}, "关掉车库门")):
        command = {"intent": "device.set" if slots else "device.turn_off", "slots": {**slots, "devices": devices}}
        await runtime.scheduler.add(HOME, "living_room_speaker", "scheduled", at, "", content=content, command=command)
    await clock.advance(11)
    said = sorted([(await heard(queue)).speech, (await heard(queue)).speech])
    assert said == ["定时任务（关掉车库门）没有完成：找不到这个设备了", "定时任务（打开门锁）没有完成：这需要当场确认，所以没有执行"]
    assert (await device(runtime, "front_door_lock"))["lock"] == "locked"


async def test_a_scheduled_task_survives_a_restart_on_sqlite(config, clock):
    await survives_a_restart(config, clock)


async def survives_a_restart(config, clock) -> None:
    """Set "in two minutes" on one runtime, stop it for a minute, start another on the same store: the task is
    listed, has not run early, and runs when due. The Redis tests run the same check on their store."""
    first = await start(config, clock)
    try:
        await first.reset_home(HOME)
        answer = await asker(first, clock)("两分钟后打开客厅主灯")
        assert answer.speech.startswith("好的，已定时：")
    finally:
        await first.stop()
    await clock.advance(60, settle=False)  # down for a minute
    second = await start(config, clock)
    try:
        queue = second.notifications.subscribe(HOME)
        assert "你有1个定时任务" in (await asker(second, clock)("有哪些定时任务")).speech
        assert (await device(second, "living_room_main_light"))["power"] is False
        await clock.advance(61)
        assert (await heard(queue)).speech == "已按计划打开客厅主灯"
        assert (await device(second, "living_room_main_light"))["power"] is True
    finally:
        await second.stop()
