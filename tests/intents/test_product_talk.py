"""Product questions asked the way people talk: faults told as statements, specs and capabilities,
appliances the home has no device for, and follow-ups that lean on the product just talked about.
None of them may ever become a command to the device it names; commands stay commands."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.dialog.followups import with_context
from assistant.dialog.sessions import Session
from domain.devices import DeviceInfo
from intents import Understander, UnderstandingContext
from intents.types import Intent, IntentSource

NOW = datetime.fromisoformat("2026-12-01T20:00:00+08:00")


@pytest.fixture(scope="module")
def cascade(vocab):
    engine = Understander()

    def run(text, lang=None):
        return engine.understand(text, UnderstandingContext(lang=lang, now=NOW, speaker_room="living_room"), vocab)

    return run


FAULTS_TOLD = [
    "窗帘电机的红灯一直闪两下闪两下的", "空调一直滴水", "洗衣机老是显示离线", "门锁自己响了一下",
    "扫地机总是卡在床底下", "电视突然黑屏了", "热水器不加热了",
    "the ambient light blinked red three times and went back to normal, what's that",
    "the voice assistant can't turn the tv on", "the tv keeps shutting itself off in the evening",
    "the humidity on the thermometer has been stuck at 99 percent", "my tv turns off by itself",
    "the curtains quit responding after I opened and closed them a bunch of times",
    "the washing machine is beeping and won't open", "the light strip flickers sometimes",
    # each of these was a command to the device it names before
    "门锁一直嘀嘀叫", "窗帘拉到一半就停了", "热水器调不到75度", "空调开制冷出热风",
    "扫地机找不到充电座", "洗衣机有股臭味", "the vacuum says error 5", "the lock keeps beeping",
]


@pytest.mark.parametrize("text", FAULTS_TOLD)
def test_a_fault_told_is_a_question_to_the_manual_never_a_command(cascade, text):
    assert [i.name for i in cascade(text).intents] == ["kb.product_qa"]


SPECS_AND_CAPABILITIES = [
    ("热水器能装多少水", "water_heater"), ("窗帘电机拉窗帘有多快", "cover"), ("空调有没有新风功能", "climate"),
    ("门锁的锁芯是几级的", "front_door_lock"), ("扫地机能拖地吗", "robot_vacuum"),
    ("扫地机最多能设几个定时打扫啊", "robot_vacuum"), ("大门那个锁的电池一般能撑多长时间", "front_door_lock"),
    ("电饭煲插的那个智能插座，待机费不费电", None), ("空调上面显示E8，是不是坏了", "climate"),
    ("what model is our robot vacuum", "robot_vacuum"), ("what battery goes in the living room thermometer", None),
    ("does the tv have a built-in camera for video calls", "living_room_tv"),
    ("what times can I set the tv's sleep timer to", "living_room_tv"),
    ("if I unlock the front door from the app do I have to confirm it", "front_door_lock"),
    ("can the curtain motor handle heavy blackout curtains", "cover"),
    ("空调睡眠模式是干嘛的", "climate"), ("空调的除湿模式和制冷有啥区别", "climate"), ("扫地机能不能拖地", "robot_vacuum"),
    ("摄像头晚上看得清吗", "living_room_camera"), ("is the tv 4k", "living_room_tv"),
    ("扫地机定时打扫能设几点", "robot_vacuum"),
]

WHAT_IFS = [
    ("如果我把空调关了它还会除湿吗", "climate"), ("关了热水器再开要等多久才有热水", "water_heater"),
    ("打开净化器以后多久能把屋里的空气净化完", "air_purifier"),
    ("if I turn off the camera does it still record", "living_room_camera"),
    ("if I close the curtains at night does the motor make noise", "cover"),
    ("turning the tv off and on again, does that reset it", "living_room_tv"),
]


@pytest.mark.parametrize(("text", "product"), WHAT_IFS, ids=[t for t, _ in WHAT_IFS])
def test_what_would_happen_is_asked_and_the_condition_never_carried_out(cascade, text, product):
    intents = cascade(text).intents
    assert [(i.name, i.slots.get("product")) for i in intents] == [("kb.product_qa", product)]


@pytest.mark.parametrize(("text", "product"), SPECS_AND_CAPABILITIES, ids=[t for t, _ in SPECS_AND_CAPABILITIES])
def test_specs_and_capabilities_are_the_manuals(cascade, text, product):
    intents = cascade(text).intents
    assert [i.name for i in intents] == ["kb.product_qa"]
    if product is not None:
        assert intents[0].slots.get("product") == product


@pytest.mark.parametrize("text", ["how big is the water tank on our dehumidifier", "咱家冰箱冷藏那层调几度合适",
                                  "how do i descale our kettle"])
def test_an_appliance_the_home_has_no_device_for_is_still_a_product(cascade, text):
    assert [i.name for i in cascade(text).intents] == ["kb.product_qa"]


COMMANDS_AND_STATES = [
    ("打开空调", "device.turn_on"), ("热水器调到50度", "device.set"), ("空调开着吗", "device.query"),
    ("扫地机器人还有多少电", "device.query"), ("灯一直亮着，帮我关掉", "device.turn_off"),
    ("can you turn on the tv", "device.turn_on"), ("can't you turn the light on", "device.turn_on"),
    ("how much battery does the vacuum have", "device.query"), ("how bright is the bedroom light", "device.query"),
    ("the tv is too loud", "device.adjust"), ("太吵了", "device.adjust"), ("set a timer for ten minutes", "timer.set"),
    ("why is the sky blue", "kb.general_qa"),
    ("灯能不能亮一点", "device.adjust"), ("能不能把灯打开", "device.turn_on"), ("你能打开空调吗", "device.turn_on"),
    ("扫地机能不能去扫一下卧室", "device.turn_on"), ("can the lights be a bit brighter", "device.adjust"),
    ("空调调成制冷模式", "device.set"), ("put the purifier in sleep mode", "device.set"),
    ("十分钟以后关灯", "device.turn_off"), ("when I get home turn on the lights", "device.turn_on"),
    ("if it's raining close the curtains", "device.turn_off"), ("如果我回家了就打开灯", "device.turn_on"),
    ("and is the bedroom light on", "device.query"),  # switched the light on before: "and" hid the question
    ("what's the volume on the tv", "device.query"), ("what speed is the purifier on", "device.query"),
]


@pytest.mark.parametrize(("text", "name"), COMMANDS_AND_STATES, ids=[t for t, _ in COMMANDS_AND_STATES])
def test_commands_and_state_questions_stay_what_they_are(cascade, text, name):
    assert [i.name for i in cascade(text).intents] == [name]


def _said(cascade, text):
    return cascade(text).intents[0]


@pytest.mark.parametrize("text", ["and how heavy is it?", "ok how loud is it", "它转起来吵不吵", "那它的水箱呢"])
def test_it_in_a_question_to_the_manual_is_the_product_talked_about(cascade, text):
    assert [(i.name, i.slots.get("product")) for i in cascade(text).intents] == [("kb.product_qa", None)]


@pytest.mark.parametrize("text", ["那水箱呢", "那遥控器呢", "what about the remote"])
def test_a_follow_up_on_the_product_just_talked_about_is_the_manuals(cascade, text):
    heard = _said(cascade, text)
    assert heard.name != "kb.product_qa"  # alone, nothing says which product: the session does
    session = Session("s", "demo", topic="robot_vacuum")
    assert with_context(heard, session, {}).name == "kb.product_qa"
    assert with_context(heard, Session("s", "demo"), {}) is heard


def test_a_follow_up_elsewhere_stays_where_it_was():
    session = Session("s", "demo", topic="living_room_tv")
    poem = Intent("gen.write", {"topic": "autumn"}, 0.8, IntentSource.EDGE_MODEL, "what about autumn")
    general = Intent("kb.general_qa", {}, 0.6, IntentSource.EDGE_MODEL, "how far is the moon")
    assert with_context(poem, session, {}) is poem
    assert with_context(general, session, {}) is general


def test_a_device_follow_up_still_borrows_the_last_device(home):
    devices = {d.id: DeviceInfo.from_home(d) for d in home.devices.values()}
    session = Session("s", "demo", last_devices=("living_room_main_light",), topic="living_room_main_light")
    said = Intent("device.adjust", {"direction": "up"}, 0.9, IntentSource.RULES, "再亮一点")
    assert with_context(said, session, devices).slots["device"] == "living_room_main_light"
