"""The scheduler fires timers, alarms and reminders on the bus, driven by a clock the test moves."""

import asyncio
import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.utilities.alarms import AlarmSkill
from skills.utilities.entries import next_occurrence
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler, SchedulerOptions
from skills.utilities.timers import TimerSkill
from tests.skills.standins import context

HOME = load_demo_home()
OTHER_HOME = dataclasses.replace(HOME, id="other")
CST = timezone(timedelta(hours=8))
START = datetime(2026, 12, 1, 20, 0, tzinfo=CST)  # a Tuesday evening



class FastClock:
    """A wall clock that moves only when the test advances it; ``sleep`` waits for that.

    ``advance`` returns once the scheduler has made a whole pass on the new time: a pass
    already under way when the clock moves may go back to sleep on the old time, so every
    sleeper is woken twice, each time until the loop is asleep again.
    """

    def __init__(self, start: datetime) -> None:
        self.wall = start
        self._sleepers: list[asyncio.Future] = []
        self._asleep = asyncio.Event()

    def now(self) -> datetime:
        return self.wall

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self._sleepers.append(future)
        self._asleep.set()
        try:
            await future
        finally:
            self._sleepers.remove(future)

    async def advance(self, seconds: float, settle: bool = True) -> None:
        self.wall += timedelta(seconds=seconds)
        for _ in range(2 if settle else 1):
            self._asleep.clear()
            for future in list(self._sleepers):
                if not future.done():
                    future.set_result(None)
            if settle:
                await asyncio.wait_for(self._asleep.wait(), 30)


@pytest.fixture
async def rig():
    clock = FastClock(START)
    bus = NotificationBus()
    scheduler = Scheduler(bus, options=SchedulerOptions(max_per_home=3), now=clock.now, sleep=clock.sleep)
    await scheduler.start()
    yield clock, bus, scheduler
    await scheduler.stop()


def ctx(clock, lang="zh", home=HOME, speaker="living_room_speaker"):
    return context(lang, speaker, clock.now(), home)


def intent(name, **slots):
    return Intent(name, slots, 0.99, IntentSource.RULES)


async def next_note(queue):
    return await asyncio.wait_for(queue.get(), 30)


async def test_a_90_second_timer_fires_once_on_its_home_and_speaker_then_is_gone(rig):
    clock, bus, scheduler = rig
    timers = TimerSkill(scheduler)
    queue = bus.subscribe(HOME.id)
    await timers.handle(intent("timer.set", duration=90, label="煮鸡蛋"), ctx(clock, speaker="bedroom_speaker"))
    await clock.advance(90)
    note = await next_note(queue)
    assert (note.home_id, note.speaker_id, note.kind, note.label) == ("demo", "bedroom_speaker", "timer", "煮鸡蛋")
    assert note.speech == "煮鸡蛋计时器时间到了" and note.at == START + timedelta(seconds=90)
    assert (await timers.handle(intent("timer.query"), ctx(clock))).speech == "现在没有计时器"
    await timers.handle(intent("timer.set", duration=5, label="probe"), ctx(clock))
    await clock.advance(3600)
    assert (await next_note(queue)).label == "probe"  # nothing else came in between
    assert queue.empty() and not await scheduler.entries(HOME.id, "timer")


async def test_timers_fire_in_order_and_not_before_they_are_due(rig):
    clock, bus, scheduler = rig
    timers = TimerSkill(scheduler)
    queue = bus.subscribe(HOME.id)
    await timers.handle(intent("timer.set", duration=90), ctx(clock, lang="en"))
    await timers.handle(intent("timer.set", duration=89, label="probe"), ctx(clock, lang="en"))
    await clock.advance(89)
    assert (await next_note(queue)).label == "probe"
    assert "1 second left" in (await timers.handle(intent("timer.query"), ctx(clock, lang="en"))).speech
    await clock.advance(1)
    note = await next_note(queue)
    assert note.speech == "Your 1 minute 30 second timer is done"


async def test_a_daily_alarm_rings_and_reschedules_itself(rig):
    clock, bus, scheduler = rig
    alarms = AlarmSkill(scheduler)
    queue = bus.subscribe(HOME.id)
    result = await alarms.handle(intent("alarm.set", datetime="2026-12-02T07:00:00+08:00", repeat="daily"), ctx(clock))
    assert result.speech == "好的，每天早上7点的闹钟定好了"
    await clock.advance(11 * 3600)
    note = await next_note(queue)
    assert (note.kind, note.speech, note.at) == ("alarm", "现在是早上7点整，闹钟响了", datetime(2026, 12, 2, 7, tzinfo=CST))
    [entry] = await scheduler.entries(HOME.id, "alarm")
    assert entry.at == datetime(2026, 12, 3, 7, tzinfo=CST)
    await clock.advance(24 * 3600)
    assert (await next_note(queue)).at == datetime(2026, 12, 3, 7, tzinfo=CST)


async def test_a_cancelled_alarm_never_rings(rig):
    clock, bus, scheduler = rig
    alarms = AlarmSkill(scheduler)
    queue = bus.subscribe(HOME.id)
    await alarms.handle(intent("alarm.set", datetime="2026-12-02T07:00:00+08:00"), ctx(clock))
    await alarms.handle(intent("reminder.set", datetime="2026-12-02T08:00:00+08:00", content="开会"), ctx(clock))
    cancelled = await alarms.handle(intent("alarm.cancel"), ctx(clock))
    assert cancelled.speech == "好的，明天早上7点的闹钟已取消"
    await clock.advance(12 * 3600)
    note = await next_note(queue)
    assert (note.kind, note.speech) == ("reminder", "提醒你：开会")


async def test_homes_are_isolated(rig):
    clock, bus, scheduler = rig
    timers = TimerSkill(scheduler)
    mine, theirs = bus.subscribe(HOME.id), bus.subscribe(OTHER_HOME.id)
    await timers.handle(intent("timer.set", duration=60, label="mine"), ctx(clock))
    await timers.handle(intent("timer.set", duration=120, label="theirs"), ctx(clock, home=OTHER_HOME))
    assert "mine" not in (await timers.handle(intent("timer.query"), ctx(clock, home=OTHER_HOME))).speech
    cancel = await timers.handle(intent("timer.cancel"), ctx(clock, home=OTHER_HOME))
    assert cancel.speech == "好的，theirs计时器已取消"
    await timers.handle(intent("timer.set", duration=180, label="theirs-later"), ctx(clock, home=OTHER_HOME))
    await clock.advance(180)
    assert (await next_note(mine)).label == "mine"
    assert (await next_note(theirs)).label == "theirs-later"
    assert mine.empty() and theirs.empty()


async def test_a_full_home_is_told_so_and_others_are_not_affected(rig):
    clock, _bus, scheduler = rig
    timers = TimerSkill(scheduler)
    for seconds in (60, 120, 180):
        await timers.handle(intent("timer.set", duration=seconds), ctx(clock))
    full = await timers.handle(intent("timer.set", duration=240), ctx(clock, lang="en"))
    assert full.speech == "You already have 3 timers; cancel some first" and not full.actions
    assert (await timers.handle(intent("timer.set", duration=240), ctx(clock, home=OTHER_HOME))).actions


async def test_stop_and_start_again_keeps_the_entries(rig):
    clock, bus, scheduler = rig
    timers = TimerSkill(scheduler)
    queue = bus.subscribe(HOME.id)
    await timers.handle(intent("timer.set", duration=60), ctx(clock))
    await scheduler.stop()
    await clock.advance(120, settle=False)
    assert queue.empty()
    await scheduler.start()
    assert (await next_note(queue)).kind == "timer"  # late, but not lost


@pytest.mark.parametrize(
    "repeat, after, expected",
    [
        ("daily", datetime(2026, 12, 1, 7, 0, tzinfo=CST), datetime(2026, 12, 2, 7, 0, tzinfo=CST)),
        ("weekdays", datetime(2026, 12, 4, 7, 0, tzinfo=CST), datetime(2026, 12, 7, 7, 0, tzinfo=CST)),  # Fri -> Mon
        ("weekends", datetime(2026, 12, 1, 7, 0, tzinfo=CST), datetime(2026, 12, 5, 7, 0, tzinfo=CST)),  # Tue -> Sat
        ("daily", datetime(2026, 12, 10, 6, 0, tzinfo=CST), datetime(2026, 12, 10, 7, 0, tzinfo=CST)),  # days missed
    ],
)
def test_next_occurrence(repeat, after, expected):
    assert next_occurrence(datetime(2026, 12, 1, 7, 0, tzinfo=CST), repeat, after) == expected
