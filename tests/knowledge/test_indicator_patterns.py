"""A light, a blink pattern or a dead button described in the asker's words finds the manual's
indicator or troubleshooting row that names it (“红色常亮 | 麦克风已静音”, “Red, 3 blinks,
repeated | Main board or software fault”), in either language; a pattern no row has is not
answered with a neighbouring one. An honest "not found" about a named device keeps that device
as the dialog's topic for the next “它”."""

from __future__ import annotations

import pytest

from skills.knowledge import KnowledgeBase, KnowledgeSkill
from skills.knowledge.signals import described
from skills.search.analysis import normalise
from tests.knowledge.conftest import ask


@pytest.fixture
def skill(shipped_base: KnowledgeBase) -> KnowledgeSkill:
    return KnowledgeSkill(shipped_base)


@pytest.mark.parametrize(("question", "lang", "fact", "doc"), [
    # Chinese about an English manual: a count said as 三下, the row writes "3 blinks".
    ("电视下面那个小红灯一直闪三下闪三下的", "zh", "Main board or software fault", "tv.en"),
    ("the curtain motor keeps doing two red blinks", "en", "Not calibrated", "curtain_motor.en"),
    ("灯带刚才红光闪了三次然后又恢复了", "zh", "Pairing failed", "light_strip.en"),
    # English about a Chinese manual: "glowing steady blue" is the row 蓝色常亮.
    ("why is the living room speaker glowing steady blue", "en", "正在聆听", "speaker.zh"),
    ("客厅音箱的灯一直是橙色的", "zh", "网络已断开", "speaker.zh"),
    # A plain "flashing red" is the plain row, not the one adding a speed (红色快闪).
    ("the desk lamp's power button light is flashing red", "en", "过热保护", "desk_lamp.zh"),
    # A behaviour, not a light: buttons that do nothing are the child lock.
    ("净化器上的按键按了都没反应", "zh", "child lock", "air_purifier.en"),
    ("my purifier ring turned blue, is that good", "en", "below 35", "air_purifier.en"),
])
async def test_a_described_sign_finds_the_row_that_names_it(skill, demo_home, question: str, lang: str,
                                                            fact: str, doc: str) -> None:
    result = await ask(skill, demo_home, question, lang)
    assert fact in result.speech
    assert [c.doc for c in result.citations] == [doc]


async def test_a_blink_count_no_row_has_is_not_answered_with_another_count(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "the tv standby light blinks red four times", "en")
    for other in ("Power supply protection", "Main board", "Backlight fault"):
        assert other not in result.speech


@pytest.mark.parametrize("told", ["红灯闪两下", "红色的灯闪了 2 次", "it blinks red twice", "two red blinks",
                                  "the light flashed red 2 times"])
def test_one_pattern_however_it_is_said(told: str) -> None:
    signal = described(normalise(told))
    assert signal is not None
    assert (signal.colours, signal.state, signal.count) == (frozenset({"red"}), "blink", 2)


@pytest.mark.parametrize("question", ["红外夜视能看多远", "蓝牙怎么连接", "can the light stay on all night",
                                      "set the strip to red"])
def test_words_that_only_look_like_a_sign_are_none(question: str) -> None:
    assert described(normalise(question)) is None


async def test_a_not_found_about_a_named_device_makes_it_the_topic(skill, demo_home) -> None:
    first = await ask(skill, demo_home, "门锁支持人脸识别吗", "zh", last_device="robot_vacuum")
    assert not first.citations and "门锁" in first.speech
    result = await ask(skill, demo_home, "它最多能录多少个指纹", "zh", last_device=first.about or "robot_vacuum")
    assert "100" in result.speech
    assert [c.doc for c in result.citations] == ["door_lock.zh"]
