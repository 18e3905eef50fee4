"""Route reasons say the comparison that was made, and the thresholds come from the configuration."""

from __future__ import annotations

import time

import pytest

from assistant.app.config import LlmOptions
from assistant.routing.llm_tiers import LlmFallback
from assistant.routing.router import CLOUD, EDGE, RouteInput, TierState, compared, decide
from domain.home import load_demo_home
from intents.types import Intent, IntentSource, Understanding


@pytest.mark.parametrize(
    ("value", "threshold", "said"),
    [
        (0.7999, 0.80, "0.7999 < 0.8000"),
        (0.799999999, 0.80, "0.799999999 < 0.8"),
        (0.80, 0.80, "0.80 >= 0.80"),
        (0.80001, 0.80, "0.80 >= 0.80"),
        (0.95, 0.80, "0.95 >= 0.80"),
        (0.59, 0.6, "0.59 < 0.60"),
    ],
)
def test_a_comparison_is_shown_as_it_came_out(value: float, threshold: float, said: str) -> None:
    assert compared(value, threshold) == said


def test_a_confidence_just_under_the_threshold_never_reads_as_equal() -> None:
    decision = decide(RouteInput(0.7999, False, False, 2500.0, "standard", TierState(CLOUD), TierState(EDGE)))
    assert "confidence 0.7999 < 0.8000" in decision.reason
    assert "0.80 < 0.80" not in decision.reason


def _reading(confidence: float) -> tuple[Understanding, tuple[Intent, ...]]:
    intents = (Intent("device.turn_on", {"device": "kitchen_light"}, confidence, IntentSource.RULES, "开厨房灯"),)
    return Understanding(intents, "zh", "开厨房灯"), intents


async def test_the_thresholds_are_the_configured_ones() -> None:
    home = load_demo_home()
    understanding, intents = _reading(0.9)
    strict = LlmFallback((), options=LlmOptions(confidence=0.95))
    resolved = await strict.resolve("开厨房灯", understanding, intents, home, (), "zh", time.monotonic() + 2.5)
    assert "confidence 0.90 < 0.95" in resolved.route.reason
