"""Small understanding misses on everyday phrasing: an alarm or a timer called off in loose words, a timer
set for a device command (the command for later), an elliptical follow-up after a knowledge answer, and an
order after a complaint about a named device."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.dialog.followups import with_context
from assistant.dialog.sessions import Session
from assistant.dialog.state import read_session, write_session
from domain.devices import DeviceInfo
from intents.slots.time import resolve_when
from skills.sdk import ActionReport, SkillResult

NOW = datetime.fromisoformat("2026-12-01T20:00:00+08:00")



def _names(intents):
    return [i.name for i in intents]


@pytest.mark.parametrize("text, intent", [
    ("scrap that alarm", "alarm.cancel"), ("scrap the 7 am alarm", "alarm.cancel"), ("ditch my alarm", "alarm.cancel"),
    ("nix the wake-up alarm", "alarm.cancel"), ("forget about the alarm", "alarm.cancel"),
    ("ditch the timer", "timer.cancel"), ("forget about the timer", "timer.cancel"), ("scrap the pasta timer", "timer.cancel"),
    ("那个闹钟不要了", "alarm.cancel"), ("把明早的闹钟删了", "alarm.cancel"), ("闹钟取消掉吧", "alarm.cancel"),
    ("计时器不用了", "timer.cancel"),
])
def test_an_alarm_or_timer_called_off_in_loose_words_is_cancelled_never_set(hear, text, intent):
    assert _names(hear(text)) == [intent]


@pytest.mark.parametrize("text", ["set an alarm for 7 am", "make me an alarm for six thirty", "明天早上七点的闹钟"])
def test_a_new_alarm_is_still_set(hear, text):
    assert _names(hear(text)) == ["alarm.set"]


@pytest.mark.parametrize("text, device, delay", [
    ("can I set a timer to turn off the tv in 10 minutes", "living_room_tv", 600),
    ("set a 20 minute timer to switch off the tv", "living_room_tv", 1200),
    ("could you set a timer for half an hour to switch off the bedroom light", "bedroom_light", 1800),
    ("过十分钟帮我把电视关了", "living_room_tv", 600),
    ("设个五分钟的计时器，到了把电视关掉", "living_room_tv", 300),
])
def test_a_timer_for_a_device_command_is_that_command_later(hear, text, device, delay):
    [intent] = hear(text)
    assert (intent.name, intent.slots["device"]) == ("device.turn_off", device)
    lang = "en" if text.isascii() else "zh"
    assert resolve_when(intent.slots["when"], intent.text, lang, NOW).delay_s == delay


@pytest.mark.parametrize("text, duration", [("set a 10 minute timer", 600), ("设一个十分钟的计时器", 600),
                                            ("set a timer to turn off the tv", None)])
def test_a_plain_timer_stays_a_timer_and_a_command_without_a_time_never_acts_now(hear, text, duration):
    [intent] = hear(text)
    assert intent.name == "timer.set" and intent.slots.get("duration") == duration


@pytest.mark.parametrize("text", ["那它的电池呢", "what about its battery", "how about its battery"])
def test_an_ellipsis_after_a_knowledge_answer_stays_the_manuals(hear, text):
    heard = hear(text)[0]
    after_knowledge = Session("s", "demo", last_intent="kb.product_qa", topic="robot_vacuum")
    assert with_context(heard, after_knowledge, {}).name == "kb.product_qa"


def test_the_same_ellipsis_after_a_device_turn_asks_the_device(hear, home):
    devices = {d.id: DeviceInfo.from_home(d) for d in home.devices.values()}
    after_device = Session("s", "demo", last_devices=("robot_vacuum",), last_intent="device.query", topic="robot_vacuum")
    followed = with_context(hear("那它的电池呢")[0], after_device, devices)
    assert (followed.name, followed.slots.get("device"), followed.slots.get("attribute")) == (
        "device.query", "robot_vacuum", "battery")


def _turn(hear, home, session, text, answer):
    """One turn through the session: what was heard, read with the session, and the session it leaves
    given the skill's ``answer`` (the skills' own answers, built here: the dialog state is the subject)."""
    devices = list(DeviceInfo.from_home(d) for d in home.devices.values())
    intents = read_session(text, tuple(hear(text)), session, devices)
    return intents, write_session(session, intents, [answer] * len(intents), 0.0)


def test_the_ellipsis_follows_the_last_turns_intent_knowledge_after_a_device_turn(hear, home):
    turned_on = SkillResult("好的", actions=(ActionReport("robot_vacuum", "turn_on"),))
    [on], session = _turn(hear, home, Session("s", "demo"), "turn on the robot vacuum", turned_on)
    assert (on.name, session.last_intent) == ("device.turn_on", "device.turn_on")
    [asked], session = _turn(hear, home, session, "它的尘盒能装多少", SkillResult("400毫升", about="robot_vacuum"))
    assert (asked.name, session.last_intent) == ("kb.product_qa", "kb.product_qa")
    [battery], _ = _turn(hear, home, session, "那它的电池呢", SkillResult(""))
    assert battery.name == "kb.product_qa"


def test_the_ellipsis_after_a_device_turn_with_the_vacuum_talked_about_stays_a_battery_query(hear, home):
    session = Session("s", "demo", last_intent="kb.product_qa", topic="robot_vacuum")  # a manual's answer before
    turned_on = SkillResult("好的", actions=(ActionReport("robot_vacuum", "turn_on"),))
    _, session = _turn(hear, home, session, "turn on the robot vacuum", turned_on)
    [battery], _ = _turn(hear, home, session, "那它的电池呢", SkillResult(""))
    assert (battery.name, battery.slots.get("device"), battery.slots.get("attribute")) == (
        "device.query", "robot_vacuum", "battery")


@pytest.mark.parametrize("text, device, color", [
    ("灯带颜色不对，换成红色", "living_room_strip", "red"),
    ("卧室灯的颜色不对，给我换成白色", "bedroom_light", "white"),
    ("the light strip is the wrong color, make it blue", "living_room_strip", "blue"),
])
def test_an_order_after_a_complaint_acts_on_the_device_complained_of_and_only_the_order_acts(hear, text, device, color):
    assert [(i.name, i.slots.get("device"), i.slots.get("value")) for i in hear(text)] == [("device.set", device, color)]


def test_a_timer_and_a_command_joined_by_and_are_two_requests(hear):
    assert _names(hear("set a timer for 10 minutes and turn off the lights")) == ["timer.set", "device.turn_off"]


@pytest.mark.parametrize("text", ["有哪些计时器", "我现在有几个计时器", "现在有什么计时器"])
def test_asking_which_timers_there_are_names_no_timer(hear, text):
    """The question words were taken for a timer's name ("没有找到有哪些计时器")."""
    (intent,) = hear(text)
    assert intent.name == "timer.query" and "label" not in intent.slots, intent


def test_a_named_timer_keeps_its_name(hear):
    (intent,) = hear("鸡蛋计时器还剩多久")
    assert intent.name == "timer.query" and intent.slots.get("label") == "鸡蛋", intent
