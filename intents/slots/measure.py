"""Slots of unit conversion, the speaker's own volume and time questions.

Unit words map to the canonical ids of skills/units.py (``mile``, ``km``, ``jin``,
``fahrenheit`` …). The unit said right after the number is what is converted from; the
other one is the target, whatever the word order ("一英里等于多少公里", "how many
kilometers is a mile", "100 fahrenheit in celsius").
"""

from __future__ import annotations

import logging
import re
from typing import Any

from intents.slots.days import day_said
from intents.slots.time import NUM_EN, NUM_ZH, number

_LOGGER = logging.getLogger(__name__)

Slots = dict[str, Any]

# Longest first: 公里每小时 before 公里, 英里 before 里.
_UNITS_ZH = (
    ("公里每小时", "km/h"), ("千米每小时", "km/h"), ("公里每时", "km/h"), ("英里每小时", "mph"), ("米每秒", "m/s"),
    ("平方米", "m2"), ("平米", "m2"), ("立方厘米", "ml"), ("立方分米", "l"), ("立方米", "m3"), ("立方", "m3"),
    ("摄氏度", "celsius"), ("华氏度", "fahrenheit"), ("开尔文", "kelvin"),
    ("公里", "km"), ("千米", "km"), ("厘米", "cm"), ("毫米", "mm"), ("英里", "mile"), ("英尺", "foot"),
    ("英寸", "inch"), ("公斤", "kg"), ("千克", "kg"), ("毫升", "ml"), ("加仑", "gallon"), ("盎司", "ounce"),
    ("英亩", "acre"), ("公顷", "hectare"), ("磅", "pound"), ("亩", "mu"), ("斤", "jin"), ("克", "g"),
    ("升", "l"), ("米", "m"), ("尺", "chi"), ("里", "li"), ("两", "liang"),
)
_UNITS_EN = (
    ("kilometers per hour", "km/h"), ("kilometres per hour", "km/h"), ("km h", "km/h"), ("kph", "km/h"),
    ("miles per hour", "mph"), ("mph", "mph"), ("meters per second", "m/s"), ("m s", "m/s"),
    ("square meters", "m2"), ("square metres", "m2"), ("sq m", "m2"),
    ("cubic meters", "m3"), ("cubic metres", "m3"), ("cubic meter", "m3"), ("cubic metre", "m3"),
    ("degrees celsius", "celsius"), ("degrees fahrenheit", "fahrenheit"), ("celsius", "celsius"),
    ("centigrade", "celsius"), ("fahrenheit", "fahrenheit"), ("kelvin", "kelvin"),
    ("kilometers", "km"), ("kilometres", "km"), ("kilometer", "km"), ("kilometre", "km"), ("kms", "km"), ("km", "km"),
    ("centimeters", "cm"), ("centimetres", "cm"), ("centimeter", "cm"), ("cm", "cm"),
    ("millimeters", "mm"), ("millimeter", "mm"), ("mm", "mm"), ("miles", "mile"), ("mile", "mile"),
    ("meters", "m"), ("metres", "m"), ("meter", "m"), ("metre", "m"), ("feet", "foot"), ("foot", "foot"),
    ("ft", "foot"), ("inches", "inch"), ("inch", "inch"), ("kilograms", "kg"), ("kilogram", "kg"), ("kilos", "kg"),
    ("kilo", "kg"), ("kg", "kg"), ("grams", "g"), ("gram", "g"), ("pounds", "pound"), ("pound", "pound"),
    ("lbs", "pound"), ("lb", "pound"), ("ounces", "ounce"), ("ounce", "ounce"), ("oz", "ounce"),
    ("milliliters", "ml"), ("millilitres", "ml"), ("ml", "ml"), ("liters", "l"), ("litres", "l"), ("liter", "l"),
    ("litre", "l"), ("gallons", "gallon"), ("gallon", "gallon"), ("acres", "acre"), ("acre", "acre"),
    ("hectares", "hectare"), ("hectare", "hectare"), ("jin", "jin"), ("mu", "mu"),
    ("degrees", "celsius"), ("m", "m"), ("g", "g"), ("l", "l"), ("f", "fahrenheit"), ("c", "celsius"),
)
_UNIT_RE = {
    "zh": re.compile("|".join(re.escape(w) for w, _ in _UNITS_ZH)),
    "en": re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w) for w, _ in _UNITS_EN) + r")(?![a-z])"),
}
_UNIT_ID = {"zh": dict(_UNITS_ZH), "en": dict(_UNITS_EN)}
_NUM_RE = {"zh": re.compile(rf"\d+(?:\.\d+)?|{NUM_ZH}(?:点[零一二三四五六七八九]+)?"),
           "en": re.compile(rf"(?<![a-z])(?:{NUM_EN})(?![a-z])")}


#: A temperature scale said before its number ("华氏98.6度", "摄氏零下四十度") or without 度 ("摄氏多少度"): put as
#: the unit words say it after a number ("98.6华氏度"), so the number is read with its scale.
_SCALE_FIRST_ZH = re.compile(rf"(华氏|摄氏)(?:温度)?((?:零下|负)?(?:\d+(?:\.\d+)?|{NUM_ZH}(?:点[零一二三四五六七八九]+)?))度")
_SCALE_ALONE_ZH = re.compile(r"(华氏|摄氏)(?!度)")
#: A temperature below zero: "零下四十", "负40", "minus 40", "negative forty".
_BELOW_ZERO = {"zh": re.compile(r"(?:零下|负)$"), "en": re.compile(r"(?<![a-z])(?:minus|negative) $")}


def unit_slots(text: str, lang: str) -> Slots:
    """``value``, ``from_unit``, ``to_unit`` (canonical ids); what is missing is left out."""
    if lang == "zh":
        text = _SCALE_ALONE_ZH.sub(r"\1度", _SCALE_FIRST_ZH.sub(r"\2\1度", text))
    units: list[tuple[int, int, str]] = []
    for m in _UNIT_RE[lang].finditer(text):
        if lang == "zh" and m.group(0) == "两" and not (m.start() and re.match(NUM_ZH, text[m.start() - 1])):
            continue  # 两 is "two" unless a number comes before it (三两 = 3 liang)
        units.append((m.start(), m.end(), _UNIT_ID[lang][m.group(0)]))
    value, from_unit = None, None
    for m in _NUM_RE[lang].finditer(text):
        if any(s <= m.start() < e for s, e, _ in units):
            continue
        candidate = number(m.group(0).replace("点", ".") if re.fullmatch(r"[\d点]+", m.group(0)) else m.group(0))
        if candidate is None:
            continue
        if _BELOW_ZERO[lang].search(text, 0, m.start()):
            candidate = -candidate
        after = [u for u in units if 0 <= u[0] - m.end() <= 2]
        if after:
            value, from_unit = candidate, after[0]
            break
        if value is None:
            value = candidate
    slots: Slots = {}
    if from_unit is None and units:
        # "how many kilometers is a mile": the number-less unit after "is/in" is the source
        from_unit = units[-1] if lang == "en" and re.search(r"how many|how much", text) else units[0]
        value = 1 if value is None else value
    if value is not None:
        slots["value"] = int(value) if float(value).is_integer() else value
    if from_unit is not None:
        slots["from_unit"] = from_unit[2]
        # another unit is the target; one spelled otherwise may be the same ("一百立方厘米是多少毫升")
        others = [u for u in units if u is not from_unit and u[2] != from_unit[2]] or [u for u in units if u is not from_unit]
        if others:
            slots["to_unit"] = others[0][2]
    return slots


# ---- the speaker's volume --------------------------------------------------------------------------
_VOL_MAX = re.compile(r"最大|最高|(?<![a-z])(?:max|maximum|full)(?![a-z])")
_VOL_MIN = re.compile(r"静音|最小|最低|(?<![a-z])(?:mute|silent|min|minimum)(?![a-z])")
_VOL_UP = re.compile(r"大|高|响|加|(?<![a-z])(?:up|louder|increase|raise|speak up|higher|can't hear)(?![a-z])")
_VOL_DOWN = re.compile(r"小|低|轻|减|降|吵|(?<![a-z])(?:down|quieter|lower|decrease|reduce|softer|too loud)(?![a-z])")
_VOL_VALUE = re.compile(rf"(?:调到|调成|设为|设成|设到|到|音量|(?<![a-z])(?:to|at|volume))\s*(?P<n>\d+|{NUM_ZH}|{NUM_EN})"
                        r"(?:\s*(?:%|percent))?\s*$")
_VOL_AMOUNT = re.compile(rf"(?P<n>\d+|{NUM_ZH}|(?<![a-z])(?:{NUM_EN})(?![a-z]))")


def volume_slots(text: str, lang: str) -> Slots:
    if _VOL_MAX.search(text):
        return {"value": 100}
    if _VOL_MIN.search(text):
        return {"value": 0}
    m = _VOL_VALUE.search(text)
    if m and not re.search(r"调高|调低|调大|调小|(?<![a-z])by(?![a-z])", text[: m.start("n")]):
        value = number(m.group("n"))
        if value is not None:
            return {"value": int(value)}
    down, up = _VOL_DOWN.search(text), _VOL_UP.search(text)
    if not (up or down):
        return {}
    slots: Slots = {"direction": "down" if down and (not up or down.start() < up.start()) else "up"}
    for m in _VOL_AMOUNT.finditer(text):
        if m.group("n") in ("一", "a", "an") or text[m.end(): m.end() + 1] in ("点", "些"):
            continue
        amount = number(m.group("n"))
        if amount:
            slots["amount"] = int(amount)
            break
    return slots


# ---- time questions --------------------------------------------------------------------------------
#: A date asked for: it is said with its weekday, so it wins over a weekday word ("下星期一是几号").
_DATE_Q = re.compile(r"几号|日期|几月|哪天|哪一天|什么日子|(?<![a-z])(?:date|what's today|what is today|month)(?![a-z])")
_WEEKDAY_Q = re.compile(r"星期几|周几|礼拜几|星期什么|礼拜什么|(?<![a-z])(?:day of the week|weekday|what day|which day)(?![a-z])")
#: A weekday named, or 星期 said, asks the weekday unless it is the day asked about ("is today monday", "今天是星期").
_CLOCK_Q = re.compile(r"几点|时间|(?<![a-z])(?:what time|time is it)(?![a-z])")
_WEEKDAY_WORD = re.compile(r"星期|礼拜|(?<![a-z])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![a-z])")


def time_slots(text: str, lang: str) -> Slots:
    """``what`` (``time``, ``date`` or ``weekday``), and the day asked about when it is not today ("明天星期几":
    ``days`` 1; "下周一是几号": ``weekday`` 0, ``week`` 1; see intents/slots/days.py)."""
    said = day_said(text, lang)
    if _DATE_Q.search(text):
        what = "date"
    elif _WEEKDAY_Q.search(text) or (_WEEKDAY_WORD.search(text) and (said is None or said.weekday is None)):
        what = "weekday"
    elif said is not None and not said.is_today and not _CLOCK_Q.search(text):
        what = "date"  # "明天呢", "what about the day after tomorrow"
    else:
        return {"what": "time"}
    return {"what": what} | ({} if said is None or said.is_today else said.slots())
