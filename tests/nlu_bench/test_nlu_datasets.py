from __future__ import annotations

import pytest

from intents.training.datasets import FORMATS, OOS_LABEL, detect_format, load_dataset, tags_to_spans
from tests.nlu_bench.conftest import EN, SPLITS, ZH


@pytest.mark.parametrize("fmt", FORMATS)
def test_detects_and_loads_every_format(bench_root, fmt):
    path = bench_root / fmt
    assert detect_format(path) == fmt
    ds = load_dataset(path)  # format auto-detected from the folder name
    assert ds.fmt == fmt
    spec = ZH if fmt in ("smp2019", "cais") else EN
    for split in ("train", "valid", "test"):
        exs = getattr(ds, split)
        in_scope = [e for e in exs if e.intent != OOS_LABEL]
        assert len(in_scope) == SPLITS[split][0] * len(spec)
        assert {e.intent for e in in_scope} == set(spec)
        assert all(isinstance(e.text, str) and e.text == e.text.strip() for e in exs)
    assert ds.lang == ("zh" if fmt in ("smp2019", "cais") else "en")


def test_clinc_oos_maps_to_out_of_scope(bench_root):
    ds = load_dataset(bench_root / "clinc150", "clinc150")
    assert ds.oos_label == OOS_LABEL
    assert sum(e.intent == OOS_LABEL for e in ds.train) == 6
    assert sum(e.intent == OOS_LABEL for e in ds.test) == 2
    assert all(e.slots is None for e in ds.test)


@pytest.mark.parametrize("fmt", ["snips", "smp2019", "cais"])
def test_slot_spans_point_at_the_filler(bench_root, fmt):
    ds = load_dataset(bench_root / fmt, fmt)
    spec = ZH if fmt != "snips" else EN
    for e in ds.train + ds.test:
        assert e.slots is not None and len(e.slots) == 1
        label, s, end = e.slots[0]
        fillers = spec[e.intent][1]
        assert label in fillers
        assert e.text[s:end] in fillers[label]


def test_hwu_has_no_slots(bench_root):
    ds = load_dataset(bench_root / "hwu64", "hwu64")
    assert all(e.slots is None for e in ds.train)


def test_tags_to_spans_bio_and_bioes():
    offs = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert tags_to_spans(["O", "B-a", "I-a", "O", "S-b"], offs) == (("a", 1, 3), ("b", 4, 5))
    assert tags_to_spans(["B-a", "E-a", "B-a", "I-a", "E-a"], offs) == (("a", 0, 2), ("a", 2, 5))
    # an I- that does not continue the open span starts a new one (conlleval)
    assert tags_to_spans(["I-a", "I-b", "O", "O", "O"], offs) == (("a", 0, 1), ("b", 1, 2))


def test_unknown_format_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        load_dataset(tmp_path, "nope")
    with pytest.raises(ValueError):
        detect_format(tmp_path)
