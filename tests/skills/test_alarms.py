"""What the alarm and reminder skill says and keeps, in Mandarin and English (no time passes here)."""

from datetime import datetime, timedelta, timezone

import pytest

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.utilities.alarms import AlarmSkill
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from tests.skills.standins import context

HOME = load_demo_home()
CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=CST)  # Tuesday 20:00



@pytest.fixture
def scheduler():
    return Scheduler(NotificationBus(), now=lambda: NOW)


@pytest.fixture
def skill(scheduler):
    return AlarmSkill(scheduler)


async def ask(skill, lang, name, **slots):
    ctx = context(lang, "bedroom_speaker")
    return await skill.handle(Intent(name, slots, 0.99, IntentSource.RULES), ctx)


@pytest.mark.parametrize(
    "lang, slots, speech",
    [
        ("zh", {"datetime": "2026-12-02T07:00:00+08:00"}, "好的，明天早上7点的闹钟定好了"),
        ("en", {"datetime": "2026-12-02T07:00:00+08:00"}, "OK. Alarm set for 7:00 AM tomorrow."),
        ("zh", {"datetime": "2026-12-01T22:30:00+08:00"}, "好的，今天晚上10点30分的闹钟定好了"),
        ("en", {"datetime": "2026-12-01T22:30:00+08:00"}, "OK. Alarm set for 10:30 PM today."),
        ("zh", {"datetime": "2026-12-03T14:00:00+08:00"}, "好的，后天下午2点的闹钟定好了"),
        ("zh", {"datetime": "2026-12-05T00:00:00+08:00"}, "好的，12月5日星期六凌晨0点的闹钟定好了"),
        ("en", {"datetime": "2026-12-05T12:15:00+08:00"}, "OK. Alarm set for 12:15 PM on Saturday, December 5."),
        ("zh", {"datetime": "2026-12-02T06:30:00+08:00", "repeat": "weekdays"}, "好的，工作日早上6点30分的闹钟定好了"),
        ("en", {"datetime": "2026-12-02T06:30:00+08:00", "repeat": "weekdays"}, "OK. Alarm set for 6:30 AM on weekdays."),
        ("zh", {"datetime": "2026-12-02T07:00:00+08:00", "label": "起床"}, "好的，明天早上7点的起床闹钟定好了"),
        ("en", {"datetime": "2026-12-02T07:00:00+08:00", "label": "gym"}, "OK. Gym alarm set for 7:00 AM tomorrow."),
        ("en", {"datetime": "2026-12-01T23:00:00Z"}, "OK. Alarm set for 7:00 AM tomorrow."),  # said in the request's offset
        ("zh", {"datetime": "2026-12-02T07:00:00"}, "好的，明天早上7点的闹钟定好了"),  # no offset: the request's
    ],
)
async def test_setting_an_alarm(skill, lang, slots, speech):
    result = await ask(skill, lang, "alarm.set", **slots)
    assert result.speech == speech
    [action] = result.actions
    assert (action.device, action.command, action.status) == ("bedroom_speaker", "alarm.set", "done")


@pytest.mark.parametrize("value", [None, "", "tomorrow", "2026-13-40T07:00:00+08:00", 7, "2026-12-02"])
async def test_a_missing_or_malformed_time_is_asked_for(skill, value):
    result = await ask(skill, "zh", "alarm.set", datetime=value)
    assert result.speech == "闹钟要定在几点？" and result.awaiting == "clarification"


async def test_a_past_time_is_refused_but_a_repeating_one_starts_at_its_next_occurrence(skill, scheduler):
    past = await ask(skill, "en", "alarm.set", datetime="2026-12-01T07:00:00+08:00")
    assert past.speech.startswith("That time has already passed") and not past.actions
    # 07:00 today has passed and Saturday is not a weekday: the first ring is Wednesday 07:00.
    await ask(skill, "zh", "alarm.set", datetime="2026-12-01T07:00:00+08:00", repeat="weekdays")
    [entry] = (await scheduler.entries(HOME.id, "alarm"))
    assert entry.at == datetime(2026, 12, 2, 7, tzinfo=CST)
    await ask(skill, "zh", "alarm.set", datetime="2026-12-02T09:00:00+08:00", repeat="weekends")
    assert (await scheduler.entries(HOME.id, "alarm"))[1].at == datetime(2026, 12, 5, 9, tzinfo=CST)


async def test_the_same_alarm_twice_is_not_kept_twice(skill, scheduler):
    await ask(skill, "zh", "alarm.set", datetime="2026-12-02T07:00:00+08:00")
    again = await ask(skill, "zh", "alarm.set", datetime="2026-12-02T07:00:00+08:00")
    assert again.speech == "明天早上7点已经有一个闹钟了" and len(await scheduler.entries(HOME.id, "alarm")) == 1


async def test_query_lists_alarms_and_reminders(skill):
    assert (await ask(skill, "zh", "alarm.query")).speech == "你还没有定闹钟"
    assert (await ask(skill, "en", "alarm.query")).speech == "You have no alarms set"
    await ask(skill, "zh", "alarm.set", datetime="2026-12-02T06:30:00+08:00", repeat="weekdays")
    await ask(skill, "zh", "alarm.set", datetime="2026-12-02T07:00:00+08:00")
    assert (await ask(skill, "zh", "alarm.query")).speech == "你有2个闹钟：工作日早上6点30分；明天早上7点"
    assert (await ask(skill, "en", "alarm.query")).speech == "You have 2 alarms: 6:30 AM on weekdays; and 7:00 AM tomorrow."
    await ask(skill, "zh", "reminder.set", datetime="2026-12-02T15:00:00+08:00", content="开会")
    assert (await ask(skill, "zh", "alarm.query")).speech.endswith("。还有1个提醒：明天下午3点，开会")
    assert (await ask(skill, "en", "alarm.query")).speech.endswith(" You also have 1 reminder: 3:00 PM tomorrow, 开会.")


@pytest.mark.parametrize(
    "lang, slots, speech",
    [
        ("zh", {"datetime": "2026-12-02T15:00:00+08:00", "content": "开会"}, "好的，明天下午3点提醒你开会"),
        ("en", {"datetime": "2026-12-01T21:00:00+08:00", "content": "call mom"}, "OK. I'll remind you at 9:00 PM today: call mom."),
    ],
)
async def test_setting_a_reminder(skill, scheduler, lang, slots, speech):
    result = await ask(skill, lang, "reminder.set", **slots)
    assert result.speech == speech and result.actions[0].command == "reminder.set"
    [entry] = (await scheduler.entries(HOME.id, "reminder"))
    assert entry.speech == ("提醒你：开会" if lang == "zh" else "Reminder: call mom")


@pytest.mark.parametrize(
    "slots, speech",
    [
        ({"content": "开会"}, "什么时候提醒你开会？"),
        ({"datetime": "2026-12-02T15:00:00+08:00"}, "要提醒你什么事？"),
        ({"datetime": "2026-12-01T15:00:00+08:00", "content": "开会"}, "这个时间已经过去了，要在什么时候提醒你？"),
    ],
)
async def test_a_reminder_without_what_or_when_is_asked_for(skill, slots, speech):
    result = await ask(skill, "zh", "reminder.set", **slots)
    assert result.speech == speech and result.awaiting == "clarification"


async def test_cancel_by_time_by_day_and_the_next_one(skill, scheduler):
    assert (await ask(skill, "zh", "alarm.cancel")).speech == "你还没有定闹钟"
    await ask(skill, "zh", "alarm.set", datetime="2026-12-02T07:00:00+08:00")
    await ask(skill, "zh", "alarm.set", datetime="2026-12-02T08:00:00+08:00")
    await ask(skill, "zh", "alarm.set", datetime="2026-12-03T07:00:00+08:00")
    await ask(skill, "zh", "alarm.set", datetime="2026-12-02T06:30:00+08:00", repeat="daily")
    exact = await ask(skill, "en", "alarm.cancel", datetime="2026-12-02T08:00:00+08:00")
    assert exact.speech == "OK. The alarm for 8:00 AM tomorrow is cancelled."
    missing = await ask(skill, "zh", "alarm.cancel", datetime="2026-12-02T09:00:00+08:00")
    assert missing.speech == "没有找到这个时间的闹钟"
    day = await ask(skill, "zh", "alarm.cancel", datetime="2026-12-02")
    assert day.speech == "好的，明天早上7点的闹钟已取消，每天早上6点30分的闹钟这次不响了，以后照常"
    assert [a.command for a in day.actions] == ["alarm.cancel", "alarm.skip"]
    remaining = (await scheduler.entries(HOME.id, "alarm"))
    assert [e.at.day for e in remaining] == [3, 3] and remaining[0].repeat == "daily"
    nxt = await ask(skill, "zh", "alarm.cancel")
    assert nxt.speech == "好的，每天早上6点30分的闹钟已取消"
    garbled = await ask(skill, "zh", "alarm.cancel", datetime="someday")
    assert garbled.awaiting == "clarification"


async def test_alarm_cancel_at_a_reminders_time_cancels_the_reminder(skill, scheduler):
    await ask(skill, "zh", "reminder.set", datetime="2026-12-02T15:00:00+08:00", content="开会")
    result = await ask(skill, "zh", "alarm.cancel", datetime="2026-12-02T15:00:00+08:00")
    assert result.speech == "好的，明天下午3点的提醒（开会）已取消"
    assert (await scheduler.entries(HOME.id, "reminder")) == []
