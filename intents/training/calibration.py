"""Held-out data for calibration, and the calibration itself: stratified splits and folds, and the
softmax temperature fitted by held-out negative log-likelihood (training only; serving applies it
with :func:`intents.model.classifier.softmax`)."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from intents.model.classifier import softmax

__all__ = ["fit_temperature", "stratified_folds", "stratified_holdout"]


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """Scale ``a`` of softmax(a * scores) minimising held-out NLL (golden-section on log a)."""
    idx = np.arange(len(y))

    def nll(loga: float) -> float:
        p = softmax(scores * np.exp(loga))
        return float(-np.mean(np.log(p[idx, y] + 1e-12)))

    lo, hi = np.log(0.1), np.log(200.0)
    g = (np.sqrt(5) - 1) / 2
    c, d = hi - g * (hi - lo), lo + g * (hi - lo)
    fc, fd = nll(c), nll(d)
    for _ in range(40):
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - g * (hi - lo)
            fc = nll(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + g * (hi - lo)
            fd = nll(d)
    return float(np.exp((lo + hi) / 2))


def stratified_holdout(labels: Sequence[str], frac: float, seed: int) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    by: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by.setdefault(lab, []).append(i)
    tr: list[int] = []
    ho: list[int] = []
    for lab in sorted(by):
        ids = by[lab][:]
        rng.shuffle(ids)
        k = int(round(len(ids) * frac)) if len(ids) >= 4 else 0
        ho += ids[:k]
        tr += ids[k:]
    return sorted(tr), sorted(ho)


def stratified_folds(labels: Sequence[str], folds: int, seed: int) -> list[int]:
    """The fold of each example: each label's examples shuffled (seeded) and dealt round the folds."""
    rng = random.Random(seed)
    by: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by.setdefault(lab, []).append(i)
    fold_of = [0] * len(labels)
    start = 0
    for lab in sorted(by):
        ids = by[lab][:]
        rng.shuffle(ids)
        for n, i in enumerate(ids):
            fold_of[i] = (start + n) % folds
        start += len(ids)  # the next label starts where this one stopped, so small labels spread out
    return fold_of
