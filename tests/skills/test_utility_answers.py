"""Everyday phrasings of the utility questions, heard by the real understanding and answered by the real skills:
powers ("三的五次方"), English scale words in sums ("a thousand minus 387"), a temperature scale said before its
number ("华氏98.6度"), and a day other than today ("明天星期几"). The clock is Tuesday 2026-12-01 20:00 +08:00."""

from __future__ import annotations

import pytest

from assistant.pipeline.understanding import HomeUnderstanding
from intents.types import UnderstandingContext
from skills.utilities.calculator import CalculatorSkill
from skills.utilities.clock import ClockSkill
from skills.utilities.units import UnitConversionSkill
from tests.skills.standins import HOME, NOW, context

SKILLS = {"calc.evaluate": CalculatorSkill(), "unit.convert": UnitConversionSkill(), "time.query": ClockSkill()}
UNDERSTANDING = HomeUnderstanding()


async def answer(text: str) -> tuple[str, str]:
    """(intent, spoken answer) of ``text`` asked in the demo home."""
    heard = UNDERSTANDING.understand(text, HOME, (), UnderstandingContext(now=NOW, speaker_room="living_room"))
    [intent] = heard.intents
    assert intent.name in SKILLS, f"{text!r} was heard as {intent.name} {intent.slots}"
    result = await SKILLS[intent.name].handle(intent, context(heard.lang))
    return intent.name, result.speech


@pytest.mark.parametrize("text, said", [
    ("三的五次方是多少", "243"), ("二的十次方等于几", "1024"), ("2的10次方", "1024"), ("十的三次方减一", "999"),
    ("四的负二次方是多少", "0.0625"), ("三的立方是多少", "27"), ("五的平方是多少", "25"), ("八的立方根是多少", "2"),
    ("算一下七的三次方", "343"),
    ("what's three to the power of five", "243"), ("what is 2 to the power of 10", "1024"), ("2 to the 10th power", "1024"),
    ("three to the fifth", "243"), ("what's 7 cubed", "343"), ("how much is 12 squared", "144"),
    ("the cube root of 27", "3"), ("what's the square of 12", "144"),
])
async def test_a_power_is_calculated(text, said):
    intent, speech = await answer(text)
    assert intent == "calc.evaluate" and speech.endswith(said), speech


async def test_a_power_with_an_exponent_not_understood_is_asked_again_never_answered_wrong():
    intent, speech = await answer("what's 4 to the power of half")
    assert intent == "calc.evaluate" and "couldn't make sense" in speech and "4" not in speech


@pytest.mark.parametrize("text, said", [
    ("um how much is a thousand minus 387", "613"), ("what's two thousand five hundred divided by five", "500"),
    ("a hundred times three", "300"), ("uh what is one thousand two hundred plus 300", "1500"),
    ("what's a million divided by a thousand", "1000"), ("how much is a hundred and five minus five", "100"),
    ("what is 2 thousand minus 1", "1999"),
    ("一千减三百八十七等于多少", "613"), ("一万减三百八十七", "9613"), ("两千五除以五", "500"),
])
async def test_numbers_said_with_scale_words_are_whole_numbers(text, said):
    intent, speech = await answer(text)
    assert intent == "calc.evaluate" and speech.endswith(said), speech


@pytest.mark.parametrize("text, said", [
    ("华氏98.6度是多少摄氏度", "37摄氏度"), ("华氏三十二度是几摄氏度", "0摄氏度"), ("摄氏37度是华氏多少度", "98.6华氏度"),
    ("华氏100度等于摄氏多少度", "37.78摄氏度"), ("零下四十摄氏度是多少华氏度", "-40华氏度"),
    ("98.6华氏度是多少摄氏度", "37摄氏度"),
    ("98.6 fahrenheit in celsius", "37 degrees Celsius"), ("what's 98.6 degrees fahrenheit in celsius", "37 degrees Celsius"),
    ("convert 37 celsius to fahrenheit", "98.6 degrees Fahrenheit"),
    ("how many degrees celsius is 98.6 fahrenheit", "37 degrees Celsius"),
    ("minus 40 celsius in fahrenheit", "-40 degrees Fahrenheit"), ("212 fahrenheit in celsius", "100 degrees Celsius"),
])
async def test_a_temperature_converts_whichever_side_its_scale_is_said(text, said):
    intent, speech = await answer(text)
    assert intent == "unit.convert" and speech.endswith(said), speech


@pytest.mark.parametrize("text, said", [
    ("三立方米是多少升", "3000升"), ("how many liters in 2 cubic meters", "2000 liters"),
])
async def test_cubic_meters_are_a_volume(text, said):
    intent, speech = await answer(text)
    assert intent == "unit.convert" and speech.endswith(said), speech


@pytest.mark.parametrize("text, said", [
    ("明天星期几", "明天是星期三"), ("后天星期几", "后天是星期四"), ("大后天是星期几", "大后天是星期五"),
    ("前天星期几", "前天是星期日"), ("明天几号", "明天是12月2日，星期三"), ("昨天是几号", "昨天是11月30日，星期一"),
    ("下周一是几号", "下周一是12月7日"), ("下周五是几月几号", "下周五是12月11日"), ("这周五是几号", "这周五是12月4日"),
    ("三天后是几号", "12月4日"), ("今天星期几", "今天是星期二"),
    ("what day is tomorrow", "Tomorrow is Wednesday"),
    ("what's the date the day after tomorrow", "The day after tomorrow is Thursday, December 3"),
    ("what was the date yesterday", "Yesterday was Monday, November 30"),
    ("what day of the week is it tomorrow", "Tomorrow is Wednesday"),
    ("what's the date next monday", "Next Monday is December 7"),
    ("what date is it in 3 days", "Friday, December 4"), ("what day is it", "Today is Tuesday"),
])
async def test_a_day_other_than_today_is_answered_for_that_day(text, said):
    intent, speech = await answer(text)
    assert intent == "time.query" and said in speech, speech
