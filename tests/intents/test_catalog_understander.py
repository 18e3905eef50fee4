"""The cascade (rules + catalog model + slot extractors) on the whole catalog, zh and en."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from intents import Understander, UnderstandingContext
from intents.model.catalog import MODEL_DIR, load_catalog
from intents.normalize import normalize_text
from intents.training.catalog_data import LANGS, heldout_examples, training_examples
from intents.training.catalog_eval import evaluate
from intents.training.catalog_fit import data_fingerprint

NOW = datetime.fromisoformat("2026-12-01T20:00:00+08:00")  # a Tuesday evening
DEVICE_CASES = Path(__file__).resolve().parents[1] / "cases" / "devices.jsonl"


@pytest.fixture(scope="module")
def cascade(vocab):
    engine = Understander()

    def run(text, lang=None, now=NOW):
        return engine.understand(text, UnderstandingContext(lang=lang, now=now), vocab)

    return run


ONE = [
    ("定一个十分钟的计时器", "timer.set", {"duration": 600}),
    ("set a timer for 90 seconds", "timer.set", {"duration": 90}),
    ("一个半小时的倒计时", "timer.set", {"duration": 5400}),
    ("set a timer for half an hour", "timer.set", {"duration": 1800}),
    ("set a timer for 1 and a half hours", "timer.set", {"duration": 5400}),
    ("set a timer for one and a half minutes", "timer.set", {"duration": 90}),
    ("取消所有计时器", "timer.cancel", {"scope": "all"}),
    ("计时器还剩多久", "timer.query", {}),
    ("明天早上七点叫我起床", "alarm.set", {"datetime": "2026-12-02T07:00:00+08:00"}),
    ("wake me up at 6:30 on weekdays", "alarm.set", {"datetime": "2026-12-02T06:30:00+08:00", "repeat": "weekdays"}),
    ("把明天的闹钟取消", "alarm.cancel", {"datetime": "2026-12-02"}),
    ("我定了哪些闹钟", "alarm.query", {}),
    ("下午三点提醒我开会", "reminder.set", {"datetime": "2026-12-02T15:00:00+08:00", "content": "开会"}),
    ("下午三点提醒我关空调", "reminder.set", {"datetime": "2026-12-02T15:00:00+08:00", "content": "关空调"}),
    ("三百二十乘以四等于多少", "calc.evaluate", {"expression": "320*4"}),
    ("what's 15% of 80", "calc.evaluate", {"expression": "15%*80"}),
    ("一英里等于多少公里", "unit.convert", {"value": 1, "from_unit": "mile", "to_unit": "km"}),
    ("100 fahrenheit in celsius", "unit.convert", {"value": 100, "from_unit": "fahrenheit", "to_unit": "celsius"}),
    ("现在几点", "time.query", {"what": "time"}),
    ("what's the date today", "time.query", {"what": "date"}),
    ("声音大一点", "media.volume", {"direction": "up"}),
    ("音量调到三十", "media.volume", {"value": 30}),
    ("turn it up", "media.volume", {"direction": "up"}),
    ("播放周杰伦的晴天", "media.play_music", {"artist": "周杰伦", "song": "晴天"}),
    ("来点轻音乐", "media.play_music", {"genre": "轻音乐"}),
    ("play some jazz", "media.play_music", {"genre": "jazz"}),
    ("play some music in the bedroom", "media.play_music", {}),  # where to play is not a song title
    ("在卧室放点音乐", "media.play_music", {}),
    ("我想看流浪地球", "media.play_video", {"title": "流浪地球"}),
    ("put on a cartoon", "media.play_video", {"kind": "cartoon"}),
    ("听一下三体有声书", "media.play_audio", {"title": "三体", "kind": "audiobook"}),
    ("暂停", "media.control", {"action": "pause"}),
    ("skip this song", "media.control", {"action": "next"}),
    ("写一首关于秋天的诗", "gen.write", {"form": "poem", "topic": "秋天"}),
    ("tell me a bedtime story about a dragon", "gen.write", {"form": "story", "topic": "dragon"}),
    ("你好呀", "gen.chat", {}),
    ("how are you", "gen.chat", {}),
    ("扫地机器人的滤网多久换一次", "kb.product_qa", {"product": "robot_vacuum", "question": "扫地机器人的滤网多久换一次"}),
    ("珠穆朗玛峰有多高", "kb.general_qa", {"question": "珠穆朗玛峰有多高"}),
    ("who wrote Hamlet", "kb.general_qa", {"question": "who wrote hamlet"}),
    ("定一个１０分钟的計時器", "timer.set", {"duration": 600}),  # full-width digits, traditional characters
]


@pytest.mark.parametrize(("text", "name", "slots"), ONE, ids=[t for t, _, _ in ONE])
def test_one_intent_with_its_slots(cascade, text, name, slots):
    result = cascade(text)
    assert [(i.name, dict(i.slots)) for i in result.intents] == [(name, slots)]
    # the timer and reminder words are read by rules (utility_rules.py), the rest by the model
    assert result.intents[0].source.value in ("edge_model", "rules") and not result.needs_fallback


MULTI = [
    ("关灯然后定个十分钟的计时器", ["device.turn_off", "timer.set"]),
    ("start the vacuum and turn on the purifier", ["device.turn_on", "device.turn_on"]),
    ("把灯带调成红色并且亮度调到八十", ["device.set", "device.set"]),
    ("set a timer for 10 minutes and turn off the lights", ["timer.set", "device.turn_off"]),
    ("play some jazz and turn off the tv", ["media.play_music", "device.turn_off"]),
    ("三百二十乘以四再加五", ["calc.evaluate"]),
    ("timer for an hour and a half", ["timer.set"]),
    ("电视声音调到三十", ["device.set"]),
]


@pytest.mark.parametrize(("text", "names"), MULTI, ids=[t for t, _ in MULTI])
def test_commands_in_order(cascade, text, names):
    assert [i.name for i in cascade(text).intents] == names


@pytest.mark.parametrize("text", ["帮我订一张去北京的机票", "transfer 500 dollars to my landlord", "😀😀😀", "？？？！",
                                  "", "   ", "啊" * 5000, "asdkjh qwe zxc", "打开🙂the 灯 ok???"])
def test_bad_or_foreign_input_is_honest(cascade, text):
    result = cascade(text)
    assert result.intents
    for intent in result.intents:
        assert intent.name == "out_of_scope" or intent.name.startswith("device.")
    if result.intents[0].name == "out_of_scope":
        assert result.needs_fallback


def test_no_clock_uses_the_wall_clock(cascade):
    result = cascade("明天早上七点叫我起床", now=None)
    assert datetime.fromisoformat(result.intents[0].slots["datetime"]).tzinfo is not None


def _device_cases():
    return [json.loads(line) for line in DEVICE_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _device_cases(), ids=lambda c: c["id"])
def test_device_cases_keep_their_intents(cascade, case):
    assert [i.name for i in cascade(case["text"], now=None).intents] == case["expect"]["intents"]


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_meets_the_goals(vocab, lang):
    report = evaluate(Understander(), vocab, lang)
    assert report.intent_accuracy >= 0.97, report.misses
    assert report.slot_exact >= 0.95, report.misses
    assert report.cases >= 100 and report.slot_cases >= 80


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_never_trained_on(lang):
    trained = {e.text for e in training_examples(lang)}
    leaked = [e.text for e in heldout_examples(lang) if normalize_text(e.text) in trained]
    assert not leaked


def test_shipped_artifact_matches_the_data_and_loads():
    summary = json.loads((MODEL_DIR / "summary.json").read_text())
    assert summary["fingerprint"] == data_fingerprint(), "retrain: assistant train"
    assert sorted(p.name for p in MODEL_DIR.glob("*.npz")) == sorted(f"{lang}.npz" for lang in LANGS)
    assert sum(p.stat().st_size for p in MODEL_DIR.glob("*.npz")) < 8_000_000
    assert set(load_catalog(MODEL_DIR).models) == set(LANGS)  # load time is a figure of make bench, not a test
