"""The timer family (issue 17): status, pause, resume, add and take off time, cancel by name or
by what the timer was set for, in Mandarin and English."""

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from skills.utilities.timers import TimerSkill
from tests.skills.standins import context

HOME = load_demo_home()
START = datetime(2026, 12, 1, 20, 0, tzinfo=timezone(timedelta(hours=8)))


class Clock:
    def __init__(self):
        self.wall = START

    def now(self):
        return self.wall


@pytest.fixture
def rig():
    clock = Clock()
    scheduler = Scheduler(NotificationBus(), now=clock.now)
    return clock, scheduler, TimerSkill(scheduler)


async def say(skill, intent_name, lang="zh", **slots):
    return await skill.handle(Intent(intent_name, slots, 0.99, IntentSource.RULES), context(lang))


async def test_pause_holds_the_time_left_and_resume_counts_on_from_it(rig):
    clock, scheduler, skill = rig
    await say(skill, "timer.set", duration=600)
    clock.wall += timedelta(seconds=30)
    paused = await say(skill, "timer.pause")
    assert paused.speech == "好的，10分钟的计时器已暂停，还剩9分30秒" and paused.actions[0].command == "timer.pause"
    clock.wall += timedelta(hours=2)  # paused time does not count
    assert (await say(skill, "timer.status")).speech == "10分钟的计时器已暂停（还剩9分30秒）"
    assert (await say(skill, "timer.pause", "en")).speech == "The 10 minute timer is already paused"
    assert await scheduler.store.next_due(("timer",)) is None  # nothing can ring while it is paused
    resumed = await say(skill, "timer.resume", "en")
    assert resumed.speech == "OK. The 10 minute timer is running again with 9 minutes 30 seconds left."
    [timer] = await scheduler.entries(HOME.id, "timer")
    assert timer.at == clock.wall + timedelta(seconds=570)
    assert (await say(skill, "timer.resume")).speech == "10分钟的计时器没有暂停，还在计时"


async def test_add_and_take_off_time(rig):
    _clock, _scheduler, skill = rig
    await say(skill, "timer.set", duration=300, label="面条")
    added = await say(skill, "timer.add_time", duration=300)
    assert added.speech == "好的，面条计时器加了5分钟，还剩10分钟"
    taken = await say(skill, "timer.add_time", "en", duration=-120)
    assert taken.speech == "OK. Took 2 minutes off the 面条 timer, 8 minutes left."
    assert (await say(skill, "timer.query")).speech == "面条计时器还剩8分钟"
    too_much = await say(skill, "timer.add_time", duration=-3600)
    assert too_much.speech == "面条计时器只剩8分钟了，减不了1小时" and not too_much.actions
    await say(skill, "timer.pause")
    assert (await say(skill, "timer.add_time", duration=60)).speech == "好的，面条计时器加了1分钟，还剩9分钟"
    assert (await say(skill, "timer.add_time")).awaiting == "clarification"


async def test_cancel_pause_and_status_by_what_the_timer_was_set_for(rig):
    _clock, _scheduler, skill = rig
    await say(skill, "timer.set", duration=300)
    await say(skill, "timer.set", duration=600)
    await say(skill, "timer.set", duration=60, label="tea")
    assert (await say(skill, "timer.status", "en", duration=600)).speech == "The 10 minute timer has 10 minutes left"
    which = await say(skill, "timer.pause", "en")
    assert which.speech == "You have 3 timers. Which one should I pause, or all of them?" and which.awaiting == "clarification"
    assert (await say(skill, "timer.pause", "en", duration=300)).speech == "OK. The 5 minute timer is paused with 5 minutes left."
    cancelled = await say(skill, "timer.cancel", "en", duration=300)  # "cancel the 5 minute timer"
    assert cancelled.speech == "OK. The 5 minute timer is cancelled."
    assert (await say(skill, "timer.cancel", "en", duration=300)).speech == "I couldn't find a 5 minute timer"
    assert (await say(skill, "timer.cancel", duration=120)).speech == "没有找到2分钟的计时器"
    assert (await say(skill, "timer.cancel", "en", name="tea")).speech == "OK. The tea timer is cancelled."
    assert (await say(skill, "timer.query")).speech == "10分钟的计时器还剩10分钟"


async def test_adding_time_to_one_of_several_asks_which(rig):
    _clock, _scheduler, skill = rig
    await say(skill, "timer.set", duration=300)
    await say(skill, "timer.set", duration=600)
    which = await say(skill, "timer.add_time", duration=60)
    assert which.speech == "现在有2个计时器，要调整哪一个？还是全部调整？" and which.awaiting == "clarification"


async def test_pause_all_then_resume_all(rig):
    _clock, _scheduler, skill = rig
    await say(skill, "timer.set", duration=300)
    await say(skill, "timer.set", duration=600)
    paused = await say(skill, "timer.pause", scope="all")
    assert len(paused.actions) == 2 and (await say(skill, "timer.pause", "en")).speech == "Your timers are all paused already"
    resumed = await say(skill, "timer.resume", scope="all")
    assert [a.command for a in resumed.actions] == ["timer.resume", "timer.resume"]


@pytest.mark.parametrize("name", ["timer.pause", "timer.resume", "timer.add_time", "timer.status"])
async def test_with_no_timer_it_says_so(rig, name):
    _clock, _scheduler, skill = rig
    assert (await say(skill, name, "en", **({"duration": 60} if name == "timer.add_time" else {}))).speech == "You have no timers running"
    assert (await say(skill, name, "zh", label="tea")).speech == "没有找到tea计时器"


async def test_a_paused_timer_rings_only_after_it_is_resumed():
    bus = NotificationBus()
    scheduler = Scheduler(bus)
    skill = TimerSkill(scheduler)
    queue = bus.subscribe(HOME.id)
    await scheduler.start()
    try:
        await say(skill, "timer.set", "en", duration=1, label="paused")
        await say(skill, "timer.pause", "en")
        await say(skill, "timer.set", "en", duration=1, label="probe")
        assert (await asyncio.wait_for(queue.get(), 30)).label == "probe"  # the paused one did not ring before it
        await say(skill, "timer.resume", "en", label="paused")
        assert (await asyncio.wait_for(queue.get(), 30)).label == "paused"
    finally:
        await scheduler.stop()
