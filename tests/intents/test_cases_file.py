"""tests/cases/devices.jsonl: well-formed, consistent with the demo home, and understood by the rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES_FILE = Path(__file__).resolve().parents[1] / "cases" / "devices.jsonl"
CATEGORIES = {"device", "scene", "query", "multi", "clarify", "confirm", "bad_input"}
READ_ONLY = {"current_temperature", "status", "battery", "pm25", "humidity"}


def _cases():
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


CASES = _cases()


def test_every_line_is_json_and_ids_are_unique():
    for n, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        assert isinstance(json.loads(line), dict), f"line {n}"
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 90


def test_languages_are_balanced():
    zh = sum(c["lang"] == "zh" for c in CASES)
    assert 0.35 <= zh / len(CASES) <= 0.65


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_shape_and_home_references(case, home):
    assert case["category"] in CATEGORIES
    assert case["lang"] in ("zh", "en")
    assert case["id"].startswith(case["lang"] + "-")
    assert case["speaker"] in home.speakers
    expect = case["expect"]
    assert expect["intents"], "every case names its intents"
    for device_id, attributes in (expect.get("state") or {}).items():
        assert device_id in home.devices, device_id
        device = home.devices[device_id]
        for attribute in attributes:
            assert attribute in device.capabilities or attribute in device.initial_state, (device_id, attribute)
            assert attribute not in READ_ONLY
    if expect.get("unchanged") and expect.get("state"):
        for device_id, attributes in expect["state"].items():
            for attribute, value in attributes.items():
                assert home.devices[device_id].initial_state.get(attribute) == value, "unchanged contradicts state"
    assert expect.get("awaiting") in (None, "confirmation", "clarification")
    assert isinstance(expect.get("speech_contains", []), list)
    if case["category"] == "bad_input":
        assert expect["intents"] == ["out_of_scope"] and expect.get("unchanged") is True


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rules_understand_the_case(case, understand):
    result = understand(case["text"])
    assert [i.name for i in result.intents] == case["expect"]["intents"]
