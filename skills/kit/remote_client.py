"""The assistant's side of a remote skill: a :class:`~skills.sdk.Skill` whose handler is a gRPC call.

:func:`connect_remote` asks the service for its manifest (``Describe``) at start, and each reload
asks again (:meth:`RemoteSkill.described_again`), so its intents and sample utterances join the
assistant's understanding like an in-process skill's. Each task
is one ``Handle`` call with the request's remaining time as the gRPC deadline; the reply's device
commands run here, through the gate (:mod:`skills.kit.remote_actions`). A call that fails is
answered for that task only (:mod:`skills.kit.remote_errors`), and a service that is down or stuck
opens the skill's circuit (:mod:`skills.kit.remote_breaker`) instead of being called on every request.
"""

from __future__ import annotations

import asyncio
import logging

import grpc
from lingxi.skill.v1 import skill_pb2 as pb
from lingxi.skill.v1 import skill_pb2_grpc as pb_grpc

from domain.errors import SkillPermissionError, invalid_argument
from intents.types import Intent
from skills.kit.gate import GatedGateway
from skills.kit.remote_actions import carry_out
from skills.kit.remote_breaker import BreakerState, CircuitBreaker
from skills.kit.remote_errors import OUTAGES, RemoteFailure, RemoteSkillError, error_from_rpc, failure_result
from skills.kit.remote_manifest import manifest_from_proto
from skills.kit.remote_reply import RemoteReply, reply_from_bytes, request_to_proto
from skills.sdk import SkillContext, SkillManifest, SkillResult

_LOGGER = logging.getLogger(__name__)

HANDLE = "/lingxi.skill.v1.SkillService/Handle"

#: Reconnect soon after a skill's service comes back (gRPC's default backoff grows to two minutes),
#: so that the breaker's trial call finds it.
CHANNEL_OPTIONS = (
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 1000),
)


class RemoteSkill:
    """A skill served by its own process at ``address`` (:class:`~skills.sdk.Skill`)."""

    def __init__(self, manifest: SkillManifest, address: str, channel: grpc.aio.Channel, breaker: CircuitBreaker) -> None:
        self.manifest = manifest
        self.address = address
        self._channel = channel
        # the reply's bytes are read here, not by gRPC: it logs a reply it cannot read and returns None
        self._handle = channel.unary_unary(HANDLE, request_serializer=pb.HandleRequest.SerializeToString)
        self._breaker = breaker

    def state(self) -> BreakerState:
        """Whether the skill is being called (its circuit), and why not."""
        return self._breaker.state()

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        try:
            reply = await self._call(intent, ctx)
            return await carry_out(reply, intent, ctx, self.manifest)
        except SkillPermissionError as err:
            _LOGGER.warning("remote skill %s refused: %s", self.manifest.name, err.message)
            return failure_result(ctx, intent, RemoteSkillError(RemoteFailure.REFUSED, err.message), err.device_id)
        except RemoteSkillError as err:
            _LOGGER.warning("remote skill %s on %s: %s", self.manifest.name, intent.name, err)
            return failure_result(ctx, intent, err)

    async def _call(self, intent: Intent, ctx: SkillContext) -> RemoteReply:
        if not self._breaker.allows():
            state = self._breaker.state()
            raise RemoteSkillError(RemoteFailure.CIRCUIT_OPEN, f"circuit open for {state.open_for_s:.0f} s "
                                   f"after {state.failures} outages in a row ({state.why})")
        view = GatedGateway(ctx.devices, self.manifest, intent, ctx.lang)  # only what its permissions grant
        try:
            data = await self._handle(request_to_proto(intent, ctx, view), timeout=max(ctx.remaining(), 0.001))
        except grpc.aio.AioRpcError as err:
            error = error_from_rpc(err)
            if error.reason in OUTAGES:
                self._breaker.failed(error.message)
            else:
                self._breaker.succeeded()  # it answered, if with an error: it is up
            raise error from err
        except asyncio.CancelledError:
            if ctx.remaining() <= 0:  # the request's own deadline cut the call short
                self._breaker.failed("DEADLINE_EXCEEDED: no reply within the request's time")
            else:
                self._breaker.abandoned()
            raise
        self._breaker.succeeded()
        return reply_from_bytes(data)

    async def described_again(self, timeout_s: float) -> RemoteSkill:
        """This skill with the manifest its service describes now, on the same connection and circuit;
        a Describe that finds the service down or stuck counts as an outage, as a task's call would."""
        try:
            manifest = await describe(self._channel, self.manifest.name, self.address, timeout_s)
        except RemoteSkillError as err:
            if err.reason in OUTAGES:
                self._breaker.failed(err.message)
            raise
        return RemoteSkill(manifest, self.address, self._channel, self._breaker)

    async def close(self) -> None:
        await self._channel.close()


async def describe(channel: grpc.aio.Channel, name: str, address: str, timeout_s: float) -> SkillManifest:
    """The manifest the service on ``channel`` describes: :class:`RemoteSkillError` when it does not
    answer within ``timeout_s``, INVALID_ARGUMENT when it is not valid or is not named ``name``."""
    try:
        message = await pb_grpc.SkillServiceStub(channel).Describe(pb.DescribeRequest(), timeout=timeout_s, wait_for_ready=True)
    except grpc.aio.AioRpcError as err:
        raise error_from_rpc(err) from err
    manifest = manifest_from_proto(message)
    if manifest.name != name:
        raise invalid_argument(f"remote skill at {address} is {manifest.name!r}, not {name!r} as configured")
    return manifest


async def connect_remote(name: str, address: str, *, describe_timeout_s: float = 5.0,
                         failures_to_open: int = 2, open_s: float = 30.0) -> RemoteSkill:
    """The remote skill at ``address`` (``host:port``), with the manifest it describes (:func:`describe`)."""
    channel = grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
    try:
        manifest = await describe(channel, name, address, describe_timeout_s)
    except BaseException:
        await channel.close()
        raise
    return RemoteSkill(manifest, address, channel, CircuitBreaker(name, failures_to_open, open_s))
