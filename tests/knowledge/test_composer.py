"""The check a composed answer must pass before it is spoken instead of the extractive one."""

from __future__ import annotations

import pytest

from skills.knowledge import fault

FILTER = ["滤网建议每 3 个月更换一次，尘盒每次使用后清空。", "X10"]
FILTER_CONTEXT = ["6 清洁与保养", "扫地机器人 X10", "扫地机器人的滤网多久换一次"]
FILTER_FACT = "滤网建议每 3 个月更换一次，尘盒每次使用后清空"
LIFE = ["Filter life is 4,380 hours, about 6 months of daily use. Replace the filter when the indicator turns red.",
        "AP-300"]
LIFE_CONTEXT = ["5 Maintenance", "Air Purifier AP-300", "how long does the purifier filter last"]
CONTEXT = {"zh": FILTER_CONTEXT, "en": LIFE_CONTEXT}
LIFE_FACT = "Filter life is 4,380 hours, about 6 months of daily use"


@pytest.mark.parametrize(("answer", "fact", "support", "lang"), [
    ("扫地机的滤网大约每 3 个月换一次。", FILTER_FACT, FILTER, "zh"),
    ("滤网每3个月更换一次。", FILTER_FACT, FILTER, "zh"),
    ("The filter lasts about 4380 hours, roughly 6 months of daily use.", LIFE_FACT, LIFE, "en"),
    ("Replace the AP-300 filter after about 6 months; it lasts 4,380 hours.", LIFE_FACT, LIFE, "en"),
])
def test_a_faithful_paraphrase_passes(answer: str, fact: str, support: list[str], lang: str) -> None:
    assert fault(answer, fact, support, lang, CONTEXT[lang]) == ""


@pytest.mark.parametrize(("answer", "fact", "support", "lang", "why"), [
    ("扫地机的滤网每 6 个月换一次。", FILTER_FACT, FILTER, "zh", "names 6"),
    ("The filter lasts about 8760 hours.", LIFE_FACT, LIFE, "en", "names 8760"),
    ("The AP-500 filter lasts 6 months.", LIFE_FACT, LIFE, "en", "names 500, ap-500"),
    ("滤网每 6 个月更换一次。", FILTER_FACT, FILTER, "zh", "names 6"),  # the heading's "6" is no figure
    ("出现 E9 时请更换滤网。", FILTER_FACT, FILTER, "zh", "names 9, e9"),
])
def test_an_invented_number_code_or_model_fails(answer: str, fact: str, support: list[str], lang: str,
                                                 why: str) -> None:
    assert fault(answer, fact, support, lang, CONTEXT[lang]).startswith(why)


@pytest.mark.parametrize(("answer", "fact", "support", "lang"), [
    ("扫地机可以连接手机应用远程控制，还能语音唤醒。", FILTER_FACT, FILTER, "zh"),
    ("滤网多久更换取决于家里的灰尘情况和宠物毛发。", FILTER_FACT, FILTER, "zh"),
    ("The purifier connects to your phone app and supports voice control.", LIFE_FACT, LIFE, "en"),
])
def test_an_answer_about_something_the_passage_does_not_say_fails(answer: str, fact: str, support: list[str],
                                                                  lang: str) -> None:
    assert "speaks of what the passage does not" in fault(answer, fact, support, lang, CONTEXT[lang])


def test_an_answer_that_drops_the_figure_asked_for_fails() -> None:
    assert fault("滤网需要定期更换。", FILTER_FACT, FILTER, "zh", FILTER_CONTEXT).startswith("leaves out the passage's figures")


@pytest.mark.parametrize(("answer", "lang"), [
    ("滤网建议每 3 个月更换一次。" * 8, "zh"),
    ("Filter life is 4,380 hours, about 6 months of daily use. " * 6, "en"),
])
def test_a_rambling_answer_fails_even_when_every_word_is_in_the_passage(answer: str, lang: str) -> None:
    fact, support = (FILTER_FACT, FILTER) if lang == "zh" else (LIFE_FACT, LIFE)
    assert fault(answer, fact, support, lang, CONTEXT[lang]).startswith("is too long to speak")


@pytest.mark.parametrize("answer", ["", "  \n "])
def test_an_empty_answer_fails(answer: str) -> None:
    assert fault(answer, FILTER_FACT, FILTER, "zh") == "is empty"
