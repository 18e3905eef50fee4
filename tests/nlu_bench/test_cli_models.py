"""``assistant train`` and ``assistant bench-nlu`` as a user runs them, on small datasets in each format."""

from __future__ import annotations

import json
import subprocess
import sys

from intents.model.classifier import IntentClassifier

FIELDS = {"dataset", "accuracy", "oos_recall", "slot_f1", "p50_ms", "p95_ms", "train_s"}


def assistant(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=600, check=False)


def test_bench_nlu_prints_one_json_line_per_dataset(bench_root):
    result = assistant("bench-nlu", "--data", str(bench_root), "--datasets", "clinc150,cais", "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["dataset"] for r in rows] == ["cais", "clinc150"]  # sorted by folder
    assert all(set(r) == FIELDS for r in rows)
    cais, clinc = rows
    assert clinc["oos_recall"] is not None and clinc["slot_f1"] is None
    assert cais["oos_recall"] is None and cais["slot_f1"] is not None


def test_train_on_a_dataset_writes_a_loadable_artifact(bench_root, tmp_path):
    out = tmp_path / "snips.joblib"
    result = assistant("train", "--dataset", str(bench_root / "snips"), "--format", "snips", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["artifact"] == str(out)
    assert IntentClassifier.load(out).predict(["play some jazz music"])[0].intent


def test_bench_nlu_on_an_empty_folder_says_so(tmp_path):
    result = assistant("bench-nlu", "--data", str(tmp_path))
    assert result.returncode == 1
    assert "no dataset found" in result.stdout


def test_training_the_encoder_without_the_train_extra_says_what_to_install(tmp_path):
    """make setup never installs torch: the command names the extra instead of failing with a traceback."""
    code = ("import sys\nsys.modules['torch'] = None  # as on a machine set up by make setup\n"
            "from assistant.app.cli import main\n"
            f"raise SystemExit(main(['train', '--model', 'encoder', '--out', {str(tmp_path)!r}]))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert "needs the train extra" in result.stdout and "torch" in result.stdout
    assert not list(tmp_path.iterdir())  # nothing half-written
