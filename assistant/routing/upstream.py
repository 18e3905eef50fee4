"""The edge's client of its upstream (cloud) instance: ``Ask`` with ``plan_only`` over gRPC.

The request goes up as the device sent it (speaker, session, request id, clock, language),
with the bearer token when one is configured, and a gRPC deadline of the budget the router
gave it. Each call's latency and outcome feed a :class:`LatencyTracker` (the p90 and the
circuit breaker the router reads). The channel reconnects quickly after the upstream comes
back, so that a circuit that closes again finds it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import grpc
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.convert import answer_from_proto, request_to_proto
from assistant.app.config import UpstreamOptions
from assistant.pipeline.messages import Answer, Request
from assistant.routing.router import UPSTREAM, LatencyTracker, TierState
from domain.errors import ErrorCode, UpstreamError, UpstreamFailure, invalid_argument
from skills.sdk import SkillKind, SkillManifest

#: Reconnect soon after the upstream returns (gRPC's default backoff grows to two minutes). Not
#: ``grpc.min_reconnect_backoff_ms``: gRPC also takes it as the connect timeout, which would make a
#: slow link look like a dead one.
CHANNEL_OPTIONS = (
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 1000),
)


def intent_kinds(manifests: Iterable[SkillManifest]) -> dict[str, SkillKind]:
    """Intent name -> the kind of the skill that serves it here."""
    return {name: m.kind for m in manifests for name in m.intents}


@dataclass(frozen=True)
class Reply:
    """The upstream's answer and how long the call took."""

    answer: Answer
    elapsed_ms: float


class Upstream:
    """The upstream instance: its channel, which intents it takes (``forwards``) and its latency tracker."""

    def __init__(self, options: UpstreamOptions, kinds: Mapping[str, SkillKind]) -> None:
        known = {k.value for k in SkillKind}
        if unknown := [k for k in options.kinds if k not in known]:
            raise invalid_argument(f"upstream.kinds: {', '.join(unknown)} not among {', '.join(sorted(known))}")
        self.options = options
        self.kinds = dict(kinds)
        self._forwarded = frozenset(SkillKind(k) for k in options.kinds)
        self.tracker = LatencyTracker(options.prior_ms, max_age_s=options.window_s, open_s=options.circuit_open_s)
        self._channel: grpc.aio.Channel | None = None

    def forwards(self, intent_name: str) -> bool:
        """Whether a task of this intent goes to the upstream when it can take it in time."""
        return self.kinds.get(intent_name) in self._forwarded

    def runs_here(self, intent_name: str) -> bool:
        """Whether a task of the upstream's plan is carried out here (tool tasks: the upstream only plans them)."""
        return self.kinds.get(intent_name) is SkillKind.TOOL

    def state(self, failed: str = "") -> TierState:
        return replace(self.tracker.state(UPSTREAM, True), failed=failed)

    def _open(self) -> grpc.aio.Channel:
        if self._channel is None:
            options = self.options
            if options.tls or options.ca_file:
                root = Path(options.ca_file).expanduser().read_bytes() if options.ca_file else None
                credentials = grpc.ssl_channel_credentials(root_certificates=root)
                self._channel = grpc.aio.secure_channel(options.url, credentials, options=CHANNEL_OPTIONS)
            else:
                self._channel = grpc.aio.insecure_channel(options.url, options=CHANNEL_OPTIONS)
        return self._channel

    async def ask(self, request: Request, text: str, lang: str, budget_ms: float) -> Reply:
        """``text`` (the whole utterance or the clauses forwarded) as a plan-only request, within ``budget_ms``."""
        message = request_to_proto(replace(request, text=text, lang=lang))
        message.plan_only = True
        metadata = (("authorization", f"Bearer {self.options.token}"),) if self.options.token else None
        started = time.monotonic()
        try:
            reply = await pb_grpc.AssistantStub(self._open()).Ask(message, timeout=max(budget_ms, 1.0) / 1000,
                                                                   metadata=metadata)
        except grpc.aio.AioRpcError as err:
            elapsed = (time.monotonic() - started) * 1000
            failure = _failure(err.code())
            self.tracker.record(elapsed, failure.value)
            code = ErrorCode[err.code().name] if err.code().name in ErrorCode.__members__ else ErrorCode.INTERNAL
            raise UpstreamError(failure, code, f"{err.code().name}: {err.details()} after {elapsed:.0f} ms") from err
        elapsed = (time.monotonic() - started) * 1000
        try:
            answer = answer_from_proto(reply)
        except ValueError as err:  # an intent source, tier or status this version does not know
            self.tracker.record(elapsed, UpstreamFailure.REFUSED.value)
            raise UpstreamError(UpstreamFailure.REFUSED, ErrorCode.INTERNAL, f"unreadable answer: {err}") from err
        self.tracker.record(elapsed, "ok")
        return Reply(answer, elapsed)

    async def close(self) -> None:
        if self._channel is not None:
            channel, self._channel = self._channel, None
            await channel.close()


def _failure(code: grpc.StatusCode) -> UpstreamFailure:
    if code is grpc.StatusCode.DEADLINE_EXCEEDED:
        return UpstreamFailure.TIMEOUT
    if code is grpc.StatusCode.UNAVAILABLE:
        return UpstreamFailure.UNAVAILABLE
    return UpstreamFailure.REFUSED
