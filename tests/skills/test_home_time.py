"""A home has its own time zone: the clock of every request that brings none (issue 12)."""

import logging
from datetime import datetime, timedelta

import pytest
import yaml

from assistant.pipeline.understanding import HomeUnderstanding
from domain.errors import HomeError
from domain.home import demo_home_path, load_demo_home, parse_home
from intents.types import UnderstandingContext
from skills.utilities.alarms import AlarmSkill
from skills.utilities.clock import home_clock
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from tests.skills.standins import context

HOME = load_demo_home()


def demo_document(**changes):
    data = yaml.safe_load(demo_home_path().read_text(encoding="utf-8"))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_demo_home_is_in_shanghai_whatever_the_machine_says():
    assert HOME.timezone == "Asia/Shanghai"
    assert HOME.now().utcoffset() == timedelta(hours=8)


def test_a_home_without_a_zone_is_utc_and_the_log_says_so(caplog):
    with caplog.at_level(logging.INFO, logger="domain.home"):
        home = parse_home(demo_document(timezone=None))
    assert home.timezone == "UTC" and home.now().utcoffset() == timedelta(0)
    assert "names no timezone" in caplog.text


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "+08:00", "../../etc/passwd", 8])
def test_a_zone_that_is_not_iana_is_refused(zone):
    with pytest.raises(HomeError, match="not an IANA time zone"):
        parse_home(demo_document(timezone=zone))


async def test_7am_tomorrow_without_a_client_clock_is_7am_in_the_home():
    now = HOME.now()  # what the pipeline uses when a request carries no clock
    [intent] = HomeUnderstanding().understand("set an alarm for 7am tomorrow", HOME, (), UnderstandingContext(now=now)).intents
    answer = await AlarmSkill(Scheduler(NotificationBus())).handle(intent, context("en", now=now))
    tomorrow = now.date() + timedelta(days=1)
    assert answer.actions[0].params["at"] == datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, tzinfo=HOME.zone).isoformat()
    assert answer.actions[0].params["at"].endswith("T07:00:00+08:00")


def test_a_clock_without_an_offset_is_read_in_the_home_zone():
    naive = context("zh", now=datetime(2026, 12, 1, 20, 0))
    assert home_clock(naive).now == datetime(2026, 12, 1, 20, 0, tzinfo=HOME.zone)
    aware = context("zh")
    assert home_clock(aware) is aware
