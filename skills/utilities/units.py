"""unit.convert: lengths, masses, temperatures, volumes, speeds and areas, Chinese units included.

Every unit is a factor to its dimension's base unit (temperatures are offsets as well),
so any two units of one dimension convert and two of different dimensions are refused
with a sentence that says why, rather than a made-up number.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from intents.lexicon import CURRENCY
from intents.types import Intent
from skills.devices.slot_values import number_slot
from skills.sdk import Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult

_LOGGER = logging.getLogger(__name__)

#: unit id -> (dimension, factor to the dimension's base unit)
FACTORS: dict[str, tuple[str, float]] = {
    "m": ("length", 1.0), "km": ("length", 1000.0), "cm": ("length", 0.01), "mm": ("length", 0.001),
    "mile": ("length", 1609.344), "foot": ("length", 0.3048), "inch": ("length", 0.0254),
    "li": ("length", 500.0), "chi": ("length", 1 / 3),
    "kg": ("mass", 1.0), "g": ("mass", 0.001), "jin": ("mass", 0.5), "liang": ("mass", 0.05),
    "pound": ("mass", 0.45359237), "ounce": ("mass", 0.028349523125),
    "l": ("volume", 1.0), "ml": ("volume", 0.001), "gallon": ("volume", 3.785411784), "m3": ("volume", 1000.0),
    "km/h": ("speed", 1 / 3.6), "m/s": ("speed", 1.0), "mph": ("speed", 0.44704),
    "m2": ("area", 1.0), "mu": ("area", 10000 / 15), "acre": ("area", 4046.8564224), "hectare": ("area", 10000.0),
    "celsius": ("temperature", 1.0), "fahrenheit": ("temperature", 5 / 9), "kelvin": ("temperature", 1.0),
}

#: unit id -> (zh, en singular, en plural)
NAMES = {
    "m": ("米", "meter", "meters"), "km": ("公里", "kilometer", "kilometers"), "cm": ("厘米", "centimeter", "centimeters"),
    "mm": ("毫米", "millimeter", "millimeters"), "mile": ("英里", "mile", "miles"), "foot": ("英尺", "foot", "feet"),
    "inch": ("英寸", "inch", "inches"), "li": ("里", "li", "li"), "chi": ("尺", "chi", "chi"),
    "kg": ("公斤", "kilogram", "kilograms"), "g": ("克", "gram", "grams"), "jin": ("斤", "jin", "jin"),
    "liang": ("两", "liang", "liang"), "pound": ("磅", "pound", "pounds"), "ounce": ("盎司", "ounce", "ounces"),
    "l": ("升", "liter", "liters"), "ml": ("毫升", "milliliter", "milliliters"), "gallon": ("加仑", "gallon", "gallons"),
    "m3": ("立方米", "cubic meter", "cubic meters"),
    "km/h": ("公里每小时", "kilometer per hour", "kilometers per hour"), "m/s": ("米每秒", "meter per second", "meters per second"),
    "mph": ("英里每小时", "mile per hour", "miles per hour"), "m2": ("平方米", "square meter", "square meters"),
    "mu": ("亩", "mu", "mu"), "acre": ("英亩", "acre", "acres"), "hectare": ("公顷", "hectare", "hectares"),
    "celsius": ("摄氏度", "degree Celsius", "degrees Celsius"), "fahrenheit": ("华氏度", "degree Fahrenheit", "degrees Fahrenheit"),
    "kelvin": ("开尔文", "kelvin", "kelvins"),
}

DIMENSIONS = {"length": ("长度", "a length"), "mass": ("重量", "a weight"), "temperature": ("温度", "a temperature"),
              "volume": ("容量", "a volume"), "speed": ("速度", "a speed"), "area": ("面积", "an area")}

#: Spellings a careless producer might send instead of the canonical ids.
ALIASES = {
    "meter": "m", "metre": "m", "kilometer": "km", "kilometre": "km", "feet": "foot", "ft": "foot", "in": "inch",
    "mi": "mile", "miles": "mile", "kilogram": "kg", "gram": "g", "lb": "pound", "lbs": "pound", "oz": "ounce",
    "c": "celsius", "°c": "celsius", "f": "fahrenheit", "°f": "fahrenheit", "k": "kelvin", "liter": "l", "litre": "l",
    "kph": "km/h", "kmh": "km/h", "ha": "hectare", "sqm": "m2", "m^2": "m2", "㎡": "m2",
    "m^3": "m3", "㎥": "m3", "cubic meter": "m3", "cubic metre": "m3",
}

ZERO_KELVIN_C = -273.15


def canonical(unit: Any) -> str | None:
    if not isinstance(unit, str):
        return None
    key = unit.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in FACTORS else None


def to_celsius(value: float, unit: str) -> float:
    if unit == "fahrenheit":
        return (value - 32) * 5 / 9
    if unit == "kelvin":
        return value + ZERO_KELVIN_C
    return value


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (both canonical, one dimension)."""
    dimension = FACTORS[from_unit][0]
    if dimension != "temperature":
        return value * FACTORS[from_unit][1] / FACTORS[to_unit][1]
    celsius = to_celsius(value, from_unit)
    if to_unit == "fahrenheit":
        return celsius * 9 / 5 + 32
    if to_unit == "kelvin":
        return celsius - ZERO_KELVIN_C
    return celsius


def tidy(value: float) -> tuple[str, bool]:
    """The number to say and whether it is rounded: (1000, False), (1.61, True), (0.4536, True).

    Two decimals from 1 up, four significant digits below 1: enough to be useful aloud.
    """
    exact = float(f"{value:.10g}")
    if exact.is_integer() and abs(exact) < 1e15:
        return str(int(exact)), False
    if abs(value) >= 1e15 or (value != 0 and abs(value) < 1e-4):
        return f"{value:.4g}", True
    short = round(exact, 2) if abs(exact) >= 1 else float(f"{exact:.4g}")
    digits = f"{short:.6f}".rstrip("0").rstrip(".")
    return digits, not math.isclose(short, exact, rel_tol=1e-12)


def name(unit: str, lang: str, said: str = "") -> str:
    """The unit's word; in English singular only after a number said as exactly "1"."""
    zh, one, many = NAMES[unit]
    return zh if lang == "zh" else (one if said == "1" else many)


class UnitConversionSkill:
    """Converts a value between two units of the same kind."""

    manifest = SkillManifest(
        name="units",
        kind=SkillKind.TOOL,
        intents=("unit.convert",),
        description="Unit conversion: length, mass, temperature, volume, speed, area (metric, imperial, Chinese).",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        slots = intent.slots
        if CURRENCY.search(" ".join(str(x) for x in (intent.text, slots.get("from_unit"), slots.get("to_unit")) if x)):
            return SkillResult(ctx.say("汇率每天都在变，我这里查不到实时汇率，没法换算货币",
                                       "I can't convert currencies: that needs today's exchange rates, which I don't have"))
        value = number_slot(slots.get("value"))
        from_unit, to_unit = canonical(slots.get("from_unit")), canonical(slots.get("to_unit"))
        for raw, unit in ((slots.get("from_unit"), from_unit), (slots.get("to_unit"), to_unit)):
            if unit is None and raw in (None, ""):
                return SkillResult(ctx.say("要换算成什么单位？", "Which units should I convert between?"), awaiting=Awaiting.CLARIFICATION)
            if unit is None:
                return SkillResult(ctx.say(f"我还不认识“{raw}”这个单位", f"I don't know the unit \"{raw}\""))
        if from_unit is None or to_unit is None:  # unreachable; keeps the type checker honest
            return SkillResult(ctx.say("要换算成什么单位？", "Which units should I convert between?"), awaiting=Awaiting.CLARIFICATION)
        if value is None:
            return SkillResult(ctx.say(f"要换算多少{name(from_unit, 'zh')}？", f"How many {name(from_unit, 'en')} should I convert?"),
                               awaiting=Awaiting.CLARIFICATION)
        dim_from, dim_to = FACTORS[from_unit][0], FACTORS[to_unit][0]
        if dim_from != dim_to:
            zh_a, en_a = DIMENSIONS[dim_from]
            zh_b, en_b = DIMENSIONS[dim_to]
            return SkillResult(ctx.say(
                f"{name(from_unit, 'zh')}是{zh_a}单位，{name(to_unit, 'zh')}是{zh_b}单位，没法换算",
                f"I can't convert {name(from_unit, 'en')} to {name(to_unit, 'en')}: one is {en_a}, the other {en_b}",
            ))
        if dim_from == "temperature" and to_celsius(value, from_unit) < ZERO_KELVIN_C - 1e-9:
            return SkillResult(ctx.say("这比绝对零度还低，不存在这样的温度", "That's below absolute zero, so no such temperature exists"))
        result = convert(value, from_unit, to_unit)
        given, _ = tidy(value)
        said, rounded = tidy(result)
        _LOGGER.debug("unit.convert %s %s -> %s %s", value, from_unit, result, to_unit)
        if ctx.lang == "zh":
            return SkillResult(f"{given}{name(from_unit, 'zh')}{'约' if rounded else ''}等于{said}{name(to_unit, 'zh')}")
        return SkillResult(f"{given} {name(from_unit, 'en', given)} is {'about ' if rounded else ''}{said} {name(to_unit, 'en', said)}")


