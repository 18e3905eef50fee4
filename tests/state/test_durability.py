"""A restart loses nothing: timers, alarms, reminders, volumes and unheard notifications
are in the store, and a new process (a new store, bus and scheduler on the same data
folder or Redis) lists them, and rings them, once."""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.state import StateOptions, open_store
from skills.utilities.alarms import AlarmSkill
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler, SchedulerOptions
from skills.utilities.timers import TimerSkill
from skills.utilities.volume import VolumeSkill
from tests.skills.standins import context
from tests.skills.test_scheduler import FastClock

HOME = load_demo_home()
CST = timezone(timedelta(hours=8))


def intent(name, **slots):
    return Intent(name, slots, 0.99, IntentSource.RULES)


@dataclass
class Process:
    """What one Lingxi process holds of the utilities."""

    bus: NotificationBus
    scheduler: Scheduler

    @classmethod
    async def start(cls, options: StateOptions, clock=None, **scheduler_options) -> "Process":
        store = open_store(options)
        bus = NotificationBus(store)
        clocks = {"now": clock.now, "sleep": clock.sleep} if clock else {}
        scheduler = Scheduler(bus, store, SchedulerOptions(**scheduler_options), **clocks)
        await scheduler.start()
        return cls(bus, scheduler)

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.scheduler.store.close()


async def next_note(queue, timeout=30):
    return await asyncio.wait_for(queue.get(), timeout)


async def test_a_one_hour_timer_set_before_a_restart_is_listed_and_rings_after_it(durable):
    clock = FastClock(datetime.now(CST).replace(microsecond=0))
    first = await Process.start(durable, clock)
    await TimerSkill(first.scheduler).handle(intent("timer.set", duration=3600, label="炖汤"), context("zh", now=clock.now()))
    await first.stop()
    await clock.advance(60, settle=False)  # the service is down for a minute
    second = await Process.start(durable, clock)
    try:
        queue = second.bus.subscribe(HOME.id)
        listed = await TimerSkill(second.scheduler).handle(intent("timer.query"), context("zh", now=clock.now()))
        assert listed.speech == "炖汤计时器还剩59分钟"
        await clock.advance(3540)
        note = await next_note(queue)
        assert (note.label, note.speech) == ("炖汤", "炖汤计时器时间到了")
        await clock.advance(3600)
        assert await second.scheduler.entries(HOME.id, "timer") == [] and queue.empty()
    finally:
        await second.stop()


async def test_alarms_reminders_and_volume_survive_a_restart(durable):
    now = datetime.now(CST).replace(microsecond=0)
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    first = await Process.start(durable)
    ctx = context("zh", now=now)
    await AlarmSkill(first.scheduler).handle(intent("alarm.set", datetime=f"{tomorrow}T07:00:00+08:00", repeat="weekdays"), ctx)
    await AlarmSkill(first.scheduler).handle(intent("reminder.set", datetime=f"{tomorrow}T09:00:00+08:00", content="交水费"), ctx)
    await VolumeSkill(first.scheduler.store).handle(intent("media.volume", value=65), ctx)
    await first.stop()
    second = await Process.start(durable)
    try:
        listed = await AlarmSkill(second.scheduler).handle(intent("alarm.query"), ctx)
        assert "工作日早上7点" in listed.speech and "交水费" in listed.speech
        louder = await VolumeSkill(second.scheduler.store).handle(intent("media.volume", direction="up"), ctx)
        assert louder.actions[0].params == {"volume": 75}
    finally:
        await second.stop()


async def test_a_timer_due_during_the_outage_rings_once_when_the_service_is_back(durable):
    first = await Process.start(durable)
    await TimerSkill(first.scheduler).handle(intent("timer.set", duration=1), context("en"))
    await first.stop()
    await asyncio.sleep(1.5)  # it falls due while no process runs
    second = await Process.start(durable)
    try:
        queue = second.bus.subscribe(HOME.id)
        assert (await next_note(queue)).speech == "Your 1 second timer is done"
        assert await second.scheduler.entries(HOME.id, "timer") == []
    finally:
        await second.stop()


async def test_a_notification_nobody_heard_waits_in_the_store_for_the_next_listener(durable):
    first = await Process.start(durable)
    await TimerSkill(first.scheduler).handle(intent("timer.set", duration=1, label="eggs"), context("en"))
    for _ in range(600):  # no listener: it is parked, not dropped
        if await first.scheduler.store.list(HOME.id, "notification"):
            break
        await asyncio.sleep(0.05)
    await first.stop()
    second = await Process.start(durable)
    try:
        queue = second.bus.subscribe(HOME.id)  # the speaker reconnects to a restarted service
        assert (await next_note(queue)).speech == "Your eggs timer is done"
        assert await second.scheduler.store.list(HOME.id, "notification") == []
    finally:
        await second.stop()
