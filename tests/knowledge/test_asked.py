"""What a question asks for decides the answer: the kind of figure and its units, the total
rather than a sub-limit, a feature that must be named, the device "it" points at, an elliptical
follow-up; and an honest "not found" when the manual never states the asked kind of figure."""

from __future__ import annotations

import dataclasses

import pytest

from intents.types import Intent, IntentSource
from skills.knowledge import KnowledgeBase, KnowledgeSkill
from tests.knowledge.conftest import ask, context


@pytest.fixture
def skill(shipped_base: KnowledgeBase) -> KnowledgeSkill:
    return KnowledgeSkill(shipped_base)


def honest(result) -> bool:
    return not result.citations and ("没有找到" in result.speech or "couldn't find" in result.speech)


@pytest.mark.parametrize(("question", "lang", "figure", "doc"), [
    ("扫地机的水箱能装多少水", "zh", "250 毫升", "robot_vacuum.zh"),   # capacity: the row in 毫升
    ("热水器一次能装几升水", "zh", "60 升", "water_heater.zh"),
    ("what's the top spin speed of the washing machine", "en", "1400", "washing_machine.zh"),  # speed, across languages
    ("how much suction does the robot vacuum have", "en", "4000 Pa", "robot_vacuum.zh"),
    ("净化器睡眠模式有多吵", "zh", "33 dB", "air_purifier.en"),  # noise, across languages
])
async def test_the_answer_holds_the_asked_kind_of_figure(skill, demo_home, question, lang, figure, doc) -> None:
    result = await ask(skill, demo_home, question, lang)
    assert figure in result.speech
    assert [c.doc for c in result.citations] == [doc]


async def test_a_question_for_the_most_gets_the_total_not_a_sub_limit(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "门锁一共最多能存几个指纹", "zh")
    assert "100 个" in result.speech and "管理员指纹最多 10 个" not in result.speech


@pytest.mark.parametrize(("question", "lang"), [
    ("how much is a spare remote for the tv", "en"),    # a price: no manual prints one
    ("what does a new filter for the purifier cost", "en"),
    ("扫地机扫地的时候有多吵", "zh"),                   # no noise level in the vacuum's manual
    ("空调有没有加湿功能", "zh"),                       # a feature the manual never names
])
async def test_an_asked_attribute_the_manual_never_states_is_not_answered(skill, demo_home, question, lang) -> None:
    assert honest(await ask(skill, demo_home, question, lang))


async def test_it_points_at_the_device_talked_about_and_no_other_manual_answers(skill, demo_home) -> None:
    # The curtain motor's manual prints a noise level, the vacuum's does not: "it" is the vacuum.
    result = await ask(skill, demo_home, "how noisy is it", "en", last_device="robot_vacuum")
    assert honest(result) and "robot vacuum" in result.speech


async def test_a_child_lock_is_no_door_lock(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "how do I switch off its child lock", "en", last_device="air_purifier")
    assert [c.doc for c in result.citations] == ["air_purifier.en"]
    assert "5 seconds" in result.speech


async def test_an_elliptical_follow_up_asks_the_last_question_about_the_new_part(skill, demo_home) -> None:
    ctx = dataclasses.replace(context(demo_home, "zh"), session_id="dialog-1")

    async def turn(text: str):  # the answer and the context of the next turn ("it" = what it was about)
        result = await skill.handle(Intent("kb.product_qa", {"question": text}, 0.9, IntentSource.RULES, text), ctx)
        return result, dataclasses.replace(ctx, last_device=result.about or ctx.last_device)

    first, ctx = await turn("扫地机的尘盒容量多大")
    assert "400 毫升" in first.speech
    second, ctx = await turn("那水箱呢")
    assert "250 毫升" in second.speech and second.citations[0].doc == "robot_vacuum.zh"
    # Another dialog never completes its question from this one.
    other = dataclasses.replace(ctx, session_id="dialog-2")
    alone = await skill.handle(Intent("kb.product_qa", {"question": "那水箱呢"}, 0.9, IntentSource.RULES, "那水箱呢"), other)
    assert "250 毫升" not in alone.speech
