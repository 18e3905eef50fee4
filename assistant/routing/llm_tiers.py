"""The LLM fallback the pipeline calls once per request: the router's decision, carried out.

Given the local understanding (with the session applied), the home, the language and
the deadline, it returns the intents to run, where they run (:class:`Placement`) and the
answer's :class:`Route`. An LLM, or on an edge instance its upstream cloud instance, is
asked only when the router says so, only for the time the budget leaves, and a failed
call (timeout, unreachable, invalid output) tries the next tier if that still fits, then
falls back to the best safe local answer: the local reading when there was one,
otherwise a request to rephrase. It never raises for an LLM's or the upstream's failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from assistant.app.config import LlmOptions
from assistant.dialog.confirmation import DIALOG_INTENTS
from assistant.pipeline.messages import Request, Route, Tier
from assistant.routing.forwarding import merged_plan, sent_text, usable_plan
from assistant.routing.placement import Placement, Role
from assistant.routing.router import CLOUD, EDGE, UPSTREAM, Decision, LatencyTracker, RouteInput, TierState, Use, decide
from assistant.routing.upstream import Reply, Upstream
from domain.devices import DeviceInfo
from domain.errors import UpstreamError
from domain.home import Home
from intents.llm.backends import LlmBackend, LlmError, choose_backend, make_backend, packaged_gguf
from intents.llm.planner import LlmPlanner
from intents.llm.schema import Served
from intents.types import Intent, IntentSource, Understanding
from skills.sdk import SkillResult

_LOGGER = logging.getLogger(__name__)

#: Latency assumed for a tier before its first call (ms).
PRIORS_MS = {CLOUD: 1500.0, EDGE: 2000.0}
REPHRASE = "not_understood"


@dataclass(frozen=True)
class Resolution:
    """What the pipeline runs and says about it; ``decisions`` are the router's, in order (one per attempt)."""

    intents: tuple[Intent, ...]
    route: Route
    decisions: tuple[Decision, ...] = ()
    errors: tuple[str, ...] = field(default=())
    llm_ms: float = 0.0  # time spent in LLM calls (0: none was made)
    placement: Placement = Placement()


def rephrase_intent(text: str) -> Intent:
    """The best safe answer when nothing understood the request in time: out_of_scope, asking to rephrase."""
    return Intent("out_of_scope", {"reason": REPHRASE}, 0.0, IntentSource.RULES, text)


def _understood(intents: Sequence[Intent], usable: float) -> bool:
    """Whether the local reading is worth acting on (every intent in scope and at least ``usable`` sure)."""
    return bool(intents) and all(i.name != "out_of_scope" and i.confidence >= usable for i in intents)


class LlmFallback:
    """The cloud and edge planners (either may be absent), their latency trackers, and the policy.

    ``role``: a cloud instance plans tool tasks and never runs them; ``upstream``: an edge
    instance's cloud instance, asked before any LLM.
    """

    def __init__(
        self, served: Iterable[Served], cloud: LlmPlanner | None = None, edge: LlmPlanner | None = None,
        options: LlmOptions | None = None, *, role: Role = Role.BOTH, upstream: Upstream | None = None,
    ) -> None:
        options = options or LlmOptions()
        self._served = tuple(served)
        self._planners = {CLOUD: cloud, EDGE: edge}
        self._options = options
        self.role = role
        self.upstream = upstream
        self.trackers = {
            name: LatencyTracker(PRIORS_MS[name], open_s=options.circuit_open_s) for name in (CLOUD, EDGE)
        }

    @classmethod
    def from_options(
        cls, options: LlmOptions, served: Iterable[Served], *, upstream: Upstream | None = None,
    ) -> LlmFallback:
        planners: dict[str, LlmPlanner | None] = {}
        gguf = options.edge_gguf or (packaged_gguf() if options.edge_enabled else "")
        for tier in (CLOUD, EDGE):
            spec = choose_backend(
                tier, cloud_url=options.cloud_url, cloud_model=options.cloud_model, cloud_key=options.cloud_key,
                cloud_timeout_s=options.cloud_timeout_s, edge_enabled=options.edge_enabled, edge_gguf=gguf,
                edge_threads=options.edge_threads, edge_timeout_s=options.edge_timeout_s,
            )
            planners[tier] = LlmPlanner(make_backend(spec, tier), options.require_grounding) if spec else None
        if options.edge_enabled and planners[EDGE] is None:
            _LOGGER.warning("llm.edge_enabled is set but no GGUF was found (set llm.edge_gguf or install '.[llm]')")
        return cls(served, planners[CLOUD], planners[EDGE], options, upstream=upstream)

    def serve(self, served: Iterable[Served]) -> None:
        """What the planners may answer with from now on (a skill was installed or removed)."""
        self._served = tuple(served)

    async def start(self) -> None:
        """Load what loads (the edge model) before the first request; a failure is logged, not fatal."""
        for tier, planner in self._planners.items():
            if planner is None:
                continue
            try:
                await planner.backend.warm_up()
            except LlmError as err:
                _LOGGER.warning("llm %s tier unavailable: %s", tier, err)
                self.trackers[tier].record(0.0, err.reason.value)

    def backends(self) -> dict[str, LlmBackend]:
        """The configured tiers' backends by tier name, the cloud first (generation writes with them)."""
        return {tier: planner.backend for tier, planner in self._planners.items() if planner is not None}

    async def close(self) -> None:
        for planner in self._planners.values():
            if planner is not None:
                await planner.backend.close()
        if self.upstream is not None:
            await self.upstream.close()

    def _state(self, tier: Use, failed: dict[Use, str]) -> TierState:
        state = self.trackers[tier].state(tier, self._planners[tier] is not None)
        return replace(state, failed=failed.get(tier, ""))

    def _input(
        self, intents: Sequence[Intent], home: Home, deadline: float, failed: dict[Use, str], flagged: bool,
        upstream: Upstream | None, unplaced: Sequence[int],
    ) -> RouteInput:
        return RouteInput(
            confidence=min((i.confidence for i in intents), default=0.0),
            out_of_scope=not intents or any(i.name == "out_of_scope" for i in intents),
            dialog=any(i.name in DIALOG_INTENTS for i in intents),
            remaining_ms=(deadline - time.monotonic()) * 1000,
            privacy=home.privacy,
            cloud=self._state(CLOUD, failed),
            edge=self._state(EDGE, failed),
            reserve_ms=self._options.reserve_ms,
            threshold=self._options.confidence,
            flagged=flagged,
            upstream=upstream.state(failed.get(UPSTREAM, "")) if upstream else TierState(UPSTREAM),
            unplaced=tuple(intents[i].name for i in unplaced),
        )

    async def resolve(
        self, text: str, understanding: Understanding, intents: tuple[Intent, ...], home: Home,
        devices: Sequence[DeviceInfo], lang: str, deadline: float, request: Request | None = None,
    ) -> Resolution:
        """The intents to run for this turn, where, and the route that says who understood them and why.

        ``request``: the turn as the device sent it; without it nothing is forwarded upstream.
        """
        plan_only = self.role is Role.CLOUD or (request is not None and request.plan_only)
        resolution = await self._resolve(text, understanding, intents, home, devices, lang, deadline, request)
        return replace(resolution, placement=replace(resolution.placement, plan_only=plan_only))

    async def _resolve(
        self, text: str, understanding: Understanding, intents: tuple[Intent, ...], home: Home,
        devices: Sequence[DeviceInfo], lang: str, deadline: float, request: Request | None,
    ) -> Resolution:
        # the session may have completed the turn (an answer to "which one?"): then the flag no longer applies
        flagged = understanding.needs_fallback and [i.name for i in intents] == [i.name for i in understanding.intents]
        upstream = self.upstream if request is not None else None
        unplaced = [n for n, i in enumerate(intents) if upstream is not None and upstream.forwards(i.name)]
        decisions: list[Decision] = []
        errors: list[str] = []
        failed: dict[Use, str] = {}
        begun: float | None = None  # when the first LLM call began
        for _ in range(3):  # the chosen tier, then the next one while one failed and another still fits
            route_input = self._input(intents, home, deadline, failed, flagged, upstream, unplaced)
            decision = decide(route_input)
            decisions.append(decision)
            if decision.use is UPSTREAM and upstream is not None and request is not None:
                whole = not route_input.confident
                sent = sent_text(text, intents, unplaced, whole, lang)
                try:
                    reply = await upstream.ask(request, sent, lang, decision.llm_budget_ms)
                except UpstreamError as err:
                    failed[UPSTREAM] = err.reason.value
                    errors.append(f"upstream {err.reason.value} ({err.message})")
                    _LOGGER.info("upstream failed: %s", err)
                    continue
                return self._forwarded(decision, reply, intents, unplaced, whole, errors, decisions)
            planner = self._planners.get(decision.use) if decision.use in (CLOUD, EDGE) else None
            if planner is None:
                break
            started = time.monotonic()
            begun = begun or started
            try:
                planned = await planner.plan(text, home, devices, self._served, started + decision.llm_budget_ms / 1000)
            except LlmError as err:
                elapsed = (time.monotonic() - started) * 1000
                self.trackers[decision.use].record(elapsed, err.reason.value)
                failed[decision.use] = err.reason.value
                errors.append(f"{decision.use} {err.reason.value} after {elapsed:.0f} ms")
                _LOGGER.info("llm %s failed: %s", decision.use, err)
                continue
            elapsed = (time.monotonic() - started) * 1000
            self.trackers[decision.use].record(elapsed, "ok")
            return replace(self._answered(decision, planned, intents, elapsed, errors, decisions),
                           llm_ms=(time.monotonic() - begun) * 1000)
        llm_ms = (time.monotonic() - begun) * 1000 if begun else 0.0
        return replace(self._local(intents, text, decisions, errors), llm_ms=llm_ms)

    def _answered(
        self, decision: Decision, planned: tuple[Intent, ...], local: tuple[Intent, ...], elapsed: float,
        errors: list[str], decisions: list[Decision],
    ) -> Resolution:
        reason = "; ".join([*errors, decision.reason, f"{decision.use} LLM planned in {elapsed:.0f} ms"])
        if all(i.name == "out_of_scope" for i in planned) and _understood(local, self._options.usable):
            reason += "; it found nothing, kept the local reading"
            return Resolution(local, Route(Tier.EDGE, reason), tuple(decisions), tuple(errors))
        return Resolution(planned, Route(decision.tier, reason), tuple(decisions), tuple(errors))

    def _forwarded(
        self, decision: Decision, reply: Reply, local: tuple[Intent, ...], unplaced: Sequence[int], whole: bool,
        errors: list[str], decisions: list[Decision],
    ) -> Resolution:
        """The upstream's plan as this turn's: its answered tasks replayed, its tool tasks run here."""
        assert self.upstream is not None
        answer = reply.answer
        plan = usable_plan(answer.intents)
        reason = [*errors, f"forwarded to cloud: {decision.reason}",
                  f"cloud answered in {reply.elapsed_ms:.0f} ms ({answer.route.reason})"]
        if not plan or (all(i.name == "out_of_scope" for i in plan) and _understood(local, self._options.usable)):
            reason.append("it found nothing, kept the local reading")
            return Resolution(local, Route(Tier.EDGE, "; ".join(reason)), tuple(decisions), tuple(errors))
        intents = merged_plan(local, unplaced, plan, whole)
        answered = frozenset(i.name for i in plan if not self.upstream.runs_here(i.name))
        here = [i.name for i in intents if i.name not in answered]
        reason.append(f"run here: {', '.join(here)}" if here else "nothing run here")
        said = SkillResult(answer.speech, awaiting=answer.awaiting, media=answer.media, citations=answer.citations)
        return Resolution(intents, Route(Tier.CLOUD, "; ".join(reason)), tuple(decisions), tuple(errors),
                          placement=Placement(answered=answered, upstream=said))

    def _local(
        self, intents: tuple[Intent, ...], text: str, decisions: list[Decision], errors: list[str]
    ) -> Resolution:
        last = decisions[-1]
        reason = "; ".join([*errors, last.reason])
        failed = bool(errors) or last.degraded
        if failed and not _understood(intents, self._options.usable):
            return Resolution((rephrase_intent(text),), Route(Tier.EDGE, reason + "; asked to rephrase"), tuple(decisions),
                              tuple(errors))
        return Resolution(intents, Route(Tier.EDGE, reason), tuple(decisions), tuple(errors))
