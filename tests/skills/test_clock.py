"""time.query answers from the request's clock, in the request's language."""

from datetime import datetime, timedelta, timezone

import pytest

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.utilities.clock import ClockSkill, clock_text
from tests.skills.standins import context

HOME = load_demo_home()
CST = timezone(timedelta(hours=8))



async def ask(lang, now, **slots):
    ctx = context(lang, now=now)
    return await ClockSkill().handle(Intent("time.query", slots, 0.99, IntentSource.RULES), ctx)


EVENING = datetime(2026, 12, 1, 20, 5, tzinfo=CST)  # Tuesday


@pytest.mark.parametrize(
    "lang, slots, speech",
    [
        ("zh", {"what": "time"}, "现在是晚上8点05分"),
        ("en", {"what": "time"}, "It's 8:05 PM"),
        ("zh", {"what": "date"}, "今天是12月1日，星期二"),
        ("en", {"what": "date"}, "Today is Tuesday, December 1"),
        ("zh", {"what": "weekday"}, "今天是星期二"),
        ("en", {"what": "weekday"}, "Today is Tuesday"),
        ("zh", {}, "现在是晚上8点05分"),  # no slot: the time
        ("en", {"what": "the meaning of life"}, "It's 8:05 PM"),
        ("en", {"what": None}, "It's 8:05 PM"),
    ],
)
async def test_answers(lang, slots, speech):
    result = await ask(lang, EVENING, **slots)
    assert result.speech == speech and not result.actions


async def test_the_requests_clock_wins_over_the_servers():
    new_york = datetime(2026, 12, 1, 7, 5, tzinfo=CST).astimezone(timezone(timedelta(hours=-5)))
    assert (await ask("en", new_york, what="time")).speech == "It's 6:05 PM"
    assert (await ask("en", new_york, what="date")).speech == "Today is Monday, November 30"


@pytest.mark.parametrize(
    "hour, minute, zh, en",
    [
        (0, 0, "凌晨0点整", "12:00 AM"),
        (4, 30, "凌晨4点30分", "4:30 AM"),
        (7, 0, "早上7点整", "7:00 AM"),
        (10, 15, "上午10点15分", "10:15 AM"),
        (12, 0, "中午12点整", "12:00 PM"),
        (12, 40, "中午12点40分", "12:40 PM"),
        (15, 9, "下午3点09分", "3:09 PM"),
        (23, 59, "晚上11点59分", "11:59 PM"),
    ],
)
def test_times_of_day(hour, minute, zh, en):
    moment = datetime(2026, 12, 1, hour, minute, tzinfo=CST)
    assert clock_text(moment, "zh", exact=True) == zh and clock_text(moment, "en") == en
