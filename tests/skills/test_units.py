"""Unit conversion: the numbers, the words, and refusals that say why."""

import math
from datetime import datetime, timedelta, timezone

import pytest

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.utilities.units import FACTORS, NAMES, UnitConversionSkill, convert
from tests.skills.standins import context

HOME = load_demo_home()
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=timezone(timedelta(hours=8)))



async def ask(lang, **slots):
    ctx = context(lang)
    return await UnitConversionSkill().handle(Intent("unit.convert", slots, 0.99, IntentSource.RULES), ctx)


def test_every_unit_has_words():
    assert set(FACTORS) == set(NAMES)


@pytest.mark.parametrize(
    "value, source, target, expected",
    [
        (1, "mile", "km", 1.609344),
        (1, "km", "m", 1000),
        (1, "li", "m", 500),
        (3, "chi", "m", 1),
        (1, "jin", "g", 500),
        (1, "jin", "liang", 10),
        (1, "pound", "kg", 0.45359237),
        (16, "ounce", "pound", 1),
        (100, "fahrenheit", "celsius", 37.77777777777778),
        (0, "celsius", "kelvin", 273.15),
        (-40, "celsius", "fahrenheit", -40),
        (300, "kelvin", "fahrenheit", 80.33),
        (1, "gallon", "l", 3.785411784),
        (36, "km/h", "m/s", 10),
        (60, "mph", "km/h", 96.56064),
        (15, "mu", "hectare", 1),
        (1, "acre", "m2", 4046.8564224),
        (12, "inch", "foot", 1),
    ],
)
def test_conversions(value, source, target, expected):
    assert math.isclose(convert(value, source, target), expected, rel_tol=1e-9)


@pytest.mark.parametrize(
    "lang, slots, speech",
    [
        ("zh", {"value": 1, "from_unit": "mile", "to_unit": "km"}, "1英里约等于1.61公里"),
        ("en", {"value": 1, "from_unit": "mile", "to_unit": "km"}, "1 mile is about 1.61 kilometers"),
        ("zh", {"value": 100, "from_unit": "fahrenheit", "to_unit": "celsius"}, "100华氏度约等于37.78摄氏度"),
        ("en", {"value": 100, "from_unit": "fahrenheit", "to_unit": "celsius"}, "100 degrees Fahrenheit is about 37.78 degrees Celsius"),
        ("zh", {"value": 2, "from_unit": "jin", "to_unit": "kg"}, "2斤等于1公斤"),
        ("en", {"value": 2, "from_unit": "jin", "to_unit": "kg"}, "2 jin is 1 kilogram"),
        ("zh", {"value": 1.5, "from_unit": "km", "to_unit": "li"}, "1.5公里等于3里"),
        ("en", {"value": "12", "from_unit": "inch", "to_unit": "foot"}, "12 inches is 1 foot"),
        ("en", {"value": 1, "from_unit": "foot", "to_unit": "cm"}, "1 foot is 30.48 centimeters"),
        ("zh", {"value": 10, "from_unit": "mu", "to_unit": "m2"}, "10亩约等于6666.67平方米"),
        ("en", {"value": 100, "from_unit": "km/h", "to_unit": "mph"}, "100 kilometers per hour is about 62.14 miles per hour"),
        ("en", {"value": 1, "from_unit": "pound", "to_unit": "kg"}, "1 pound is about 0.4536 kilograms"),
        ("zh", {"value": 1, "from_unit": "liang", "to_unit": "ounce"}, "1两约等于1.76盎司"),
        ("en", {"value": 0, "from_unit": "kelvin", "to_unit": "celsius"}, "0 kelvins is -273.15 degrees Celsius"),
        ("en", {"value": 5, "from_unit": "Miles", "to_unit": "KM"}, "5 miles is about 8.05 kilometers"),  # lenient ids
    ],
)
async def test_spoken_answers(lang, slots, speech):
    result = await ask(lang, **slots)
    assert result.speech == speech and not result.actions and result.awaiting is None


@pytest.mark.parametrize(
    "lang, slots, speech",
    [
        ("zh", {"value": 1, "from_unit": "kg", "to_unit": "km"}, "公斤是重量单位，公里是长度单位，没法换算"),
        ("en", {"value": 1, "from_unit": "kg", "to_unit": "km"},
         "I can't convert kilograms to kilometers: one is a weight, the other a length"),
        ("en", {"value": 3, "from_unit": "celsius", "to_unit": "l"},
         "I can't convert degrees Celsius to liters: one is a temperature, the other a volume"),
        ("zh", {"value": 1, "from_unit": "parsec", "to_unit": "km"}, "我还不认识“parsec”这个单位"),
        ("en", {"value": -300, "from_unit": "celsius", "to_unit": "kelvin"}, "That's below absolute zero, so no such temperature exists"),
    ],
)
async def test_impossible_conversions_say_why(lang, slots, speech):
    result = await ask(lang, **slots)
    assert result.speech == speech and result.awaiting is None


@pytest.mark.parametrize(
    "slots, speech",
    [
        ({"from_unit": "mile", "to_unit": "km"}, "要换算多少英里？"),
        ({"value": "lots", "from_unit": "mile", "to_unit": "km"}, "要换算多少英里？"),
        ({"value": float("nan"), "from_unit": "mile", "to_unit": "km"}, "要换算多少英里？"),
        ({"value": 1, "from_unit": "mile"}, "要换算成什么单位？"),
        ({}, "要换算成什么单位？"),
    ],
)
async def test_missing_slots_are_asked_for(slots, speech):
    result = await ask("zh", **slots)
    assert result.speech == speech and result.awaiting == "clarification"
