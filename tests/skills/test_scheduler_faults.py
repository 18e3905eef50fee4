"""Nothing an entry holds stops the scheduler: one bad request, one bad record or one crash of
the loop must not silence every other timer (issue 12)."""

import asyncio
from datetime import datetime, timedelta

import pytest

from assistant.pipeline.understanding import HomeUnderstanding
from domain.errors import ScheduleError
from domain.home import load_demo_home
from intents.types import Intent, IntentSource, UnderstandingContext
from skills.state import Record, StateOptions, open_store
from skills.utilities.alarms import AlarmSkill
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler, SchedulerOptions
from skills.utilities.timers import TimerSkill
from tests.skills.standins import CST, context

HOME = load_demo_home()
#: A client_time without its UTC offset (the real time: the scheduler here runs on the real clock).
NAIVE_NOW = datetime.now(HOME.zone).replace(tzinfo=None, microsecond=0)


async def next_note(queue):
    return await asyncio.wait_for(queue.get(), 30)


async def until(condition, timeout=30.0):
    """Poll ``condition`` until it holds; what is asserted is the outcome, not how fast it came."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition never held"
        await asyncio.sleep(0.02)


@pytest.fixture
async def live():
    """A scheduler on the real clock (the timers here are seconds long)."""
    bus = NotificationBus()
    scheduler = Scheduler(bus, options=SchedulerOptions(restart_delay_s=0.05))
    await scheduler.start()
    yield bus, scheduler
    await scheduler.stop()


async def understood(text, now):
    understanding = HomeUnderstanding().understand(text, HOME, (), UnderstandingContext(now=now))
    [intent] = understanding.intents
    return intent


async def test_an_alarm_set_on_a_naive_clock_does_not_stop_a_later_timer(live):
    bus, scheduler = live
    queue = bus.subscribe(HOME.id)
    alarm = await understood("明天早上七点叫我起床", NAIVE_NOW)
    answer = await AlarmSkill(scheduler).handle(alarm, context("zh", now=NAIVE_NOW))
    assert answer.speech == "好的，明天早上7点的闹钟定好了"
    [entry] = await scheduler.entries(HOME.id, "alarm")
    tomorrow = NAIVE_NOW.date() + timedelta(days=1)
    assert entry.at == datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, tzinfo=HOME.zone)  # read in the home's zone
    timer = await understood("设一个两秒钟的计时器", NAIVE_NOW)
    await TimerSkill(scheduler).handle(timer, context("zh", now=NAIVE_NOW))
    note = await next_note(queue)
    assert (note.kind, note.speech) == ("timer", "2秒的计时器时间到了")
    assert scheduler.healthy and scheduler.restarts == 0
    answer = await AlarmSkill(scheduler).handle(Intent("alarm.query", {}, 0.99, IntentSource.RULES), context("zh", now=NAIVE_NOW))
    assert answer.speech == "你有1个闹钟：明天早上7点"


@pytest.mark.parametrize("at", [datetime(2026, 12, 2, 7), datetime(9999, 12, 2, 7, tzinfo=CST), datetime(2001, 1, 1, tzinfo=CST)])
async def test_the_scheduler_refuses_what_it_could_not_fire(live, at):
    _bus, scheduler = live
    with pytest.raises(ScheduleError):
        await scheduler.add(HOME.id, "living_room_speaker", "alarm", at, "起床")
    assert await scheduler.entries(HOME.id, "alarm") == [] and scheduler.healthy


async def test_a_client_clock_in_year_9999_is_answered_not_raised(live):
    bus, scheduler = live
    queue = bus.subscribe(HOME.id)
    far = datetime(9999, 12, 31, 20, 0, tzinfo=CST)
    alarm = await AlarmSkill(scheduler).handle(
        Intent("alarm.set", {"datetime": "9999-12-31T23:00:00+08:00", "repeat": "daily"}, 0.99, IntentSource.RULES), context("zh", now=far)
    )
    assert alarm.speech == "这个时间定不了，只能定在一年以内" and not alarm.actions
    timer = await TimerSkill(scheduler).handle(Intent("timer.set", {"duration": 1}, 0.99, IntentSource.RULES), context("zh", now=far))
    assert timer.speech == "好的，1秒的计时器开始了"
    assert (await next_note(queue)).speech == "1秒的计时器时间到了"


async def test_a_record_that_cannot_be_read_is_dropped_and_the_others_fire(live):
    bus, scheduler = live
    queue = bus.subscribe(HOME.id)
    due = datetime.now(CST).timestamp()
    bad = {"speaker_id": "living_room_speaker", "at": "2026-12-02T07:00:00", "speech": "x"}  # naive, as an old version wrote
    await scheduler.store.put(Record(HOME.id, "alarm", "naive", bad, due))
    await scheduler.store.put(Record(HOME.id, "reminder", "garbage", {"at": 42}, due))
    await TimerSkill(scheduler).handle(Intent("timer.set", {"duration": 1, "label": "probe"}, 0.99, IntentSource.RULES), context("zh"))
    assert (await next_note(queue)).label == "probe"
    assert await scheduler.store.list(HOME.id, "alarm") == [] and await scheduler.store.list(HOME.id, "reminder") == []
    assert scheduler.healthy


class FakeCrashingStore:
    """The real in-memory store, but ``next_due`` raises once: a bug outside any entry's firing."""

    def __init__(self):
        self._real = open_store(StateOptions())
        self.crashes = 1

    def __getattr__(self, name):
        return getattr(self._real, name)

    async def next_due(self, kinds):
        if self.crashes:
            self.crashes -= 1
            raise TypeError("can't compare offset-naive and offset-aware datetimes")
        return await self._real.next_due(kinds)


async def test_a_dead_loop_is_restarted_and_says_so(caplog):
    bus = NotificationBus(FakeCrashingStore())
    scheduler = Scheduler(bus, options=SchedulerOptions(restart_delay_s=0.05))
    queue = bus.subscribe(HOME.id)
    await scheduler.start()
    try:
        await until(lambda: scheduler.restarts == 1)
        await TimerSkill(scheduler).handle(Intent("timer.set", {"duration": 1}, 0.99, IntentSource.RULES), context("en"))
        assert (await next_note(queue)).speech == "Your 1 second timer is done"
        await until(lambda: bool(scheduler.healthy))
    finally:
        await scheduler.stop()
    assert "scheduler loop died; restarting it" in caplog.text


async def test_health_says_why_before_start_and_after_stop():
    scheduler = Scheduler(NotificationBus())
    assert not scheduler.healthy and scheduler.healthy.reason == "not started"
    await scheduler.start()
    await until(lambda: bool(scheduler.healthy))
    await scheduler.stop()
    assert not scheduler.healthy


async def test_a_naive_entry_is_refused_even_when_a_skill_lets_it_through():
    scheduler = Scheduler(NotificationBus())
    with pytest.raises(ScheduleError, match="no UTC offset"):
        await scheduler.add(HOME.id, "living_room_speaker", "timer", NAIVE_NOW + timedelta(seconds=5), "x", duration=5)
