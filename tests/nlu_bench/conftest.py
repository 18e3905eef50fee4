"""Tiny synthetic benchmark folders in each of the five public formats (written into tmp_path).

The real data under shared/benchmarks is never needed by these tests.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

# (intent, templates with {slot} holes, slot fillers)
EN = {
    "weather": (["what is the weather in {city}", "will it rain in {city} tomorrow",
                 "weather forecast for {city}", "is it sunny in {city}", "how cold is it in {city}"],
                {"city": ["boston", "paris", "tokyo", "berlin", "new york", "rome", "madrid", "oslo"]}),
    "play_music": (["play {artist}", "play some songs by {artist}", "put on {artist} music",
                    "i want to listen to {artist}", "start playing {artist}"],
                   {"artist": ["adele", "the beatles", "queen", "madonna", "miles davis", "abba", "drake"]}),
    "set_alarm": (["set an alarm for {time}", "wake me up at {time}", "alarm at {time} please",
                   "create an alarm for {time}", "i need an alarm at {time}"],
                  {"time": ["seven am", "six thirty", "noon", "9 pm", "eight in the morning", "5 am"]}),
}
ZH = {
    "Weather": (["{city}天气怎么样", "明天{city}会下雨吗", "查一下{city}的天气", "{city}今天热不热", "{city}天气预报"],
                {"city": ["北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉"]}),
    "PlayMusic": (["播放{singer}的歌", "我想听{singer}", "来一首{singer}的歌曲", "放点{singer}的音乐", "听{singer}的歌"],
                  {"singer": ["周杰伦", "王菲", "张学友", "邓紫棋", "林俊杰", "陈奕迅", "刘德华"]}),
    "SetAlarm": (["{time}叫我起床", "设置{time}的闹钟", "定一个{time}的闹钟", "{time}提醒我起床", "帮我设{time}的闹钟"],
                 {"time": ["明天七点", "早上六点", "八点半", "中午十二点", "晚上九点", "五点"]}),
}
OOS_EN = ["how do i bake sourdough bread", "what is the capital of peru", "tell me about quantum physics",
          "who won the chess tournament", "how many calories in an apple", "translate hello into german",
          "what is my credit score", "book a table for two", "how old is the universe", "define entropy"]


def make_examples(spec: dict, n: int, seed: int):
    """n utterances per intent: (text, intent, [(slot, start, end)])."""
    rng = random.Random(seed)
    out = []
    for intent, (templates, fillers) in spec.items():
        for _ in range(n):
            tpl = rng.choice(templates)
            slot = next(iter(fillers))
            value = rng.choice(fillers[slot])
            start = tpl.index("{")
            text = tpl.replace("{" + slot + "}", value)
            out.append((text, intent, [(slot, start, start + len(value))]))
    rng.shuffle(out)
    return out


SPLITS = {"train": (12, 1), "valid": (4, 2), "test": (4, 3)}


def _bio(text: str, spans, per_char: bool, bioes: bool):
    if per_char:
        toks = [(c, i, i + 1) for i, c in enumerate(text)]
    else:
        toks, pos = [], 0
        for w in text.split(" "):
            toks.append((w, pos, pos + len(w)))
            pos += len(w) + 1
    tags = ["O"] * len(toks)
    for label, s, e in spans:
        ids = [k for k, (_, ts, te) in enumerate(toks) if ts < e and te > s]
        for n, k in enumerate(ids):
            if bioes and len(ids) == 1:
                tags[k] = "S-" + label
            elif bioes and n == len(ids) - 1:
                tags[k] = "E-" + label
            else:
                tags[k] = ("B-" if n == 0 else "I-") + label
    return toks, tags


def write_clinc(root: Path) -> Path:
    d = root / "clinc150"
    d.mkdir(parents=True)
    data = {}
    for split, key in (("train", "train"), ("valid", "val"), ("test", "test")):
        n, seed = SPLITS[split]
        data[key] = [[t, i] for t, i, _ in make_examples(EN, n, seed)]
    data["oos_train"] = [[t, "oos"] for t in OOS_EN[:6]]
    data["oos_val"] = [[t, "oos"] for t in OOS_EN[6:8]]
    data["oos_test"] = [[t, "oos"] for t in OOS_EN[8:]]
    (d / "data_full.json").write_text(json.dumps(data), encoding="utf-8")
    return d


def _write_seq(root: Path, name: str, with_out: bool) -> Path:
    d = root / name
    for split, (n, seed) in SPLITS.items():
        s = d / split
        s.mkdir(parents=True)
        ex = make_examples(EN, n, seed)
        (s / "seq.in").write_text("".join(t + " \n" for t, _, _ in ex), encoding="utf-8")
        (s / "label").write_text("".join(i + "\n" for _, i, _ in ex), encoding="utf-8")
        if with_out:
            lines = [" ".join(_bio(t, sl, False, False)[1]) + " \n" for t, _, sl in ex]
            (s / "seq.out").write_text("".join(lines), encoding="utf-8")
    return d


def write_hwu(root: Path) -> Path:
    return _write_seq(root, "hwu64", False)


def write_snips(root: Path) -> Path:
    return _write_seq(root, "snips", True)


def write_smp(root: Path) -> Path:
    d = root / "smp2019"
    d.mkdir(parents=True)
    for split, fname in (("train", "train.json"), ("valid", "dev.json"), ("test", "test.json")):
        n, seed = SPLITS[split]
        rows = [{"text": t, "intent": i,
                 "entities": [{"type": lab, "start_idx": s, "end_idx": e - 1} for lab, s, e in sl]}
                for t, i, sl in make_examples(ZH, n, seed)]
        (d / fname).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return d


def write_cais(root: Path) -> Path:
    d = root / "cais"
    for split, (n, seed) in SPLITS.items():
        s = d / split
        s.mkdir(parents=True)
        ex = make_examples(ZH, n, seed)
        blocks = []
        for t, _, sl in ex:
            toks, tags = _bio(t, sl, True, True)
            blocks.append("".join(f"{c} {tag}\n" for (c, _, _), tag in zip(toks, tags)))
        (s / f"ch.{split}").write_text("\n".join(blocks) + "\n", encoding="utf-8")
        (s / f"ch.{split}.intent").write_text("".join(i + "\n" for _, i, _ in ex), encoding="utf-8")
    return d


WRITERS = {"clinc150": write_clinc, "hwu64": write_hwu, "snips": write_snips,
           "smp2019": write_smp, "cais": write_cais}


@pytest.fixture(scope="session")
def bench_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("benchmarks")
    for w in WRITERS.values():
        w(root)
    return root


@pytest.fixture(scope="session")
def en_examples():
    return {split: make_examples(EN, n, seed) for split, (n, seed) in SPLITS.items()}


@pytest.fixture(scope="session")
def zh_examples():
    return {split: make_examples(ZH, n, seed) for split, (n, seed) in SPLITS.items()}
