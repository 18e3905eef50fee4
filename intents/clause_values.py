"""Values in a clause: a number, an extreme, a colour, a mode or a speed to set, or a direction to adjust.

Values come before directions: "调到26度" is ``set``, "调高两度" is ``adjust`` by two, and a number
before a classifier ("两个空调") counts devices instead of setting them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from intents import lexicon as lx
from intents.frame import Frame, blank, first
from intents.numbers import Quantity, fahrenheit_to_celsius, find_quantity


def quantity_value(q: Quantity) -> tuple[int | float, str | None]:
    if q.unit == "°F":
        return num(fahrenheit_to_celsius(q.value)), "°C"
    return q.number, q.unit


def num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


#: A number right before a classifier or a device names how many devices there are.
_COUNT_AFTER = re.compile(r"\s*(?:[个台盏扇把只间部]|#)")
#: Before "one", these make it a pronoun for a device.
_ONE_AS_PRONOUN = re.compile(r"(?:#|\bthe|\bthat|\bthis|\bother|\bbig|\bsmall|\blittle|\bmain)\s*$")
#: Numbers a room's air is set to (°C); outside them a bare number in a room is not read as a temperature.
ROOM_TEMPERATURES = (16, 30)


def set_or_adjust(base: Frame, masked: str, lang: str, types: set[str]) -> Frame | None:
    attr_found = first(lx.ATTRIBUTE_WORDS, masked)
    attr_word = attr_found[0] if attr_found else None
    direction = first(lx.DIRECTION_WORDS, masked)
    targeted = base.has_target or attr_word is not None
    q = find_quantity(masked)
    if q is not None and masked[q.start:q.end] == "one" and _ONE_AS_PRONOUN.search(masked[:q.start]):
        q = None  # "and the kitchen one", "the big one": which device, not a value
    if q is not None and q.unit is None and _COUNT_AFTER.match(masked, q.end):
        # "两个空调都打开", "turn off the two lamps": how many devices, not a value ("两盏灯调到50" has one after)
        masked = blank(masked, q.start, q.end)
        q = find_quantity(masked)
    if q is not None:
        value, unit = quantity_value(q)
        prefix = masked[: q.start]
        if direction is None or lx.SET_MARK.search(prefix):
            in_a_room = not base.devices and not types and (base.rooms or base.extra.get("here"))
            if in_a_room and attr_word is None and unit is None and ROOM_TEMPERATURES[0] <= value <= ROOM_TEMPERATURES[1]:
                # "卧室调到24", "make it 22 in here": a room set to a number a room is kept at is its temperature
                return replace(base, action="device.set", types=("climate",), attribute="temperature", value=value)
            if not (targeted or unit or lx.SET_MARK.search(prefix)):
                return None
            return replace(base, action="device.set", attribute=attr_word, value=value, unit=unit)
        return replace(base, action="device.adjust", attribute=attr_word or direction[0], direction=direction[1],
                       amount=value, unit=unit)
    extreme = first(lx.EXTREMES, masked)
    if extreme is not None and (targeted or direction is not None):
        attribute = attr_word or (direction[0] if direction else None)
        return replace(base, action="device.set", attribute=attribute, value="max" if extreme[0] == "up" else "min")
    value_frame = value_words(base, masked, lang, types, attr_word, direction)
    if value_frame is not None:
        return value_frame
    if direction is not None:
        attribute = direction[0] or attr_word
        if not (targeted or direction[0]) and len(masked.replace(" ", "")) > (4 if lang == "zh" else 20):
            return None
        return replace(base, action="device.adjust", attribute=attribute, direction=direction[1])
    return None


def value_words(base: Frame, masked: str, lang: str, types: set[str], attr_word: str | None,
                 direction) -> Frame | None:
    if not (base.has_target or attr_word or lx.SET_VERB.search(masked)):
        found = first(lx.COLOR_TEMP_VALUES, masked)  # 暖光 / warm light say enough on their own
        return replace(base, action="device.set", attribute="color_temp", value=found[0]) if found else None
    set_frame = replace(base, action="device.set")
    if attr_word == "fan_speed" or (types & {"fan", "vacuum"} and attr_word is None):
        for value, pattern in lx.FAN_SPEED_VALUES:
            m = pattern.search(masked)
            if m and (direction is None or lang == "en" or lx.SET_MARK.search(masked[: m.start()])):
                return replace(set_frame, attribute="fan_speed", value=value)
    if "climate" not in types and attr_word in (None, "color_temp", "color"):
        found = first(lx.COLOR_TEMP_VALUES, masked)
        if found is None and types & {"light"} and lx.MODE_VALUES[-1][1].search(masked):
            found = ("cool",)
        if found is not None:
            return replace(set_frame, attribute="color_temp", value=found[0])
        found = first(lx.COLOR_VALUES, masked)
        if found is not None:
            return replace(set_frame, attribute="color", value=found[0])
    if attr_word == "mode" or types & {"climate", "fan"} or lx.SET_VERB.search(masked):
        found = first(lx.MODE_VALUES, masked)
        if found is not None and (attr_word == "mode" or types & {"climate", "fan"} or lang == "en"):
            return replace(set_frame, attribute="mode", value=found[0])
    return None
