"""``assistant eval``: run cases end to end and check what the devices report over MQTT.

Besides pass/fail, every case records the devices it changed without expecting to
(:mod:`assistant.evaluation.actions`): the summary's ``wrong_action_rate`` is their share of the
cases, and ``question_acted`` counts the questions among them.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.api.convert import answer_to_json
from assistant.app.runtime import Runtime
from assistant.evaluation.actions import question_case, unexpected_changes
from assistant.evaluation.cases import Case, check
from assistant.pipeline.messages import Answer, Request
from assistant.voice.audio import read_wav
from assistant.voice.service import VoiceService, answer_audio
from domain.errors import ErrorCode, LingxiError
from domain.home import Home
from iot_bridge import read_states

#: How long a reset home may take to report its initial state back to the bridge.
SETTLE_TIMEOUT_S = 5.0
STATE_READ_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class CaseResult:
    case: Case
    passed: bool
    failures: tuple[str, ...]
    answer: Answer | None
    latency_ms: float
    #: Devices the case changed that it did not expect to change (the wrong-action metric).
    wrong_actions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "category": self.case.category,
            "pass": self.passed,
            "failures": list(self.failures),
            "wrong_actions": list(self.wrong_actions),
            "answer": answer_to_json(self.answer) if self.answer else None,
        }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summarize(results: list[CaseResult]) -> dict[str, Any]:
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: {"cases": 0, "passed": 0})
    for r in results:
        by_category[r.case.category]["cases"] += 1
        by_category[r.case.category]["passed"] += int(r.passed)
    latencies = [r.latency_ms for r in results if r.answer is not None]
    acted = [r for r in results if r.wrong_actions]
    return {
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "by_category": dict(sorted(by_category.items())),
        "wrong_actions": len(acted),
        "wrong_action_rate": round(len(acted) / len(results), 4) if results else 0.0,
        "question_acted": sum(question_case(r.case.expect.get("intents") or ()) for r in acted),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 3) if latencies else 0.0,
            "p95": round(percentile(latencies, 95), 3),
        },
    }


class Evaluator:
    def __init__(self, runtime: Runtime, home: Home) -> None:
        self._runtime = runtime
        self._home = home
        self._voice_service: VoiceService | None = None

    def _voice(self) -> VoiceService:
        """The recogniser is loaded only for case files with audio."""
        if self._voice_service is None:
            self._voice_service = VoiceService()
        return self._voice_service

    async def _states(self) -> Mapping[str, Mapping[str, Any]]:
        assert self._runtime.mqtt is not None
        return await read_states(self._runtime.mqtt, self._home, STATE_READ_TIMEOUT_S)

    async def _reset(self) -> None:
        """Reset the simulated home and wait until the bridge has seen its initial state."""
        await self._runtime.reset_home(self._home.id)
        assert self._runtime.bridge is not None
        if not await self._runtime.bridge.sync(SETTLE_TIMEOUT_S):
            raise LingxiError(ErrorCode.UNAVAILABLE, f"the bridge did not see home {self._home.id} reset within {SETTLE_TIMEOUT_S} s")

    async def run_case(self, case: Case, session_id: str) -> CaseResult:
        assert self._runtime.pipeline is not None
        before = await self._states()
        request = Request(
            text=case.text,
            speaker_id=case.speaker or next(iter(self._home.speakers)),
            request_id=case.id,
            session_id=session_id,
            lang=case.lang,
            now=case.now,
        )
        started = time.monotonic()
        try:
            if case.audio is not None:
                fmt, pcm = await asyncio.to_thread(read_wav, case.audio)
                answer = await answer_audio(self._voice(), self._runtime.pipeline, request, fmt, pcm)
            else:
                answer = await self._runtime.pipeline.run(request)
        except LingxiError as err:
            return CaseResult(case, False, (f"error {err.code.value}: {err.message}",), None, 0.0)
        latency = (time.monotonic() - started) * 1000
        after = await self._states()
        failures = check(case, answer, after, before)
        wrong = unexpected_changes(case.expect, answer, before, after, self._home)
        return CaseResult(case, not failures, tuple(failures), answer, latency, tuple(wrong))

    async def run(self, cases: list[Case]) -> list[CaseResult]:
        results = []
        sessions: dict[str, str] = {}
        for case in cases:
            if case.session is None or case.session not in sessions:
                await self._reset()
            if case.session is None:
                session_id = uuid.uuid4().hex
            else:
                session_id = sessions.setdefault(case.session, f"eval-{case.session}-{uuid.uuid4().hex[:8]}")
            results.append(await self.run_case(case, session_id))
        return results


def lines(results: list[CaseResult]) -> Iterator[str]:
    """The human-readable report."""
    for r in results:
        if not r.passed:
            yield f"FAIL {r.case.id} {r.case.text!r}: " + "; ".join(r.failures)
        if r.wrong_actions:
            yield f"WRONG ACTION {r.case.id} {r.case.text!r}: changed {', '.join(r.wrong_actions)}"
    summary = summarize(results)
    for category, counts in summary["by_category"].items():
        yield f"{category:>16}: {counts['passed']}/{counts['cases']}"
    yield (
        f"{'overall':>16}: {summary['passed']}/{summary['cases']} passed; "
        f"latency p50 {summary['latency_ms']['p50']} ms, p95 {summary['latency_ms']['p95']} ms"
    )
    yield (
        f"{'wrong actions':>16}: {summary['wrong_actions']}/{summary['cases']} cases "
        f"(rate {summary['wrong_action_rate']:.2%}); questions that acted: {summary['question_acted']}"
    )
