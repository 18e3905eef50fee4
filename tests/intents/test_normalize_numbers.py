"""Normalisation and number parsing."""

from __future__ import annotations

import pytest

from intents import detect_lang, en_to_number, find_quantity, normalize_text, zh_to_number
from intents.normalize import normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("打开客厅的灯。", "打开客厅的灯"),
        ("２６度", "26度"),
        ("Ｔｕｒｎ ＯＮ", "turn on"),
        ("空調調到二十六度", "空调调到二十六度"),
        ("呃，那个，请帮我打开客厅的燈", "打开客厅的灯"),
        ("关掉电视！然后开灯", "关掉电视, 然后开灯"),
        ("Hey, please turn on the light, um, thanks", "turn on the light, thanks"),
        ("I’m leaving", "i'm leaving"),
        ("pm2.5怎么样？", "pm2.5怎么样"),
        ("把living room的灯打开", "把living room的灯打开"),
        ("🙂🙂", ""),
        ("？？？", ""),
        ("", ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_long_input_is_truncated_not_rejected():
    assert len(normalize_text("灯" * 10_000)) <= 400


@pytest.mark.parametrize(
    "text, lang",
    [("打开灯", "zh"), ("turn on the light", "en"), ("把living room的灯打开", "zh"), ("", "en"), ("123", "en")],
)
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_explicit_lang_wins():
    assert normalize("打开灯", "en").lang == "en"
    assert normalize("打开灯", "xx").lang == "zh"


@pytest.mark.parametrize(
    "text, value",
    [("二十六", 26), ("两", 2), ("十", 10), ("十五", 15), ("三十", 30), ("一百", 100), ("一百零五", 105),
     ("一百五", 150), ("两百", 200), ("二十六点五", 26.5), ("二六", 26), ("一万二", 12000)],
)
def test_zh_numbers(text, value):
    assert zh_to_number(text) == value


@pytest.mark.parametrize(
    "text, value",
    [("twenty six", 26), ("twenty-six", 26), ("thirty", 30), ("one hundred", 100), ("a hundred", 100), ("seven", 7)],
)
def test_en_numbers(text, value):
    assert en_to_number(text) == value


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("空调调到二十六度", 26, "°C"),
        ("灯光亮度调到百分之三十", 30, "%"),
        ("窗帘开一半", 50, "%"),
        ("温度再低两度", 2, "°C"),
        ("26度", 26, "°C"),
        ("26 degrees", 26, "°C"),
        ("twenty six degrees", 26, "°C"),
        ("thirty percent", 30, "%"),
        ("30%", 30, "%"),
        ("72 degrees fahrenheit", 72, "°F"),
        ("4000k", 4000, "K"),
        ("调到26.5度", 26.5, "°C"),
        ("电视声音调到三十", 30, None),
        ("百分之百", 100, "%"),
        ("open it halfway", 50, "%"),
    ],
)
def test_find_quantity(text, value, unit):
    q = find_quantity(text)
    assert q is not None and q.number == value and q.unit == unit


@pytest.mark.parametrize("text", ["亮一点", "开一下", "十分亮", "turn on the light", "打开灯", ""])
def test_no_quantity_in_ordinary_words(text):
    assert find_quantity(text) is None
