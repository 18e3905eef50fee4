"""How the utility questions are heard: powers, English scale words, temperature scales said before a number,
and days relative to today (as slots, resolved against the clock only when answered); and what those words must
not take over (a thermostat setting, an area, an alarm's day). The clock is Tuesday 2026-12-01 20:00 +08:00."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from intents import en_to_number
from intents.slots.days import DaySaid, day_said

NOW = datetime.fromisoformat("2026-12-01T20:00:00+08:00")
TUESDAY = date(2026, 12, 1)



def _one(intents):
    assert len(intents) == 1, intents
    return intents[0]


@pytest.mark.parametrize("text, expression", [
    ("三的五次方是多少", "3^5"), ("2的10次方", "2^10"), ("十的三次方减一", "10^3-1"), ("四的负二次方是多少", "4^-2"),
    ("三的立方是多少", "3^3"), ("八的立方根是多少", "8^(1/3)"),
    ("what's three to the power of five", "3^5"), ("2 to the 10th power", "2^10"), ("three to the fifth", "3^5"),
    ("the cube root of 27", "27^(1/3)"),
])
def test_a_power_is_arithmetic(hear, text, expression):
    intent = _one(hear(text))
    assert (intent.name, intent.slots) == ("calc.evaluate", {"expression": expression})


@pytest.mark.parametrize("text, expression", [
    ("um how much is a thousand minus 387", "1000-387"), ("a hundred times three", "100*3"),
    ("what's two thousand five hundred divided by five", "2500/5"), ("what's a million divided by a thousand", "1000000/1000"),
    ("how much is a hundred and five minus five", "105-5"), ("一万减三百八十七", "10000-387"),
])
def test_scale_words_make_one_number(hear, text, expression):
    intent = _one(hear(text))
    assert (intent.name, intent.slots) == ("calc.evaluate", {"expression": expression})


@pytest.mark.parametrize("words, value", [
    ("a thousand", 1000), ("two thousand five hundred", 2500), ("a hundred and five", 105), ("2 thousand", 2000),
    ("one million two hundred thousand", 1_200_000), ("twenty six", 26), ("thousand", 1000), ("a lot", None),
])
def test_english_number_words(words, value):
    assert en_to_number(words) == value


@pytest.mark.parametrize("text, value, source, target", [
    ("华氏98.6度是多少摄氏度", 98.6, "fahrenheit", "celsius"), ("摄氏37度是华氏多少度", 37, "celsius", "fahrenheit"),
    ("华氏100度等于摄氏多少度", 100, "fahrenheit", "celsius"), ("零下四十摄氏度是多少华氏度", -40, "celsius", "fahrenheit"),
    ("minus 40 celsius in fahrenheit", -40, "celsius", "fahrenheit"), ("98.6 fahrenheit in celsius", 98.6, "fahrenheit", "celsius"),
])
def test_a_temperature_scale_before_or_after_its_number_is_converted(hear, text, value, source, target):
    intent = _one(hear(text))
    assert (intent.name, intent.slots) == ("unit.convert", {"value": value, "from_unit": source, "to_unit": target})


@pytest.mark.parametrize("text, slots", [
    ("把空调调到二十六度", {"value": 26, "unit": "°C"}),
    ("把空调调到华氏七十七度", {"value": 25, "unit": "°C"}),  # 77 °F, never 77 °C
    ("set the ac to 77 fahrenheit", {"value": 25, "unit": "°C"}),
])
def test_a_thermostat_setting_stays_a_device_command(hear, text, slots):
    intent = _one(hear(text))
    assert intent.name == "device.set" and {k: intent.slots[k] for k in slots} == slots


@pytest.mark.parametrize("text, units", [
    ("一百平方米等于多少亩", ("m2", "mu")), ("三立方米是多少升", ("m3", "l")),
])
def test_square_and_cubic_units_are_units_not_powers(hear, text, units):
    intent = _one(hear(text))
    assert intent.name == "unit.convert" and (intent.slots["from_unit"], intent.slots["to_unit"]) == units


@pytest.mark.parametrize("text, slots", [
    ("明天星期几", {"what": "weekday", "days": 1}), ("昨天是几号", {"what": "date", "days": -1}),
    ("下周一是几号", {"what": "date", "weekday": 0, "week": 1}), ("星期五是几号", {"what": "date", "weekday": 4}),
    ("三天后是几号", {"what": "date", "days": 3}), ("今天星期几", {"what": "weekday"}),
    ("what day is tomorrow", {"what": "weekday", "days": 1}),
    ("what's the date the day after tomorrow", {"what": "date", "days": 2}),
    ("what's the date next monday", {"what": "date", "weekday": 0, "week": 1}),
    ("a week from today what's the date", {"what": "date", "days": 7}), ("what day is it", {"what": "weekday"}),
    ("现在几点", {"what": "time"}),
])
def test_the_day_asked_about_is_a_slot(hear, text, slots):
    intent = _one(hear(text))
    assert (intent.name, intent.slots) == ("time.query", slots)


@pytest.mark.parametrize("text, lang, days", [
    ("下周一", "zh", 6), ("周一", "zh", 6), ("这周一", "zh", -1), ("上周五", "zh", -4), ("下下周二", "zh", 14),
    ("星期天", "zh", 5), ("大后天", "zh", 3), ("大前天", "zh", -3), ("过两天", "zh", 2), ("两周后", "zh", 14),
    ("三天前", "zh", -3), ("next monday", "en", 6), ("this friday", "en", 3), ("last friday", "en", -4),
    ("tuesday", "en", 0), ("the day before yesterday", "en", -2), ("in 3 days", "en", 3), ("two weeks ago", "en", -14),
])
def test_a_day_said_is_counted_from_today(text, lang, days):
    said = day_said(text, lang)
    assert said is not None and said.days_from(TUESDAY) == days


@pytest.mark.parametrize("slots", [{"days": True}, {"days": 10**9}, {"weekday": 7}, {"weekday": "monday"},
                                   {"weekday": 1, "week": 1.5}, {}])
def test_a_day_slot_that_cannot_be_is_none(slots):
    assert DaySaid.from_slots(slots) is None


@pytest.mark.parametrize("text, at", [
    ("下周一早上七点叫我起床", "2026-12-07T07:00:00+08:00"),  # six days on, not thirteen
    ("set an alarm for next monday at 7 am", "2026-12-07T07:00:00+08:00"),
    ("明天早上七点叫我起床", "2026-12-02T07:00:00+08:00"),
])
def test_an_alarm_on_a_day_said_relative_to_today(hear, text, at):
    intent = _one(hear(text))
    assert (intent.name, intent.slots.get("datetime")) == ("alarm.set", at)


@pytest.mark.parametrize("text, at, content", [
    ("三天后早上八点提醒我交房租", "2026-12-04T08:00:00+08:00", "交房租"),
    ("周五下午三点提醒我开会", "2026-12-04T15:00:00+08:00", "开会"),
])
def test_a_reminder_on_a_day_said_relative_to_today(hear, text, at, content):
    intent = _one(hear(text))
    assert (intent.name, intent.slots.get("datetime"), intent.slots.get("content")) == ("reminder.set", at, content)
