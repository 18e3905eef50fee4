"""The edge/cloud router: which tier understands a request, inside its latency budget.

:func:`decide` is the policy, a pure function of what is known at that instant: the
local understanding's confidence, the time left before the deadline, the home's
privacy policy, and each tier's latency estimate and reachability. The tiers are the
LLMs this instance calls itself (cloud and edge) and, on an edge instance, its upstream
cloud instance, which is asked first: for a request the local layer cannot place, and
for a confident one whose tasks are of a kind the upstream answers (``unplaced``). The
:class:`LatencyTracker` keeps those estimates: the p90 of a tier's recent calls (a
window that ages out, so a tier that was slow once is tried again later) and a circuit
breaker that marks a tier unreachable for a while after it refused to connect or timed
out twice in a row.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from assistant.app.config import LlmOptions
from assistant.pipeline.messages import Tier


class Use(StrEnum):
    """Who understands a request: the local models alone, the edge LLM, the cloud LLM or the upstream instance."""

    LOCAL = "local"
    EDGE = "edge"
    CLOUD = "cloud"
    UPSTREAM = "upstream"


LOCAL, EDGE, CLOUD, UPSTREAM = Use.LOCAL, Use.EDGE, Use.CLOUD, Use.UPSTREAM


@dataclass(frozen=True)
class TierState:
    """What the router knows about one LLM tier now."""

    name: Use
    configured: bool = False
    estimate_ms: float = 0.0  # p90 of recent calls, or the prior before any
    open_for_s: float = 0.0  # > 0: unreachable, skipped for this long
    why_open: str = ""
    failed: str = ""  # non-empty: this request already tried the tier and it failed (e.g. "timeout")


@dataclass(frozen=True)
class RouteInput:
    confidence: float  # the lowest confidence among the local intents
    out_of_scope: bool  # the local layer found nothing it serves
    dialog: bool  # the local layer heard a dialog turn (confirm/deny/cancel, an answer to a question)
    remaining_ms: float
    privacy: str  # "standard" or "local_only"
    cloud: TierState
    edge: TierState
    reserve_ms: float = 200.0  # kept for the skills after the LLM
    threshold: float = LlmOptions.confidence  # at or above it (and in scope) no LLM is asked; config is the source
    flagged: bool = False  # the local layer itself asked for the fallback (Understanding.needs_fallback)
    upstream: TierState = TierState(UPSTREAM)  # the upstream cloud instance of an edge instance
    unplaced: tuple[str, ...] = ()  # local intents of the kinds the upstream answers when it can

    @property
    def confident(self) -> bool:
        """The local reading is good enough to act on without any LLM."""
        return self.confidence >= self.threshold and not self.out_of_scope and not self.flagged


@dataclass(frozen=True)
class Decision:
    """``use`` says who understands; ``tier`` is what the answer's route names.

    ``degraded``: an LLM was wanted and one is configured for this home, but none can answer in time.
    """

    use: Use
    reason: str
    llm_budget_ms: float = 0.0
    degraded: bool = False

    @property
    def tier(self) -> Tier:
        return Tier.CLOUD if self.use in (Use.CLOUD, Use.UPSTREAM) else Tier.EDGE


def _tier_note(tier: TierState, budget_ms: float) -> tuple[bool, str]:
    """(usable, why) for one tier."""
    if not tier.configured:
        return False, f"no {tier.name} LLM configured"
    if tier.failed:
        return False, f"{tier.name} failed ({tier.failed})"
    if tier.open_for_s > 0:
        return False, f"{tier.name} unreachable ({tier.why_open or 'circuit open'}; retry in {math.ceil(tier.open_for_s)} s)"
    if tier.estimate_ms > budget_ms:
        return False, f"{tier.name} p90 {tier.estimate_ms:.0f} ms > {max(budget_ms, 0):.0f} ms left"
    return True, f"{tier.name} p90 {tier.estimate_ms:.0f} ms fits {budget_ms:.0f} ms left"


def compared(value: float, threshold: float) -> str:
    """``value`` against ``threshold`` as the comparison actually came out ("0.7999 < 0.8000", never
    "0.80 < 0.80"): two decimals, more when two would round the difference away."""
    op = ">=" if value >= threshold else "<"
    for digits in range(2, 7):
        shown, limit = f"{value:.{digits}f}", f"{threshold:.{digits}f}"
        if (float(shown) >= float(limit)) == (value >= threshold):
            return f"{shown} {op} {limit}"
    return f"{value!r} {op} {threshold!r}"


def decide(x: RouteInput) -> Decision:
    """Local only, the upstream instance, edge LLM or cloud LLM for one request (see the module docstring)."""
    if x.dialog:
        return Decision(LOCAL, "dialog turn: answered by the local layer only")
    confident = x.confident
    upstream = [x.upstream] if x.upstream.configured else []
    if confident and not (x.unplaced and upstream):
        return Decision(LOCAL, f"confidence {compared(x.confidence, x.threshold)}")
    if confident:  # understood here, but the upstream answers tasks of this kind better (its catalogue, its models)
        why = f"confidence {compared(x.confidence, x.threshold)}; {', '.join(x.unplaced)}: the cloud's"
    elif x.out_of_scope:
        why = "out of scope locally"
    elif x.confidence < x.threshold:
        why = f"confidence {compared(x.confidence, x.threshold)}"
    else:
        why = "the local layer asked for the LLM"
    budget = x.remaining_ms - x.reserve_ms
    notes = []
    candidates = upstream if confident else [*upstream, x.cloud, x.edge]
    if x.privacy == "local_only":
        notes.append("home is local_only: no cloud")
        candidates = [] if confident else [x.edge]
    for tier in candidates:
        usable, note = _tier_note(tier, budget)
        if usable:
            return Decision(tier.name, "; ".join([why, *notes, note]), llm_budget_ms=budget)
        notes.append(note)
    degraded = not confident and any(t.configured for t in candidates)
    return Decision(LOCAL, "; ".join([why, *notes, "answered locally"]), degraded=degraded)


class LatencyTracker:
    """Rolling latency (p90 of a window that ages out) and a circuit breaker for one backend."""

    def __init__(
        self, prior_ms: float, *, window: int = 20, max_age_s: float = 30.0, open_s: float = 30.0,
        timeouts_to_open: int = 2, clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._prior_ms = prior_ms
        self._samples: deque[tuple[float, float]] = deque(maxlen=window)
        self._max_age_s = max_age_s
        self._open_s = open_s
        self._timeouts_to_open = timeouts_to_open
        self._clock = clock
        self._timeouts = 0
        self._open_until = 0.0
        self._why_open = ""

    def record(self, elapsed_ms: float, outcome: str) -> None:
        """One call's outcome: ``ok``, ``invalid_output``, ``timeout`` or ``unavailable``."""
        now = self._clock()
        if outcome == "unavailable":
            self._open(now, "connection failed")
            return
        self._samples.append((now, elapsed_ms))  # a timeout is a lower bound: it still raises the p90
        if outcome == "timeout":
            self._timeouts += 1
            if self._timeouts >= self._timeouts_to_open:
                self._open(now, f"{self._timeouts} timeouts in a row")
        else:
            self._timeouts = 0

    def _open(self, now: float, why: str) -> None:
        self._open_until = now + self._open_s
        self._why_open = why
        self._timeouts = 0

    def estimate_ms(self) -> float:
        now = self._clock()
        recent = sorted(ms for at, ms in self._samples if now - at <= self._max_age_s)
        if not recent:
            return self._prior_ms
        return recent[min(len(recent) - 1, math.ceil(0.9 * len(recent)) - 1)]

    def state(self, name: Use, configured: bool) -> TierState:
        open_for = max(0.0, self._open_until - self._clock())
        return TierState(name, configured, self.estimate_ms(), open_for, self._why_open if open_for else "")
