from __future__ import annotations

import json

from intents.model.classifier import IntentClassifier
from intents.training.bench_nlu import run_bench, slot_f1, train_dataset
from intents.training.datasets import FORMATS
from intents.training.slot_tagger import SlotTagger

KEYS = {"dataset", "accuracy", "oos_recall", "slot_f1", "p50_ms", "p95_ms", "train_s"}


def test_run_bench_rows_are_well_formed(bench_root):
    rows = {r["dataset"]: r for r in run_bench(bench_root)}
    assert set(rows) == set(FORMATS)
    for r in rows.values():
        assert set(r) >= KEYS
        json.dumps(r)
        assert 0.0 <= r["accuracy"] <= 100.0
        assert r["p50_ms"] > 0 and r["p95_ms"] >= r["p50_ms"] and r["train_s"] >= 0
    assert rows["clinc150"]["oos_recall"] is not None
    for name in ("hwu64", "snips", "smp2019", "cais"):
        assert rows[name]["oos_recall"] is None
    for name in ("snips", "cais", "smp2019"):
        assert 0.0 <= rows[name]["slot_f1"] <= 100.0
    for name in ("clinc150", "hwu64"):
        assert rows[name]["slot_f1"] is None
    assert rows["snips"]["accuracy"] >= 90.0


def test_run_bench_selects_by_name(bench_root):
    rows = list(run_bench(bench_root, ["hwu64"]))
    assert [r["dataset"] for r in rows] == ["hwu64"]
    # a single dataset folder is a data root too
    assert [r["dataset"] for r in run_bench(bench_root / "clinc150")] == ["clinc150"]


def test_train_dataset_saves_artifacts(bench_root, tmp_path):
    out = tmp_path / "cais.joblib"
    summary = train_dataset(bench_root / "cais", None, out)
    assert summary["format"] == "cais" and summary["artifact_bytes"] > 0
    clf = IntentClassifier.load(out)
    assert clf.predict(["我想听周杰伦的歌"])[0].intent == "PlayMusic"
    # zh benchmarks train with the pinyin block at C=1.0 (bench_nlu.BENCH_OPTIONS)
    assert clf.pinyin and clf.meta["C"] == 1.0 and [p["kind"] for p in clf.features][-1] == "pinyin"
    tagger = SlotTagger.load(summary["slot_artifact"])
    assert ("singer", 3, 6) in tagger.predict(["我想听周杰伦的歌"])[0]


def test_slot_f1():
    assert slot_f1([[("a", 0, 1)]], [[("a", 0, 1)]]) == 1.0
    assert slot_f1([[("a", 0, 1), ("b", 2, 3)]], [[("a", 0, 1), ("b", 2, 4)]]) == 0.5
    assert slot_f1([[]], [[]]) == 0.0
