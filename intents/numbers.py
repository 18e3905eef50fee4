"""Spoken numbers in Chinese and English → numbers with their unit.

Device commands carry small quantities: 二十六度, 百分之三十, 两度, 一半, "twenty six degrees",
"thirty percent", 26, 26.5. ``find_quantity`` returns the first one in a normalised clause
with its unit (``°C``, ``°F``, ``%``, ``K``) and its span, so the rules can tell a value
("调到二十六度") from an amount ("再低两度") by the words around it.

Chinese numerals up to the thousands are converted by a small local routine (fast, and it
handles 两 and a leading 十); anything larger or unusual goes through ``cn2an``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

_LOGGER = logging.getLogger(__name__)

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}

_EN_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
            "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
#: Words that close a group of three digits: "two thousand five hundred" is 2000 + 500.
_EN_SCALES = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Quantity:
    """A number found in text: ``value``, its ``unit`` (or ``None``) and the span it covers."""

    value: float
    unit: str | None
    start: int
    end: int

    @property
    def number(self) -> int | float:
        """``value`` as an ``int`` when it is whole (26.0 → 26)."""
        return int(self.value) if float(self.value).is_integer() else self.value


def zh_to_number(text: str) -> float | None:
    """二十六 → 26, 两 → 2, 十 → 10, 一百零五 → 105, 二十六点五 → 26.5, 二六 → 26; None if not a number."""
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        base = zh_to_number(whole) if whole else 0.0
        if base is None or not frac or any(c not in _ZH_DIGITS for c in frac):
            return None
        return float(f"{int(base)}." + "".join(str(_ZH_DIGITS[c]) for c in frac))
    if all(c in _ZH_DIGITS for c in text):  # digit by digit: 二六 → 26
        return float("".join(str(_ZH_DIGITS[c]) for c in text))
    if any(c not in _ZH_DIGITS and c not in _ZH_UNITS for c in text):
        import cn2an  # rare path (万, 亿 …): keep its import cost off startup

        try:
            return float(cn2an.cn2an(text, "smart"))
        except (ValueError, KeyError, TypeError):
            return None
    total, digit = 0, None
    for c in text:
        if c in ("零", "〇"):
            digit = None
        elif c in _ZH_DIGITS:
            if digit is not None:
                return None
            digit = _ZH_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _ZH_UNITS[c]
            digit = None
    if digit is not None:
        # 一百五 → 150: a digit right after 百/千 at the end counts one place lower
        prev = _ZH_UNITS.get(text[-2], 0) if len(text) > 1 else 0
        total += digit * (prev // 10 if prev >= 100 else 1)
    return float(total)


def en_to_number(words: str) -> float | None:
    """"twenty six" → 26, "one hundred" → 100, "a hundred" → 100, "a thousand" → 1000, "two thousand five
    hundred" → 2500, "2 thousand" → 2000; None if not a number."""
    total, current, seen = 0.0, 0.0, False
    for word in words.replace("-", " ").split():
        if word == "and" and seen:
            continue
        if word in _EN_ONES:
            current += _EN_ONES[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif _DIGITS.fullmatch(word):
            current += float(word)
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _EN_SCALES:
            total += max(current, 1) * _EN_SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


_ZH_NUM = "[零〇一二两俩三四五六七八九十百千万幺]"
_EN_NUM = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen" \
          r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
_QUANTITY = re.compile(
    rf"(?P<pct_zh>百分之(?P<pct_zh_n>\d+(?:\.\d+)?|{_ZH_NUM}+(?:点{_ZH_NUM}+)?))"
    rf"|(?P<half>一半|一多半|halfway|half)"
    rf"|(?P<digits>\d+(?:\.\d+)?)"
    rf"|(?P<zh>{_ZH_NUM}+(?:点[零〇一二三四五六七八九]+)?)"
    rf"|(?<![a-z])(?P<en>(?:a |an )?{_EN_NUM}(?:[ -](?:and )?{_EN_NUM})*)(?![a-z])"
)
_UNIT = re.compile(
    r"\s*(?P<unit>%|percent|per cent|摄氏度|华氏度|°c|°f|°|℃|℉|度|degrees? (?:celsius|fahrenheit)|degrees?"
    r"|celsius|fahrenheit|k(?![a-z])|kelvin|开尔文)"
)
_UNIT_MAP = {"%": "%", "percent": "%", "per cent": "%", "摄氏度": "°C", "°c": "°C", "°": "°C", "℃": "°C",
             "度": "°C", "degree": "°C", "degrees": "°C", "degree celsius": "°C", "degrees celsius": "°C",
             "celsius": "°C", "华氏度": "°F", "°f": "°F", "℉": "°F", "degree fahrenheit": "°F",
             "degrees fahrenheit": "°F", "fahrenheit": "°F", "k": "K", "kelvin": "K", "开尔文": "K"}
#: A scale said before its number: "华氏七十七度", "摄氏二十度".
_SCALE_BEFORE = re.compile(r"(华氏|摄氏)(?:温度)?$")
# A lone 一 in these words means "a bit / once", not the number one: 亮一点, 开一下, 一些.
_NOT_A_NUMBER_AFTER_YI = ("点", "下", "些", "会", "起", "直", "样", "共", "切", "键")


def _zh_is_word(text: str, m: re.Match[str]) -> bool:
    """Whether a Chinese numeral match is part of an ordinary word (一点 = a bit, 十分 = very)."""
    token = m.group("zh")
    nxt = text[m.end(): m.end() + 1]
    if token == "一" and nxt in _NOT_A_NUMBER_AFTER_YI:
        return True
    if token == "十" and nxt == "分":
        return True
    return token in ("万", "千", "百")


def find_quantity(text: str, start: int = 0) -> Quantity | None:
    """The first number in ``text`` (at or after ``start``) with its unit, or None."""
    pos = start
    while True:
        m = _QUANTITY.search(text, pos)
        if m is None:
            return None
        unit: str | None = None
        if m.group("pct_zh"):
            raw = m.group("pct_zh_n")
            value = float(raw) if raw[0].isdigit() else zh_to_number(raw)
            unit = "%"
        elif m.group("half"):
            value, unit = 50.0, "%"
        elif m.group("digits"):
            value = float(m.group("digits"))
        elif m.group("zh"):
            if _zh_is_word(text, m):
                pos = m.end()
                continue
            token = m.group("zh")
            token = token.removesuffix("点")
            value = zh_to_number(token)
        else:
            value = en_to_number(m.group("en").strip())
            if m.group("en").strip() in ("a", "an"):
                value = None
        if value is None:
            pos = m.end()
            continue
        end = m.end()
        if unit is None:
            u = _UNIT.match(text, end)
            if u is not None:
                unit = _UNIT_MAP.get(u.group("unit"))
                end = u.end()
            scale = _SCALE_BEFORE.search(text, 0, m.start()) if unit in (None, "°C") else None
            if scale is not None:
                unit = "°F" if scale.group(1) == "华氏" else "°C"
        _LOGGER.debug("quantity %s %s in %r", value, unit, text)
        return Quantity(value, unit, m.start(), end)


def fahrenheit_to_celsius(value: float) -> float:
    """°F → °C rounded to the nearest half degree (what thermostats accept)."""
    return round((value - 32) * 5 / 9 * 2) / 2
