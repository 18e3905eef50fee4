"""A device command said with a time never acts at once (real mosquitto, the demo home read back over MQTT):
a loosely worded time is scheduled, a risky change at a time is refused, and a time the rules do not
understand ("after lunch", "等会儿") is said to be not understood, with nothing changed."""

from __future__ import annotations

import pytest

from tests.integration import test_scheduled_commands as scheduled
from tests.integration.test_scheduled_commands import asker, device

# the same instance as the scheduled-commands tests: real mosquitto, the demo home, the test's clock
config, clock, runtime = scheduled.config, scheduled.clock, scheduled.runtime

pytestmark = pytest.mark.integration


async def test_a_risky_change_said_for_tomorrow_morning_is_refused_and_the_heater_is_untouched(runtime, clock):
    ask = asker(runtime, clock)
    before = await device(runtime, "water_heater")
    answer = await ask("明早六点热水器调到七十度")
    assert answer.intents[0].slots["value"] == 70 and answer.intents[0].slots["when"] == "明早六点"
    assert "不能定时" in answer.speech and answer.actions[0].status == "rejected"
    assert await device(runtime, "water_heater") == before
    assert (await ask("有哪些定时任务")).speech == "现在没有定时任务"


async def test_start_the_vacuum_in_like_an_hour_is_scheduled_not_started(runtime, clock):
    ask = asker(runtime, clock)
    before = await device(runtime, "robot_vacuum")
    answer = await ask("uh can you start the vacuum in like an hour")
    assert answer.speech.startswith("OK. I've scheduled it") and "robot vacuum" in answer.speech
    assert await device(runtime, "robot_vacuum") == before


@pytest.mark.parametrize("text,words", [
    ("turn off the lights after lunch", "didn't get when"),
    ("start the vacuum in a bit", "didn't get when"),
    ("等会儿把客厅主灯关了", "没听懂要在什么时候做"),
])
async def test_a_time_not_understood_changes_nothing_and_says_so(runtime, clock, text, words):
    ask = asker(runtime, clock)
    await ask("打开客厅主灯")
    before = {d: await device(runtime, d) for d in ("living_room_main_light", "robot_vacuum")}
    answer = await ask(text)
    assert words in answer.speech and not answer.actions
    assert {d: await device(runtime, d) for d in before} == before
