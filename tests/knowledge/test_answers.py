"""Answers from the shipped manuals: the fact and its source, in zh and en, across languages,
for follow-ups, for fault codes shared by several products, and honest answers when the
manuals do not say."""

from __future__ import annotations

import dataclasses

import pytest

from domain.errors import LlmError, LlmErrorCode
from skills.knowledge import Composed, KnowledgeBase, KnowledgeSkill
from tests.knowledge.conftest import ask


@pytest.fixture
def skill(shipped_base: KnowledgeBase) -> KnowledgeSkill:
    return KnowledgeSkill(shipped_base)


def cited(result, doc: str, section: str) -> bool:
    return any(c.doc == doc and c.section.startswith(section) for c in result.citations)


async def test_chinese_question_chinese_manual(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "扫地机器人的滤网多久换一次", "zh")
    assert "每 3 个月更换" in result.speech
    assert cited(result, "robot_vacuum.zh", "6 清洁与保养")
    assert "embedded" in result.route_note and "extractive" in result.route_note


async def test_english_question_english_manual(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "what does E3 mean on the air purifier", "en")
    assert "Filter missing or not recognised" in result.speech
    assert cited(result, "air_purifier.en", "7. Error codes")


async def test_english_question_about_a_chinese_manual_quotes_it_and_names_it(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "how much does the robot vacuum weigh", "en")
    assert "3.6 千克" in result.speech and "manual is in Chinese" in result.speech
    assert cited(result, "robot_vacuum.zh", "9 规格参数")


async def test_chinese_question_about_an_english_manual(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "空气净化器的滤芯多久换一次", "zh")
    assert "6 months" in result.speech and "英文" in result.speech
    assert cited(result, "air_purifier.en", "6. Cleaning and maintenance")


@pytest.mark.parametrize(("last_device", "fact", "doc"), [
    ("robot_vacuum", "每 3 个月更换", "robot_vacuum.zh"),
    ("air_purifier", "6 months", "air_purifier.en"),
])
async def test_a_follow_up_asks_about_the_last_device_and_never_the_other(skill, demo_home, last_device: str,
                                                                           fact: str, doc: str) -> None:
    result = await ask(skill, demo_home, "它的滤网多久换", "zh", last_device=last_device)
    assert fact in result.speech
    assert [c.doc for c in result.citations] == [doc]


async def test_the_product_slot_targets_the_manual(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "过滤网多久清洗一次", "zh", slots={"product": "living_room_ac"})
    assert "2 周" in result.speech
    assert cited(result, "air_conditioner.zh", "5 清洁与保养")


@pytest.mark.parametrize(("text", "meaning", "doc"), [
    ("扫地机器人显示 E1 是什么意思", "驱动轮卡住", "robot_vacuum.zh"),
    ("空调 E1 是什么故障", "室内温度传感器故障", "air_conditioner.zh"),
    ("what does E1 mean on the door lock", "电机堵转", "door_lock.zh"),
])
async def test_a_fault_code_is_read_from_the_named_products_manual(skill, demo_home, text: str, meaning: str,
                                                                   doc: str) -> None:
    result = await ask(skill, demo_home, text, "en" if text.isascii() else "zh")
    assert meaning in result.speech
    assert [c.doc for c in result.citations] == [doc]


async def test_a_fault_code_of_several_products_without_a_device_asks_which(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "E1 是什么意思", "zh")
    assert result.awaiting == "clarification"
    assert {"robot_vacuum", "living_room_ac", "front_door_lock"} <= set(result.candidates)
    assert "哪个设备" in result.speech and not result.citations


async def test_a_code_the_manual_lacks_is_not_invented(skill, demo_home) -> None:
    result = await ask(skill, demo_home, "扫地机器人显示 E9 怎么办", "zh")
    assert "没有找到故障代码 E9" in result.speech and not result.citations


@pytest.mark.parametrize(("text", "lang", "phrase"), [
    ("扫地机器人的价格是多少", "zh", "说明书里没有找到"),
    ("电视的滤网多久换一次", "zh", "说明书里没有找到"),
    ("空气净化器能除甲醛吗", "zh", "说明书里没有找到"),
    ("what is the price of the air purifier", "en", "I couldn't find that in the manual for the"),
    ("how loud is the water heater", "en", "I couldn't find that"),
])
async def test_what_the_manual_does_not_say_is_answered_honestly(skill, demo_home, text: str, lang: str,
                                                                  phrase: str) -> None:
    result = await ask(skill, demo_home, text, lang)
    assert phrase in result.speech
    assert result.citations == ()


@pytest.mark.parametrize(("text", "lang", "phrase"), [
    ("洗碗机的滤网怎么清洗", "zh", "没有找到洗碗机的说明书"),
    ("how do I clean the fridge", "en", "I couldn't find a manual for the fridge"),
    ("床头灯的功率是多少", "zh", "没有找到床头灯的说明书"),
])
async def test_a_product_without_a_manual_in_this_home_is_said_so(skill, demo_home, text: str, lang: str,
                                                                   phrase: str) -> None:
    result = await ask(skill, demo_home, text, lang)
    assert phrase in result.speech and result.citations == ()


class FakeComposer:
    """Answers as the ``tier`` LLM with a fixed text (or fails), recording what it was given."""

    def __init__(self, text: str, tier: str = "edge", fail: bool = False) -> None:
        self.text = text
        self.tier = tier
        self.fail = fail
        self.calls: list[tuple[str, str, str, bool]] = []

    async def compose(self, question: str, passage: str, context: str, lang: str, timeout_s: float, *,
                      local_only: bool) -> Composed:
        self.calls.append((question, passage, lang, local_only))
        if self.fail:
            raise LlmError(LlmErrorCode.UNAVAILABLE, "cloud unavailable")
        return Composed(self.text, self.tier)


async def test_a_composed_answer_is_used_only_when_the_passage_backs_it(shipped_base, demo_home) -> None:
    honest = FakeComposer("扫地机的滤网大约每 3 个月换一次。")
    result = await ask(KnowledgeSkill(shipped_base, honest), demo_home, "扫地机器人的滤网多久换一次", "zh")
    assert result.speech == "根据扫地机器人 X10说明书：扫地机的滤网大约每 3 个月换一次。"
    assert result.route_note.startswith("knowledge: embedded search")
    assert "composed by the edge LLM" in result.route_note and result.citations[0].doc == "robot_vacuum.zh"
    assert "滤网建议每 3 个月更换一次" in honest.calls[0][1]

    inventive = FakeComposer("扫地机的滤网每 6 个月换一次。", tier="cloud")
    result = await ask(KnowledgeSkill(shipped_base, inventive), demo_home, "扫地机器人的滤网多久换一次", "zh")
    assert "每 3 个月更换" in result.speech and result.citations[0].doc == "robot_vacuum.zh"
    assert "extractive (the cloud LLM's answer names 6" in result.route_note


async def test_without_a_reachable_llm_the_answer_is_extractive_and_says_why(shipped_base, demo_home) -> None:
    down = FakeComposer("", tier="cloud", fail=True)
    result = await ask(KnowledgeSkill(shipped_base, down), demo_home, "扫地机器人的滤网多久换一次", "zh")
    assert "每 3 个月更换" in result.speech and result.citations[0].doc == "robot_vacuum.zh"
    assert "no LLM answered: cloud unavailable" in result.route_note


async def test_a_manual_in_the_other_language_is_quoted_not_rephrased(shipped_base, demo_home) -> None:
    composer = FakeComposer("The filter lasts 3 months.")
    result = await ask(KnowledgeSkill(shipped_base, composer), demo_home, "how often should I replace the robot vacuum filter", "en")
    assert "robot_vacuum.zh" in [c.doc for c in result.citations] and composer.calls == []
    assert "the manual is in the other language" in result.route_note


async def test_a_local_only_home_is_composed_for_with_the_cloud_kept_out(shipped_base, demo_home) -> None:
    composer = FakeComposer("扫地机的滤网大约每 3 个月换一次。")
    home = dataclasses.replace(demo_home, privacy="local_only")
    await ask(KnowledgeSkill(shipped_base, composer), home, "扫地机器人的滤网多久换一次", "zh")
    assert composer.calls[0][3] is True
