"""Scheduled device commands as the understanding reads them: a device command with a time keeps the
time in ``when``; a cancel or a change with a time, or "定时任务", is a schedule.* intent; reminders,
timers and alarms stay what they were."""

from datetime import datetime, timedelta, timezone

import pytest

from domain.devices import DeviceInfo
from domain.home import load_demo_home
from intents import HomeVocabulary, RuleUnderstander
from intents.slots.schedule import schedule_slots
from intents.slots.time import resolve_when
from intents.types import UnderstandingContext
from intents.utility_rules import read_utility

HOME = load_demo_home()
VOCAB = HomeVocabulary.build(HOME, [DeviceInfo.from_home(d) for d in HOME.devices.values()])
CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=CST)


@pytest.mark.parametrize("text,lang,intent", [
    ("有哪些定时任务", "zh", "schedule.query"),
    ("定时任务", "zh", "schedule.query"),
    ("what's scheduled", "en", "schedule.query"),
    ("取消十分钟后关电视的任务", "zh", "schedule.cancel"),
    ("取消所有定时任务", "zh", "schedule.cancel"),
    ("cancel the 11 pm lights off", "en", "schedule.cancel"),
    ("改成十一点半", "zh", "schedule.change"),
    ("move it to 11:30 pm", "en", "schedule.change"),
    ("十分钟后提醒我关火", "zh", "reminder.set"),
    ("设一个十分钟的计时器", "zh", "timer.set"),
    ("cancel the 5 minute timer", "en", "timer.cancel"),
    ("取消明天的闹钟", "zh", None),
    ("空调改成二十六度", "zh", None),
    ("取消静音", "zh", None),
    ("空调有没有定时功能", "zh", None),
    ("怎么取消热水器的定时", "zh", None),
    ("how do I cancel the schedule on the water heater", "en", None),
    ("change the temperature to 24", "en", None),
])
def test_which_schedule_intent_the_words_name(text, lang, intent):
    assert read_utility(text, lang) == intent


@pytest.mark.parametrize("text,lang,when", [
    ("十分钟后关掉电视", "zh", "十分钟后"),
    ("每天早上七点打开窗帘", "zh", "每天 早上七点"),
    ("open the curtains every day at 7 am", "en", "every day at 7 am"),
    ("turn off the lights at 11 pm", "en", "at 11 pm"),
])
def test_a_device_command_said_with_a_time_keeps_the_time_and_every_day_is_not_all(text, lang, when):
    intent = RuleUnderstander().understand(text, UnderstandingContext(lang=lang, speaker_room="living_room"), VOCAB).intents[0]
    assert intent.name.startswith("device.") and intent.slots["when"] == when and "scope" not in intent.slots


def test_when_a_scheduled_command_runs():
    assert resolve_when("十分钟后", "十分钟后关掉电视", "zh", NOW).delay_s == 600
    assert resolve_when("in 10 minutes", "turn off the tv in 10 minutes", "en", NOW).delay_s == 600
    daily = resolve_when("每天 早上七点", "每天早上七点打开窗帘", "zh", NOW)
    assert (daily.at, daily.repeat) == (datetime(2026, 12, 2, 7, 0, tzinfo=CST), "daily")
    # the clock comes from the time words, not from a value of the command ("to 8")
    assert resolve_when("at 7 pm", "set the light to 8 at 7 pm", "en", NOW).at == datetime(2026, 12, 2, 19, 0, tzinfo=CST)
    assert resolve_when("at 11 pm", "turn off the lights at 11 pm tomorrow", "en", NOW).at == datetime(2026, 12, 2, 23, 0, tzinfo=CST)


def test_which_task_a_cancel_or_a_change_names():
    assert schedule_slots("取消晚上十一点关灯的定时", "zh", "schedule.cancel", NOW, VOCAB) == {
        "at": "2026-12-01T23:00:00+08:00", "device_type": "light", "action": "device.turn_off"}
    assert schedule_slots("取消十分钟后关电视的任务", "zh", "schedule.cancel", NOW, VOCAB) == {
        "device": "living_room_tv", "action": "device.turn_off"}  # "十分钟后" was counted from when it was set
    assert schedule_slots("change the lights off to 11:30 pm", "en", "schedule.change", NOW, VOCAB) == {
        "datetime": "2026-12-01T23:30:00+08:00", "device_type": "light", "action": "device.turn_off"}
    assert schedule_slots("改成十一点半", "zh", "schedule.change", NOW, VOCAB) == {
        "datetime": "2026-12-01T23:30:00+08:00", "twelve_hour": True}
