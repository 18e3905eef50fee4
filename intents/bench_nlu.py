"""Train the small intent model on public benchmarks and measure it (library code: no printing).

``run_bench(data_root)`` trains on each dataset's train split (the validation split only calibrates
confidence and tunes the out-of-scope threshold), reports on test, and yields one row a dataset::

    {"dataset", "format", "accuracy", "oos_recall", "slot_f1", "p50_ms", "p95_ms", "train_s",
     "n_train", "n_test"}

``accuracy`` is in-scope intent accuracy (an in-scope utterance flagged out-of-scope counts as
wrong); ``oos_recall`` and ``slot_f1`` are ``None`` where the data has no such labels. Latency is
the wall time of predicting one utterance at a time (intent, plus slots where a slot tagger was
trained) over the test split.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from .classifier import IntentClassifier
from .datasets import FORMATS, Dataset, detect_format, load_dataset

__all__ = ["run_bench", "train_dataset", "find_datasets", "evaluate", "slot_f1"]


def find_datasets(data_root: Path, names: Sequence[str] | None = None) -> list[tuple[Path, str]]:
    """Dataset folders directly under ``data_root`` (or ``data_root`` itself) with their format."""
    data_root = Path(data_root)
    cands = [data_root] + sorted(p for p in data_root.iterdir() if p.is_dir()) if data_root.is_dir() else []
    found: list[tuple[Path, str]] = []
    for p in cands:
        try:
            fmt = detect_format(p)
        except ValueError:
            continue
        if names and p.name not in names and fmt not in names:
            continue
        if p == data_root and len(cands) > 1 and any(c != p for c in cands[1:]):
            # a root that holds dataset folders is not itself a dataset
            if not (p / "train").exists() and not (p / "data_full.json").exists() and not (p / "train.json").exists():
                continue
        found.append((p, fmt))
    return found


def _train(ds: Dataset) -> tuple[IntentClassifier, Any, float]:
    t0 = time.perf_counter()
    clf = IntentClassifier(lang=ds.lang)
    valid = [e for e in ds.valid]
    clf.fit(
        [e.text for e in ds.train],
        [e.intent for e in ds.train],
        oos_label=ds.oos_label,
        valid_texts=[e.text for e in valid] or None,
        valid_labels=[e.intent for e in valid] or None,
    )
    tagger = None
    if any(e.slots is not None for e in ds.train):
        from .slot_tagger import SlotTagger  # noqa: PLC0415

        tagger = SlotTagger(lang=ds.lang).fit(
            [e.text for e in ds.train if e.slots is not None],
            [e.slots for e in ds.train if e.slots is not None],
        )
    return clf, tagger, time.perf_counter() - t0


def slot_f1(gold: Sequence[Sequence[tuple]], pred: Sequence[Sequence[tuple]]) -> float:
    """Micro span F1 over exact (label, start, end) matches (conlleval's measure)."""
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        gs, ps = set(map(tuple, g)), set(map(tuple, p))
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    if tp == 0:
        return 0.0
    prec, rec = tp / (tp + fp), tp / (tp + fn)
    return 2 * prec * rec / (prec + rec)


def evaluate(ds: Dataset, clf: IntentClassifier, tagger: Any = None) -> dict[str, Any]:
    test = ds.test
    texts = [e.text for e in test]
    preds = clf.predict(texts)
    oos = ds.oos_label
    ins = [(e, p) for e, p in zip(test, preds) if e.intent != oos]
    outs = [(e, p) for e, p in zip(test, preds) if oos is not None and e.intent == oos]
    acc = float(np.mean([(not p.out_of_scope) and p.intent == e.intent for e, p in ins])) if ins else None
    rec = float(np.mean([p.out_of_scope for _, p in outs])) if outs else None
    f1 = None
    if tagger is not None and any(e.slots is not None for e in test):
        sl = [e for e in test if e.slots is not None]
        f1 = slot_f1([e.slots for e in sl], tagger.predict([e.text for e in sl]))
    # latency: one utterance at a time
    lat = []
    for t in texts:
        t0 = time.perf_counter()
        clf.predict([t])
        if tagger is not None:
            tagger.predict([t])
        lat.append((time.perf_counter() - t0) * 1000.0)
    return {
        "accuracy": None if acc is None else round(acc * 100, 2),
        "oos_recall": None if rec is None else round(rec * 100, 2),
        "slot_f1": None if f1 is None else round(f1 * 100, 2),
        "p50_ms": round(float(np.percentile(lat, 50)), 3) if lat else None,
        "p95_ms": round(float(np.percentile(lat, 95)), 3) if lat else None,
    }


def run_bench(data_root: Path, names: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    for path, fmt in find_datasets(Path(data_root), names):
        ds = load_dataset(path, fmt)
        if not ds.train or not ds.test:
            continue
        clf, tagger, train_s = _train(ds)
        row: dict[str, Any] = {"dataset": path.name, "format": fmt}
        row.update(evaluate(ds, clf, tagger))
        row["train_s"] = round(train_s, 2)
        row["n_train"] = len(ds.train)
        row["n_test"] = len(ds.test)
        yield row


def train_dataset(path: Path, fmt: str | None, out: Path) -> dict[str, Any]:
    """Train on ``path``'s train split, save the artifact to ``out`` (a slot tagger, where the data
    has slots, to ``out`` with suffix ``.slots``) and return a summary."""
    path, out = Path(path), Path(out)
    ds = load_dataset(path, fmt)
    clf, tagger, train_s = _train(ds)
    clf.save(out)
    summary: dict[str, Any] = {
        "dataset": path.name,
        "format": ds.fmt,
        "artifact": str(out),
        "artifact_bytes": out.stat().st_size,
        "train_s": round(train_s, 2),
        "n_train": len(ds.train),
        "classes": len(clf.classes_),
        "oos_label": clf.oos_label,
        "threshold": clf.threshold_,
    }
    if tagger is not None:
        sp = out.with_name(out.name + ".slots")
        tagger.save(sp)
        summary["slot_artifact"] = str(sp)
        summary["slot_artifact_bytes"] = sp.stat().st_size
    return summary
