"""RuleUnderstander: intent names and slots for zh and en utterances."""

from __future__ import annotations

import pytest

from intents import IntentSource, RuleUnderstander, UnderstandingContext

LR = {"device": "living_room_main_light", "room": "living_room"}
STRIP = {"device": "living_room_strip", "room": "living_room"}
TV = {"device": "living_room_tv", "room": "living_room"}
VAC = {"device": "robot_vacuum", "room": "living_room"}
LOCK = {"device": "front_door_lock", "room": "entrance"}
WH = {"device": "water_heater", "room": "bathroom"}
BED_AC = {"device": "bedroom_ac", "room": "bedroom"}

SINGLE = [
    # power, covers, vacuum
    ("打开客厅的灯", "device.turn_on", LR),
    ("turn on the living room light", "device.turn_on", LR),
    ("turn the kitchen light on", "device.turn_on", {"device": "kitchen_light", "room": "kitchen"}),
    ("关掉所有的灯", "device.turn_off", {"device_type": "light", "scope": "all"}),
    ("turn off all the lights", "device.turn_off", {"device_type": "light", "scope": "all"}),
    ("关掉卧室所有的灯", "device.turn_off", {"device_type": "light", "room": "bedroom", "scope": "all"}),
    ("把客厅的灯都关了", "device.turn_off", {"device_type": "light", "room": "living_room", "scope": "all"}),
    ("turn off every light in the bedroom", "device.turn_off",
     {"device_type": "light", "room": "bedroom", "scope": "all"}),
    ("开灯", "device.turn_on", {"device_type": "light"}),
    ("打开空调", "device.turn_on", {"device_type": "climate"}),
    ("打开书房的灯", "device.turn_on", {"device": "study_desk_lamp", "room": "study"}),
    ("打开玄关的灯", "device.turn_on", {"device_type": "light", "room": "entrance"}),
    ("把卧室窗帘拉开", "device.turn_on", {"device": "bedroom_curtain", "room": "bedroom"}),
    ("close the living room curtains", "device.turn_off", {"device": "living_room_curtain", "room": "living_room"}),
    ("把窗帘关上", "device.turn_off", {"device_type": "cover"}),
    ("扫地机器人开始扫地", "device.turn_on", VAC),
    ("start the vacuum", "device.turn_on", VAC),
    ("让扫地机回去充电", "device.turn_off", VAC),
    ("dock the vacuum", "device.turn_off", VAC),
    ("关掉摄像头", "device.turn_off", {"device": "living_room_camera", "room": "living_room"}),
    ("打开卧室的电视", "device.turn_on", {"device_type": "media_player", "room": "bedroom"}),
    # lock
    ("开门", "device.set", {**LOCK, "attribute": "lock", "value": "unlocked"}),
    ("打开门锁", "device.set", {**LOCK, "attribute": "lock", "value": "unlocked"}),
    ("unlock the door", "device.set", {**LOCK, "attribute": "lock", "value": "unlocked"}),
    ("锁门", "device.set", {**LOCK, "attribute": "lock", "value": "locked"}),
    ("把门锁上", "device.set", {**LOCK, "attribute": "lock", "value": "locked"}),
    ("lock the front door", "device.set", {**LOCK, "attribute": "lock", "value": "locked"}),
    # set
    ("空调调到二十六度", "device.set", {"device_type": "climate", "attribute": "temperature", "value": 26, "unit": "°C"}),
    ("set the bedroom ac to 24 degrees", "device.set", {**BED_AC, "attribute": "temperature", "value": 24, "unit": "°C"}),
    ("set the bedroom ac to seventy two degrees fahrenheit", "device.set",
     {**BED_AC, "attribute": "temperature", "value": 22, "unit": "°C"}),
    ("灯光亮度调到百分之三十", "device.set", {"device_type": "light", "attribute": "brightness", "value": 30, "unit": "%"}),
    ("set the strip to blue", "device.set", {**STRIP, "attribute": "color", "value": "blue"}),
    ("灯带调成蓝色", "device.set", {**STRIP, "attribute": "color", "value": "blue"}),
    ("把客厅灯调成暖光", "device.set", {**LR, "attribute": "color_temp", "value": "warm"}),
    ("暖光", "device.set", {"attribute": "color_temp", "value": "warm"}),
    ("冷光", "device.set", {"attribute": "color_temp", "value": "cool"}),
    ("warm light", "device.set", {"device_type": "light", "attribute": "color_temp", "value": "warm"}),
    ("make the main light cool white", "device.set", {**LR, "attribute": "color_temp", "value": "cool"}),
    ("把色温调到4000", "device.set", {"attribute": "color_temp", "value": 4000, "unit": "K"}),
    ("窗帘开一半", "device.set", {"device_type": "cover", "attribute": "position", "value": 50, "unit": "%"}),
    ("open the curtains halfway", "device.set", {"device_type": "cover", "attribute": "position", "value": 50, "unit": "%"}),
    ("空调调成制热", "device.set", {"device_type": "climate", "attribute": "mode", "value": "heat"}),
    ("heat mode", "device.set", {"attribute": "mode", "value": "heat"}),
    ("switch the ac to heat mode", "device.set", {"device_type": "climate", "attribute": "mode", "value": "heat"}),
    ("风速调到高", "device.set", {"attribute": "fan_speed", "value": "high"}),
    ("fan speed high", "device.set", {"attribute": "fan_speed", "value": "high"}),
    ("把扫地机吸力调到高", "device.set", {**VAC, "attribute": "fan_speed", "value": "strong"}),
    ("净化器调到睡眠模式", "device.set",
     {"device": "air_purifier", "room": "living_room", "attribute": "mode", "value": "sleep"}),
    ("电视声音调到三十", "device.set", {**TV, "attribute": "volume", "value": 30}),
    ("热水器调到70度", "device.set", {**WH, "attribute": "temperature", "value": 70, "unit": "°C"}),
    ("灯带亮度调到最大", "device.set", {**STRIP, "attribute": "brightness", "value": 100, "unit": "%"}),
    ("卧室空调调到最低", "device.set", {**BED_AC, "attribute": "temperature", "value": 16, "unit": "°C"}),
    ("调到24度", "device.set", {"attribute": "temperature", "value": 24, "unit": "°C"}),
    # adjust
    ("亮一点", "device.adjust", {"attribute": "brightness", "direction": "up"}),
    ("make it brighter", "device.adjust", {"attribute": "brightness", "direction": "up"}),
    ("温度再低两度", "device.adjust", {"attribute": "temperature", "direction": "down", "amount": 2, "unit": "°C"}),
    ("turn the volume down", "device.adjust", {"attribute": "volume", "direction": "down"}),
    ("声音大一点", "device.adjust", {"attribute": "volume", "direction": "up"}),
    ("卧室空调调高两度", "device.adjust", {**BED_AC, "attribute": "temperature", "direction": "up", "amount": 2,
                                   "unit": "°C"}),
    ("turn the bedroom ac up by two degrees", "device.adjust",
     {**BED_AC, "attribute": "temperature", "direction": "up", "amount": 2, "unit": "°C"}),
    ("dim the desk lamp", "device.adjust",
     {"device": "study_desk_lamp", "room": "study", "attribute": "brightness", "direction": "down"}),
    ("窗帘开大一点", "device.adjust", {"device_type": "cover", "attribute": "position", "direction": "up"}),
    # query
    ("客厅现在多少度", "device.query", {"room": "living_room", "attribute": "temperature"}),
    ("门锁了吗", "device.query", {**LOCK, "attribute": "lock"}),
    ("is the front door locked", "device.query", {**LOCK, "attribute": "lock"}),
    ("is the kitchen light on", "device.query", {"device": "kitchen_light", "room": "kitchen", "attribute": "power"}),
    ("空气质量怎么样", "device.query", {"attribute": "pm25"}),
    ("pm2.5", "device.query", {"attribute": "pm25"}),
    ("what's the air quality", "device.query", {"attribute": "pm25"}),
    ("客厅湿度多少", "device.query", {"room": "living_room", "attribute": "humidity"}),
    ("电视开着吗", "device.query", {**TV, "attribute": "power"}),
    ("are the curtains open", "device.query", {"device_type": "cover", "attribute": "position"}),
    ("扫地机电量还有多少", "device.query", {**VAC, "attribute": "battery"}),
    # scenes
    ("开启观影模式", "scene.activate", {"scene": "movie"}),
    ("我要睡觉了", "scene.activate", {"scene": "sleep"}),
    ("晚安", "scene.activate", {"scene": "sleep"}),
    ("我出门了", "scene.activate", {"scene": "away"}),
    ("I'm leaving", "scene.activate", {"scene": "away"}),
    ("我回来了", "scene.activate", {"scene": "home"}),
    ("I'm home", "scene.activate", {"scene": "home"}),
    ("看电影", "scene.activate", {"scene": "movie"}),
    ("起床了", "scene.activate", {"scene": "wake_up"}),
    ("good morning", "scene.activate", {"scene": "wake_up"}),
    ("activate movie mode", "scene.activate", {"scene": "movie"}),
    ("switch to away mode", "scene.activate", {"scene": "away"}),
    # dialog
    ("确定", "dialog.confirm", {}),
    ("好的", "dialog.confirm", {}),
    ("yes", "dialog.confirm", {}),
    ("go ahead", "dialog.confirm", {}),
    ("不要", "dialog.deny", {}),
    ("算了", "dialog.deny", {}),
    ("no", "dialog.deny", {}),
    ("取消", "dialog.cancel", {}),
    ("别说了", "dialog.cancel", {}),
    ("stop", "dialog.cancel", {}),
]


@pytest.mark.parametrize("text, name, slots", SINGLE, ids=[t for t, _, _ in SINGLE])
def test_single_intent(understand, text, name, slots):
    result = understand(text)
    assert [(i.name, dict(i.slots)) for i in result.intents] == [(name, slots)]
    intent = result.intents[0]
    assert intent.source == IntentSource.RULES
    assert 0.0 <= intent.confidence <= 1.0


ASR = [
    ("客厅的等打开", "device.turn_on", LR),
    ("把空掉关了", "device.turn_off", {"device_type": "climate"}),
    ("卧室等关掉", "device.turn_off", {"device": "bedroom_light", "room": "bedroom"}),
    ("把握使灯打开", "device.turn_on", {"device": "bedroom_light", "room": "bedroom"}),
    ("空調調到二十六度", "device.set", {"device_type": "climate", "attribute": "temperature", "value": 26, "unit": "°C"}),
    ("把living room的灯打开", "device.turn_on", LR),
    ("turn on the 客厅灯", "device.turn_on", LR),
    ("呃，那个，帮我把客厅的灯打开", "device.turn_on", LR),
    ("Um, please turn ON the Kitchen Light!", "device.turn_on", {"device": "kitchen_light", "room": "kitchen"}),
    ("空调调到２６度", "device.set", {"device_type": "climate", "attribute": "temperature", "value": 26, "unit": "°C"}),
]


@pytest.mark.parametrize("text, name, slots", ASR, ids=[t for t, _, _ in ASR])
def test_asr_slips_traditional_mixed_and_fillers(understand, text, name, slots):
    result = understand(text)
    assert [(i.name, dict(i.slots)) for i in result.intents] == [(name, slots)]


def test_pinyin_matches_are_less_confident(understand):
    assert understand("卧室等关掉").intents[0].confidence < understand("卧室灯关掉").intents[0].confidence


MULTI = [
    ("关掉客厅的灯然后打开卧室的空调",
     [("device.turn_off", LR), ("device.turn_on", BED_AC)]),
    ("把灯带调成红色并且亮度调到八十",
     [("device.set", {**STRIP, "attribute": "color", "value": "red"}),
      ("device.set", {**STRIP, "attribute": "brightness", "value": 80, "unit": "%"})]),
    ("set the strip to red and brightness to 80",
     [("device.set", {**STRIP, "attribute": "color", "value": "red"}),
      ("device.set", {**STRIP, "attribute": "brightness", "value": 80, "unit": "%"})]),
    ("打开空调并且调到二十四度",
     [("device.turn_on", {"device_type": "climate"}),
      ("device.set", {"device_type": "climate", "attribute": "temperature", "value": 24, "unit": "°C"})]),
    ("打开空调调到26度",
     [("device.turn_on", {"device_type": "climate"}),
      ("device.set", {"device_type": "climate", "attribute": "temperature", "value": 26, "unit": "°C"})]),
    ("打开客厅的灯和灯带", [("device.turn_on", LR), ("device.turn_on", STRIP)]),
    ("turn off the kitchen light and the bathroom light",
     [("device.turn_off", {"device": "kitchen_light", "room": "kitchen"}),
      ("device.turn_off", {"device": "bathroom_light", "room": "bathroom"})]),
    ("turn off the lights and lock the door",
     [("device.turn_off", {"device_type": "light"}),
      ("device.set", {**LOCK, "attribute": "lock", "value": "locked"})]),
    ("turn on the tv then set the volume to 30",
     [("device.turn_on", TV), ("device.set", {**TV, "attribute": "volume", "value": 30})]),
    ("我回来了，打开电视", [("scene.activate", {"scene": "home"}), ("device.turn_on", TV)]),
    ("关掉客厅的灯然后卧室的也关掉",
     [("device.turn_off", LR), ("device.turn_off", {"device_type": "light", "room": "bedroom"})]),
]


@pytest.mark.parametrize("text, expected", MULTI, ids=[t for t, _ in MULTI])
def test_multi_command(understand, text, expected):
    result = understand(text)
    assert [(i.name, dict(i.slots)) for i in result.intents] == expected
    assert not result.needs_fallback


@pytest.mark.parametrize("text", ["温度再低两度", "再亮一点", "亮度调到八十"])
def test_connector_words_inside_one_command_do_not_split(understand, text):
    assert len(understand(text).intents) == 1


BAD = ["", "   ", "🙂🙂", "？？？", "……", "!!!", "asdfghjkl", "１２３", "абв打开", "灯" * 10_000, "x" * 10_000,
       "播放周杰伦的晴天", "现在几点", "what time is it", "tell me a joke", "我今年三十岁", "打开", "今天外面多少度",
       "关闭睡眠模式", "\x00\x01", "<script>alert(1)</script>"]


@pytest.mark.parametrize("text", BAD, ids=[repr(t[:20]) for t in BAD])
def test_bad_or_foreign_input_is_out_of_scope(understand, text):
    result = understand(text)
    assert [i.name for i in result.intents] == ["out_of_scope"]
    assert result.needs_fallback


@pytest.mark.parametrize("value", [None, 42, b"bytes"])
def test_non_text_never_raises(vocab, value):
    result = RuleUnderstander().understand(value, UnderstandingContext(), vocab)
    assert [i.name for i in result.intents] == ["out_of_scope"]


def test_speaker_room_is_not_filled_in(understand):
    result = understand("开灯", speaker_room="bedroom")
    assert dict(result.intents[0].slots) == {"device_type": "light"}


def test_language_and_normalized_text(understand):
    zh = understand("打开客厅的燈。")
    assert zh.lang == "zh" and zh.normalized_text == "打开客厅的灯"
    assert understand("turn on the tv").lang == "en"
    assert understand("turn on the tv", lang="en").intents[0].name == "device.turn_on"
