"""Evaluation cases (docs/eval-cases.md, v2): parsing and checking one answer against them.

Pure functions: the runner (:mod:`assistant.evaluation.runner`) supplies the answer and the
device states read back over MQTT; what was played and cited is checked in
:mod:`assistant.evaluation.content_checks`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.evaluation.content_checks import citation_failures, honesty_failures, media_failures, unknown_failures
from assistant.pipeline.messages import Answer
from domain.errors import invalid_argument


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    category: str = "uncategorised"
    lang: str | None = None
    speaker: str | None = None
    session: str | None = None
    now: datetime | None = None
    audio: Path | None = None
    expect: Mapping[str, Any] = field(default_factory=dict)


def parse_cases(path: Path) -> list[Case]:
    """Read a JSONL case file; a malformed line is an error that names it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise invalid_argument(f"cannot read cases file {path}: {err.strerror}") from err
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            audio = raw.get("audio")
            cases.append(
                Case(
                    id=str(raw["id"]),
                    text=str(raw.get("text", "")),
                    category=str(raw.get("category") or "uncategorised"),
                    lang=raw.get("lang"),
                    speaker=raw.get("speaker"),
                    session=raw.get("session"),
                    now=datetime.fromisoformat(raw["now"]) if raw.get("now") else None,
                    audio=(path.parent / audio) if audio else None,
                    expect=dict(raw.get("expect") or {}),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise invalid_argument(f"{path}:{number}: not a valid case ({err})") from err
    return cases


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return abs(expected - actual) < 1e-6
    return bool(expected == actual)


def check(
    case: Case,
    answer: Answer,
    after: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, Mapping[str, Any]] | None,
) -> list[str]:
    """Every expectation of ``case`` that ``answer`` and the device states break."""
    expect = case.expect
    failures = []
    if "intents" in expect:
        got = [i.name for i in answer.intents]
        if got != list(expect["intents"]):
            failures.append(f"intents: expected {expect['intents']}, got {got}")
    for device, attributes in (expect.get("state") or {}).items():
        state = after.get(device)
        if state is None:
            failures.append(f"state: no state read back for {device}")
            continue
        for attribute, value in attributes.items():
            if not _same(value, state.get(attribute)):
                failures.append(f"state: {device}.{attribute} expected {value!r}, got {state.get(attribute)!r}")
    if expect.get("unchanged") and before is not None:
        changed = sorted(d for d in after if after[d] != before.get(d))
        if changed:
            failures.append(f"unchanged: these devices changed: {', '.join(changed)}")
    if "awaiting" in expect and expect["awaiting"] != answer.awaiting:
        failures.append(f"awaiting: expected {expect['awaiting']!r}, got {answer.awaiting!r}")
    wanted = expect.get("speech_contains") or []
    if wanted and not any(w in answer.speech for w in wanted):
        failures.append(f"speech: none of {wanted} in {answer.speech!r}")
    if "media" in expect:
        failures.extend(media_failures(expect["media"], answer))
    if expect.get("citations_any"):
        failures.extend(citation_failures(expect["citations_any"], answer))
    if expect.get("honest_unknown"):
        failures.extend(unknown_failures(answer))
    failures.extend(honesty_failures(expect.get("intents") or [i.name for i in answer.intents], answer))
    return failures
