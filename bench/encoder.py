"""The English encoder beside the sparse catalog model, model alone, on the held-out split.

``python -m bench.encoder [--encoder DIR]``. The held-out English utterances
(``intents/training/data/heldout_en.jsonl``, never trained on) normalised as training sees them, clean
and with one seeded typo per utterance (a letter dropped, doubled, swapped with the next or replaced
by a keyboard neighbour, in a word of four letters or more). For each model and for two ways of
combining them (the shipped :class:`~intents.model.encoder_vote.EncoderVote`, and the two models'
probabilities averaged): intent accuracy (an out-of-scope case is right when the model says
out-of-scope), ``wrong_acting``: the share of utterances given a confident intent that acts (a
timer, alarm, reminder or player command: :data:`~intents.model.encoder_vote.ACTING`) other than
the expected one, and the
latency of one utterance at a time (the encoder alone, and sparse model + vote for the clauses
that reach the encoder, the model path's slowest case). Written to ``bench/results/encoder.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.stats import summary
from intents.model.catalog import load_catalog
from intents.model.encoder import MODEL_DIR, load_encoder
from intents.model.encoder_vote import ACTING, EncoderVote
from intents.normalize import normalize_text
from intents.training.catalog_data import heldout_examples

RESULTS = Path(__file__).resolve().parent / "results"
OOS = "out_of_scope"
#: The cascade trusts a model intent from this confidence on (understander.MIN_CONFIDENCE).
BAR = 0.5
_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopoadfghjklkxcvbnmn"))


def typo(text: str, rng: random.Random) -> str:
    """One seeded slip in one word of four letters or more (the text unchanged when it has none)."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    k = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        w = w[:k] + w[k + 1:]
    elif kind == 1:
        w = w[:k] + w[k] + w[k:]
    elif kind == 2:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    else:
        w = w[:k] + _NEIGHBOURS.get(w[k], w[k]) + w[k + 1:]
    words[i] = w
    return " ".join(words)


def _score(names: list[tuple[str, float]], expected: list[str]) -> dict[str, float]:
    right = wrong_acting = 0
    for (name, conf), want in zip(names, expected):
        said = name if conf >= BAR else OOS
        right += said == want
        wrong_acting += said != want and said in ACTING
    return {"accuracy": round(right / len(expected), 4), "wrong_acting": round(wrong_acting / len(expected), 4)}


def _average(sparse: Any, encoder: Any, texts: list[str]) -> list[tuple[str, float]]:
    """Both models' probabilities averaged column by column (a class only one knows gets half)."""
    classes = sorted(set(map(str, sparse.classes_)) | set(encoder.classes))
    P = np.zeros((len(texts), len(classes)))
    for names, probs in ((list(map(str, sparse.classes_)), sparse.predict_proba(texts)),
                         (list(encoder.classes), encoder.predict_proba(texts))):
        P[:, [classes.index(c) for c in names]] += probs / 2
    return [(classes[int(p.argmax())], float(p.max())) for p in P]


def run(encoder_dir: Path) -> dict[str, Any]:
    catalog = load_catalog()
    encoder = load_encoder(encoder_dir)
    vote = EncoderVote(encoder)
    rows = heldout_examples("en")
    expected = [r.intent for r in rows]
    rng = random.Random(0)
    sets = {"clean": [normalize_text(r.text) for r in rows]}
    sets["typo"] = [typo(t, rng) for t in sets["clean"]]
    out: dict[str, Any] = {"cases": len(rows)}
    for name, texts in sets.items():
        sparse = [(OOS, 1.0) if p.out_of_scope else (p.intent, p.confidence)
                  for p in catalog.predict_many(texts, "en")]
        enc = [encoder.predict(t) for t in texts]
        fused = [vote.decide(t, s[0], s[1]) for t, s in zip(texts, sparse)]
        averaged = _average(catalog.models["en"], encoder, texts)
        out[name] = {"sparse": _score(sparse, expected), "encoder": _score(enc, expected),
                     "vote": _score(fused, expected), "average": _score(averaged, expected)}
    times, path_times = [], []
    for t in (sets["clean"] + sets["typo"]) * 3:
        t0 = time.perf_counter()
        encoder.predict_proba([t])
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        p = catalog.predict_many([t], "en")[0]
        if p.out_of_scope or p.confidence < BAR:  # the model path of a clause that reaches the encoder
            vote.decide(t, p.intent, p.confidence)
            path_times.append((time.perf_counter() - t0) * 1000)
    out["encoder_latency"] = summary(times)
    out["model_path_latency_when_unsure"] = summary(path_times)
    out["artifact_bytes"] = (encoder_dir / "en_encoder.onnx").stat().st_size
    out["training"] = {k: encoder.meta.get(k) for k in ("epochs", "epoch_seconds", "examples", "seconds")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="the English encoder beside the sparse model, held-out split")
    parser.add_argument("--encoder", type=Path, default=MODEL_DIR, help="folder of the encoder artifact")
    args = parser.parse_args()
    figures = run(args.encoder)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "encoder.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
