"""Utterances that name a device and a change but ask for none: leave asked for the speaker's own
doing, a device's behaviour told, a wrong state complained of. Each is the manual's question and never
changes a device; a request to the assistant put the same way stays a command. (A held-out measurement
found "can I put a bit of oil on the curtain track…" moving the curtain, "the curtains start moving by
themselves when I touch them" opening it, and "灯带颜色不对，本来红色的变成蓝色了" setting the strip red;
these are paraphrases, not those sentences.)"""

from __future__ import annotations

from datetime import datetime

import pytest

from intents import Understander, UnderstandingContext

NOW = datetime.fromisoformat("2026-12-01T20:00:00+08:00")


@pytest.fixture(scope="module")
def cascade(vocab):
    engine = Understander()

    def run(text):
        return engine.understand(text, UnderstandingContext(now=NOW, speaker_room="living_room"), vocab)

    return run


LEAVE_ASKED = [
    "could I spray some lubricant on the curtain rail to make it quieter",
    "can I wipe the tv screen with a damp cloth",
    "should I unplug the air purifier before I go on holiday",
    "may I open the washing machine door while it is still running",
    "is it ok if I keep the bedroom light on all night",
    "do I need to switch off the air conditioner before I clean the filter",
    "我可以往窗帘轨道上抹点润滑油吗",
    "我能不能拿湿毛巾擦电视屏幕",
    "可不可以我自己把空调的滤网拆下来冲洗",
    "要不要我先把净化器关掉再换滤芯",
    "我该不该每天晚上把热水器关了",
]

BEHAVIOUR_TOLD = [
    "the curtain starts opening on its own whenever I brush against it",
    "the bedroom light switches itself on at night by itself",
    "every time I open the front door the light strip turns red",
    "the curtains keep closing halfway",
    "窗帘我一碰它就自己开了",
    "卧室的灯老是自己亮起来",
    "灯带总是自己变成红色",
    "空调自己就关了",
]

WRONG_STATE = [
    "灯带的颜色不对劲，原来是红的现在变成蓝的了",
    "灯带怎么又变成蓝色了",
    "不对，灯带本来是暖光的变成冷光了",
    "空调的风速不太对",
    "the light strip was red and now it's gone blue",
    "the colour of the light strip is wrong",
    "the light strip colour isn't right, it was warm white and now it's cold",
]


@pytest.mark.parametrize("text", LEAVE_ASKED + BEHAVIOUR_TOLD + WRONG_STATE)
def test_no_change_is_asked_only_the_manual(cascade, text):
    assert [i.name for i in cascade(text).intents] == ["kb.product_qa"]


def test_a_leading_wrong_with_a_subject_is_a_complaint_not_a_denial(cascade):
    said = cascade("灯带颜色不对，换成红色")
    assert "dialog.deny" not in [i.name for i in said.intents]
    assert [i.name for i in cascade("不对").intents] == ["dialog.deny"]


@pytest.mark.parametrize(("text", "intent"), [
    ("can you turn on the bedroom light", "device.turn_on"), ("能不能把卧室灯打开", "device.turn_on"),
    ("可以把窗帘打开吗", "device.turn_on"), ("你可以把灯带调成红色吗", "device.set"),
    ("could I have the bedroom light on please", "device.turn_on"), ("把灯带颜色改回红色", "device.set"),
    ("set the light strip to red, the colour is wrong", "device.set"), ("打开空调", "device.turn_on"),
    ("我想把卧室灯打开", "device.turn_on"),
])
def test_requests_to_the_assistant_stay_commands(cascade, text, intent):
    assert [i.name for i in cascade(text).intents] == [intent]
