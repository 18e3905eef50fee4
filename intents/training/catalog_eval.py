"""Held-out evaluation of the cascade: intent accuracy, slot exact-match and latency per language.

The held-out files (intents/training/data/heldout_<lang>.jsonl) were written apart from the training
templates, so these numbers say how the model generalises, not how well it memorised.
Slot exact-match counts the rows that state slots: the extracted dict must equal them
(for ``kb.*`` the ``question`` slot is the normalised utterance and is added here).
Run ``python -m intents.training.catalog_eval`` for a report.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime

from intents.normalize import normalize_text
from intents.training.catalog_data import LANGS, heldout_examples
from intents.types import UnderstandingContext
from intents.understander import Understander
from intents.vocabulary import HomeVocabulary

_LOGGER = logging.getLogger(__name__)

#: The request clock the held-out slots were written against (a Tuesday evening).
HELDOUT_NOW = "2026-12-01T20:00:00+08:00"


@dataclass(frozen=True)
class Report:
    lang: str
    cases: int
    intent_accuracy: float
    slot_cases: int
    slot_exact: float
    p50_ms: float
    p95_ms: float
    misses: tuple[str, ...]


def evaluate(understander: Understander, vocab: HomeVocabulary, lang: str) -> Report:
    rows = heldout_examples(lang)
    right = slot_right = slot_cases = 0
    times: list[float] = []
    misses: list[str] = []
    for row in rows:
        ctx = UnderstandingContext(lang=lang, now=datetime.fromisoformat(row.now or HELDOUT_NOW))
        t0 = time.perf_counter()
        result = understander.understand(row.text, ctx, vocab)
        times.append((time.perf_counter() - t0) * 1000)
        names = [i.name for i in result.intents]
        ok = names == [row.intent]
        right += ok
        if not ok:
            misses.append(f"{row.text!r}: {names} != {row.intent}")
        if row.slots is not None:
            slot_cases += 1
            expected = dict(row.slots)
            if row.intent.startswith("kb."):
                expected["question"] = normalize_text(row.text)
            got = dict(result.intents[0].slots) if ok else None
            slot_right += got == expected
            if ok and got != expected:
                misses.append(f"{row.text!r}: slots {got} != {expected}")
    times.sort()
    return Report(lang, len(rows), right / len(rows), slot_cases, slot_right / max(slot_cases, 1),
                  statistics.median(times), times[int(0.95 * (len(times) - 1))], tuple(misses))


def main() -> int:
    from domain.devices import DeviceInfo
    from domain.home import load_demo_home

    home = load_demo_home()
    vocab = HomeVocabulary.build(home, [DeviceInfo.from_home(d) for d in home.devices.values()])
    understander = Understander()
    understander.understand("打开灯", UnderstandingContext(), vocab)  # load the model outside the timings
    for lang in LANGS:
        report = evaluate(understander, vocab, lang)
        sys.stdout.write(json.dumps(report.__dict__, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
