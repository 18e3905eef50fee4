"""The routing policy as a pure function, and the latency tracker on a clock the test moves."""

from __future__ import annotations

import pytest

from assistant.routing.router import CLOUD, EDGE, LOCAL, LatencyTracker, RouteInput, TierState, decide

UP_CLOUD = TierState(CLOUD, True, 300.0)
UP_EDGE = TierState(EDGE, True, 1200.0)
NO_CLOUD = TierState(CLOUD)
NO_EDGE = TierState(EDGE)
DOWN_CLOUD = TierState(CLOUD, True, 300.0, open_for_s=12.5, why_open="connection failed")
SLOW_CLOUD = TierState(CLOUD, True, 5000.0)


def _in(conf: float = 0.4, oos: bool = False, left: float = 2500.0, privacy: str = "standard",
        cloud: TierState = UP_CLOUD, edge: TierState = UP_EDGE, dialog: bool = False) -> RouteInput:
    return RouteInput(conf, oos, dialog, left, privacy, cloud, edge, reserve_ms=200.0)


@pytest.mark.parametrize(
    ("case", "use", "tier", "says"),
    [
        (_in(conf=0.95), LOCAL, "edge", "confidence 0.95 >= 0.80"),
        (_in(conf=0.80), LOCAL, "edge", "0.80 >= 0.80"),
        (_in(conf=0.79), CLOUD, "cloud", "confidence 0.79 < 0.80; cloud p90 300 ms fits 2300 ms left"),
        (_in(conf=0.0, oos=True), CLOUD, "cloud", "out of scope locally"),
        (_in(conf=0.95, oos=True), CLOUD, "cloud", "out of scope locally"),
        (_in(dialog=True, conf=0.3), LOCAL, "edge", "dialog turn"),
        (_in(privacy="local_only"), EDGE, "edge", "home is local_only: no cloud; edge p90 1200 ms fits"),
        (_in(privacy="local_only", edge=NO_EDGE), LOCAL, "edge", "home is local_only: no cloud; no edge LLM configured"),
        (_in(cloud=DOWN_CLOUD), EDGE, "edge", "cloud unreachable (connection failed; retry in 13 s)"),
        (_in(cloud=DOWN_CLOUD, edge=NO_EDGE), LOCAL, "edge", "answered locally"),
        (_in(cloud=SLOW_CLOUD), EDGE, "edge", "cloud p90 5000 ms > 2300 ms left"),
        (_in(cloud=SLOW_CLOUD, left=1000.0), LOCAL, "edge", "edge p90 1200 ms > 800 ms left"),
        (_in(left=400.0), LOCAL, "edge", "cloud p90 300 ms > 200 ms left"),
        (_in(left=500.0), CLOUD, "cloud", "cloud p90 300 ms fits 300 ms left"),
        (_in(left=-50.0), LOCAL, "edge", "> 0 ms left"),
        (_in(cloud=NO_CLOUD, edge=NO_EDGE), LOCAL, "edge", "no cloud LLM configured; no edge LLM configured"),
        (_in(cloud=TierState(CLOUD, True, 300.0, failed="timeout")), EDGE, "edge", "cloud failed (timeout)"),
        (RouteInput(0.9, False, False, 2500.0, "standard", UP_CLOUD, UP_EDGE, flagged=True), CLOUD, "cloud",
         "the local layer asked for the LLM"),
    ],
)
def test_policy(case: RouteInput, use: str, tier: str, says: str) -> None:
    decision = decide(case)
    assert decision.use == use
    assert decision.tier == tier
    assert says in decision.reason


def test_local_only_never_cloud_whatever_else_holds() -> None:
    for conf in (0.0, 0.3, 0.79):
        for left in (100.0, 2500.0, 60000.0):
            for edge in (UP_EDGE, NO_EDGE, TierState(EDGE, True, 10.0)):
                decision = decide(_in(conf=conf, left=left, privacy="local_only", cloud=TierState(CLOUD, True, 1.0), edge=edge))
                assert decision.use != CLOUD and decision.tier == "edge"


def test_degraded_only_when_a_tier_could_have_helped() -> None:
    assert decide(_in(cloud=DOWN_CLOUD, edge=NO_EDGE)).degraded
    assert decide(_in(left=100.0)).degraded
    assert not decide(_in(cloud=NO_CLOUD, edge=NO_EDGE)).degraded
    assert not decide(_in(privacy="local_only", edge=NO_EDGE)).degraded
    assert not decide(_in(conf=0.9)).degraded


def test_llm_budget_is_what_is_left_minus_the_reserve() -> None:
    assert decide(_in(left=2500.0)).llm_budget_ms == pytest.approx(2300.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_tracker_prior_then_p90_of_recent_calls() -> None:
    clock = Clock()
    tracker = LatencyTracker(1500.0, window=10, clock=clock)
    assert tracker.estimate_ms() == 1500.0
    for ms in (100, 110, 120, 130, 140, 150, 160, 170, 180, 900):
        tracker.record(ms, "ok")
    assert tracker.estimate_ms() == 180  # the p90 of ten: one outlier does not move it
    tracker.record(950, "ok")
    tracker.record(990, "ok")
    assert tracker.estimate_ms() == 950


def test_tracker_samples_age_out_so_a_slow_tier_is_tried_again() -> None:
    clock = Clock()
    tracker = LatencyTracker(800.0, max_age_s=60.0, clock=clock)
    tracker.record(4000, "ok")
    assert tracker.estimate_ms() == 4000
    clock.now += 61
    assert tracker.estimate_ms() == 800.0


def test_circuit_opens_on_connection_failure_and_closes_after_the_pause() -> None:
    clock = Clock()
    tracker = LatencyTracker(800.0, open_s=30.0, clock=clock)
    tracker.record(3, "unavailable")
    state = tracker.state(CLOUD, True)
    assert state.open_for_s == pytest.approx(30.0) and state.why_open == "connection failed"
    assert decide(_in(cloud=state, edge=NO_EDGE)).use == LOCAL
    clock.now += 31
    assert tracker.state(CLOUD, True).open_for_s == 0.0
    assert decide(_in(cloud=tracker.state(CLOUD, True))).use == CLOUD


def test_two_timeouts_in_a_row_open_the_circuit_one_does_not() -> None:
    clock = Clock()
    tracker = LatencyTracker(300.0, clock=clock)
    tracker.record(2000, "timeout")
    assert tracker.state(CLOUD, True).open_for_s == 0.0
    tracker.record(250, "ok")
    tracker.record(2000, "timeout")
    assert tracker.state(CLOUD, True).open_for_s == 0.0
    tracker.record(2000, "timeout")
    assert tracker.state(CLOUD, True).why_open == "2 timeouts in a row"
