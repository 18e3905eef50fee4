"""What the pages show, worked out from the typed records: a request's waterfall, a device's state in words.

Pure functions of their inputs, so the templates stay free of arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistant.console.requests import RequestRecord, StageSpan

#: Stages the pipeline times (in ``timings_ms``) in the order they run, for records that lack the events.
PIPELINE_STAGES = ("nlu", "plan", "skills")


@dataclass(frozen=True)
class Bar:
    """One bar of a waterfall: ``left``/``width`` in percent of the whole; ``nested`` for a part of
    another stage (the LLM call inside planning); ``running`` for a stage not yet ended."""

    name: str
    start_ms: float
    elapsed_ms: float
    left: float
    width: float
    nested: bool = False
    running: bool = False


@dataclass(frozen=True)
class Waterfall:
    bars: tuple[Bar, ...]
    total_ms: float


def _spans(record: RequestRecord) -> tuple[StageSpan, ...]:
    """The stage events seen, or (for an answer that came without them) the stages its timings name, in order."""
    if record.stages or record.answer is None:
        return record.stages
    spans, start = [], 0.0
    for name in PIPELINE_STAGES:
        if name in record.answer.timings_ms:
            elapsed = record.answer.timings_ms[name]
            spans.append(StageSpan(name, start, elapsed))
            start += elapsed
    return tuple(spans)


def waterfall(record: RequestRecord) -> Waterfall:
    """Recognition first (a spoken turn's ``asr``: end of speech to transcript), then the pipeline's stages."""
    timings = record.answer.timings_ms if record.answer is not None else {}
    raw: list[tuple[str, float, float, bool, bool]] = []  # name, start, elapsed, nested, running
    shift = timings.get("asr", 0.0) if record.spoken else 0.0
    if shift:
        raw.append(("asr", 0.0, shift, False, False))
    for span in _spans(record):
        raw.append((span.name, shift + span.start_ms, span.elapsed_ms or 0.0, False, span.elapsed_ms is None))
        if span.name == "plan" and timings.get("llm"):
            raw.append(("llm", shift + span.start_ms, timings["llm"], True, False))
    ends = [start + elapsed for _, start, elapsed, _, _ in raw]
    total = max([*ends, shift + timings.get("total", 0.0), 0.001])
    bars = tuple(
        Bar(name, round(start, 1), round(elapsed, 1), round(100 * start / total, 2), round(max(0.4, 100 * elapsed / total), 2),
            nested, running)
        for name, start, elapsed, nested, running in raw
    )
    return Waterfall(bars, round(total, 1))


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def state_text(state: Mapping[str, Any]) -> str:
    """A device's state in a line: power first, then the rest by name."""
    keys = sorted(state, key=lambda k: (k != "power", k))
    return " · ".join(value_text(state[k]) if k == "power" else f"{k} {value_text(state[k])}" for k in keys)


def risk_text(risky: Mapping[str, Any]) -> str:
    """The changes that need a confirmation turn, in words (``lock → unlocked``, ``temperature > 30``)."""
    parts = []
    for attribute, rule in sorted(risky.items()):
        if isinstance(rule, Mapping) and "above" in rule:
            parts.append(f"{attribute} > {value_text(rule['above'])}")
        else:
            parts.append(f"{attribute} → {value_text(rule)}")
    return ", ".join(parts)


def clock(seconds: float) -> str:
    """A wall-clock second as the local time of day."""
    return datetime.fromtimestamp(seconds).strftime("%H:%M:%S")


def countdown(seconds: float) -> str:
    """``1 h 02 min``, ``4 min 05 s``, ``12 s``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
