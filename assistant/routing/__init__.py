"""Edge and cloud inside a budget: the router's pure decision, latency estimates, and the LLM tiers."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.routing.forwarding import merged_plan, sent_text, usable_plan
    from assistant.routing.llm_tiers import LlmFallback
    from assistant.routing.placement import Placement, Role
    from assistant.routing.router import (
        CLOUD,
        EDGE,
        LOCAL,
        UPSTREAM,
        LatencyTracker,
        RouteInput,
        TierState,
        Use,
        compared,
        decide,
    )
    from assistant.routing.upstream import Upstream, intent_kinds

__all__ = ["CLOUD", "EDGE", "LOCAL", "UPSTREAM", "LatencyTracker", "LlmFallback", "Placement", "Role", "RouteInput",
           "TierState", "Upstream", "Use", "compared", "decide", "intent_kinds", "merged_plan", "sent_text", "usable_plan"]

__getattr__ = lazy_exports(__name__, {
    "forwarding": ["merged_plan", "sent_text", "usable_plan"],
    "llm_tiers": ["LlmFallback"],
    "placement": ["Placement", "Role"],
    "router": ["CLOUD", "EDGE", "LOCAL", "UPSTREAM", "LatencyTracker", "RouteInput", "TierState", "Use", "compared", "decide"],
    "upstream": ["Upstream", "intent_kinds"],
})
