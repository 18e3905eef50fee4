"""What the timer skill says and reports, in Mandarin and English (no time passes here)."""

from datetime import datetime, timedelta, timezone

import pytest

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from skills.utilities.timers import TimerSkill, duration_text
from tests.skills.standins import context

HOME = load_demo_home()
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=timezone(timedelta(hours=8)))



class FrozenClock:
    """Time stands still, so "how long is left" is exactly the duration."""

    def now(self):
        return NOW


@pytest.fixture
def skill():
    clock = FrozenClock()
    return TimerSkill(Scheduler(NotificationBus(), now=clock.now))


def ctx(lang="zh", speaker="living_room_speaker"):
    return context(lang, speaker)


async def ask(skill, lang, name, **slots):
    return await skill.handle(Intent(name, slots, 0.99, IntentSource.RULES), ctx(lang))


@pytest.mark.parametrize(
    "seconds, zh, en",
    [
        (600, "10分钟", "10 minutes"),
        (90, "1分30秒", "1 minute 30 seconds"),
        (5400, "1小时30分钟", "1 hour 30 minutes"),
        (3600, "1小时", "1 hour"),
        (3661, "1小时1分1秒", "1 hour 1 minute 1 second"),
        (45, "45秒", "45 seconds"),
        (0.4, "1秒", "1 second"),
    ],
)
def test_durations_are_said_the_way_people_say_them(seconds, zh, en):
    assert duration_text(seconds, "zh") == zh and duration_text(seconds, "en") == en


@pytest.mark.parametrize(
    "lang, slots, speech",
    [
        ("zh", {"duration": 600}, "好的，10分钟的计时器开始了"),
        ("en", {"duration": 600}, "OK. 10 minute timer started."),
        ("zh", {"duration": 5400}, "好的，1小时30分钟的计时器开始了"),
        ("en", {"duration": 90, "label": "pasta"}, "OK. 1 minute 30 second pasta timer started."),
        ("zh", {"duration": "300", "label": "煮鸡蛋"}, "好的，5分钟的煮鸡蛋计时器开始了"),
    ],
)
async def test_setting_a_timer(skill, lang, slots, speech):
    result = await ask(skill, lang, "timer.set", **slots)
    assert result.speech == speech
    [action] = result.actions
    assert (action.device, action.command, action.status) == ("living_room_speaker", "timer.set", "done")
    assert action.params["duration"] == float(slots["duration"])


@pytest.mark.parametrize("duration", [None, "", "ten", 0, -5, True, float("nan"), float("inf"), [10]])
async def test_a_missing_or_malformed_duration_is_asked_for(skill, duration):
    result = await ask(skill, "zh", "timer.set", duration=duration)
    assert result.speech == "要定多长时间的计时器？" and result.awaiting == "clarification" and not result.actions


async def test_more_than_a_day_is_an_alarm_not_a_timer(skill):
    result = await ask(skill, "en", "timer.set", duration=2 * 86400)
    assert "up to 24 hours" in result.speech and not result.actions


async def test_query_one_and_several(skill):
    assert (await ask(skill, "zh", "timer.query")).speech == "现在没有计时器"
    assert (await ask(skill, "en", "timer.query")).speech == "You have no timers running"
    await ask(skill, "zh", "timer.set", duration=600)
    assert (await ask(skill, "zh", "timer.query")).speech == "10分钟的计时器还剩10分钟"
    assert (await ask(skill, "en", "timer.query")).speech == "The 10 minute timer has 10 minutes left"
    await ask(skill, "zh", "timer.set", duration=90, label="煮鸡蛋")
    assert (await ask(skill, "zh", "timer.query")).speech == "现在有2个计时器：煮鸡蛋计时器还剩1分30秒，10分钟的计时器还剩10分钟"
    assert (await ask(skill, "en", "timer.query")).speech.startswith("You have 2 timers: the 煮鸡蛋 timer has 1 minute 30 seconds left;")
    assert (await ask(skill, "zh", "timer.query", label="煮鸡蛋")).speech == "煮鸡蛋计时器还剩1分30秒"
    assert (await ask(skill, "zh", "timer.query", label="烤面包")).speech == "没有找到烤面包计时器"


async def test_cancel_the_only_one_by_label_or_all(skill):
    assert (await ask(skill, "zh", "timer.cancel")).speech == "现在没有计时器"
    await ask(skill, "en", "timer.set", duration=600)
    result = await ask(skill, "en", "timer.cancel")
    assert result.speech == "OK. The 10 minute timer is cancelled."
    assert [a.command for a in result.actions] == ["timer.cancel"]
    for seconds, label in ((60, "tea"), (120, "eggs"), (180, "")):
        await ask(skill, "en", "timer.set", duration=seconds, label=label)
    which = await ask(skill, "zh", "timer.cancel")
    assert which.awaiting == "clarification" and which.speech == "现在有3个计时器，要取消哪一个？还是全部取消？"
    assert (await ask(skill, "en", "timer.cancel", label="TEA")).speech == "OK. The tea timer is cancelled."
    assert (await ask(skill, "en", "timer.cancel", label="tea")).speech == "I couldn't find a tea timer"
    everything = await ask(skill, "zh", "timer.cancel", scope="all")
    assert everything.speech == "好的，2个计时器都已取消" and len(everything.actions) == 2
    assert (await ask(skill, "zh", "timer.query")).speech == "现在没有计时器"
