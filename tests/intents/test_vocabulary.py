"""The home vocabulary: exact, 的-tolerant, pinyin-tolerant and mixed-language matching."""

from __future__ import annotations

import pytest

from domain.devices import DeviceInfo
from domain.home import Names
from intents import HomeVocabulary, normalize_text


def _found(vocab, text):
    return [(m.kind, m.id, m.fuzzy) for m in vocab.find(normalize_text(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("打开客厅的灯", [("device", "living_room_main_light", False)]),
        ("客厅灯", [("device", "living_room_main_light", False)]),
        ("客厅的灯带", [("device", "living_room_strip", False)]),
        ("卧室空调", [("device", "bedroom_ac", False)]),
        ("空调", [("type", "climate", False)]),  # two ACs: the generic word names the type
        ("窗帘", [("type", "cover", False)]),
        ("电视", [("device", "living_room_tv", False)]),  # one TV: the device
        ("打开玄关的灯", [("room", "entrance", False), ("type", "light", False)]),
        ("门口", [("room", "entrance", False)]),
        ("开门", [("type", "lock", False)]),
        ("门锁了吗", [("device", "front_door_lock", False)]),
        ("turn off the kitchen lights", [("device", "kitchen_light", False)]),
        ("close the bedroom curtains", [("device", "bedroom_curtain", False)]),
        ("living room light strip", [("device", "living_room_strip", False)]),
        ("set the strip to blue", [("device", "living_room_strip", False)]),
        ("把living room的灯打开", [("device", "living_room_main_light", False)]),
        ("开启观影模式", [("scene", "movie", False)]),
        ("set the fan speed to high", []),
        ("播放电视剧", []),
    ],
)
def test_exact_matching(vocab, text, expected):
    assert _found(vocab, text) == expected


@pytest.mark.parametrize(
    "text, kind, target",
    [
        ("客厅的等打开", "device", "living_room_main_light"),
        ("卧室等", "device", "bedroom_light"),
        ("把空掉关了", "type", "climate"),
        ("把握使灯打开", "device", "bedroom_light"),
        ("打开灯代", "device", "living_room_strip"),
        ("扫地鸡器人", "device", "robot_vacuum"),
    ],
)
def test_pinyin_matching_for_asr_slips(vocab, text, kind, target):
    mentions = vocab.find(normalize_text(text))
    assert [(m.kind, m.id) for m in mentions] == [(kind, target)]
    assert mentions[0].fuzzy


def test_homophones_need_one_shared_character(vocab):
    # 成制 reads like 帘子 through a rare reading of 帘; it must not become a curtain
    assert _found(vocab, "调成制热") == []


def test_longest_match_wins(vocab):
    assert _found(vocab, "书房台灯") == [("device", "study_desk_lamp", False)]
    assert _found(vocab, "台灯") == [("device", "bedside_lamp", False)]


def test_devices_come_from_the_bridge_with_names_falling_back(home):
    extra = DeviceInfo("garage_light", "light", "balcony", Names(("车库灯",), ("garage light",)), {})
    known = [DeviceInfo.from_home(home.devices["kitchen_light"]), extra]
    vocab = HomeVocabulary.build(home, known)
    assert _found(vocab, "打开车库灯") == [("device", "garage_light", False)]
    assert _found(vocab, "turn on the garage light") == [("device", "garage_light", False)]
    assert _found(vocab, "卧室灯") == [("room", "bedroom", False), ("type", "light", False)]  # not discovered


def test_lookups(vocab):
    assert vocab.device_room("bedroom_ac") == "bedroom"
    assert vocab.device_type("bedroom_ac") == "climate"
    assert set(vocab.devices_of("light", "bedroom")) == {"bedroom_light", "bedside_lamp"}
