"""A Python skill served as a ``SkillService`` (``lingxi.skill.v1``), so it runs as its own process.

The skill is the same object an in-process install would load: it gets a :class:`~skills.sdk.SkillContext`
built from the task, whose devices are those the assistant sent (its permissions' share of the home).
Its device commands are not sent from here: :class:`RequestedGateway` records them (answering at
once with the state asked for) and the reply carries them to the assistant, which runs them through
its safety gate. A skill that raises, overruns the call's deadline or answers garbage gets the
matching gRPC status, which the assistant turns into an answer for that task alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import grpc
from lingxi.skill.v1 import skill_pb2 as pb
from lingxi.skill.v1 import skill_pb2_grpc as pb_grpc

from domain.errors import ErrorCode, LingxiError, SkillPermissionError
from domain.home import DEFAULT_TIMEZONE, Home
from intents.types import IntentSource
from skills.kit.remote_manifest import manifest_to_proto
from skills.kit.remote_values import device_from_proto, media_to_proto, values_from_proto, values_to_proto
from skills.sdk import (
    Awaiting,
    CommandResult,
    CommandStatus,
    DeviceCommand,
    DeviceInfo,
    Intent,
    Skill,
    SkillContext,
    SkillResult,
)

_LOGGER = logging.getLogger(__name__)

#: The time a task gets when its caller set no deadline.
DEFAULT_DEADLINE_S = 10.0
#: What a recorded command's result says: the assistant carries it out after the reply.
REQUESTED = "requested: the assistant carries it out"
_AWAITING = {Awaiting.CONFIRMATION: pb.AWAITING_CONFIRMATION, Awaiting.CLARIFICATION: pb.AWAITING_CLARIFICATION}


class RequestedGateway:
    """The devices the task carried (:class:`~skills.sdk.DeviceGateway`); commands are recorded, not sent."""

    def __init__(self, skill: str, devices: Iterable[tuple[DeviceInfo, Mapping[str, Any]]]) -> None:
        self._skill = skill
        self._devices = {info.id: (info, dict(state)) for info, state in devices}
        #: The commands the skill asked for, in order: the reply's.
        self.requested: list[DeviceCommand] = []

    def devices(self) -> Sequence[DeviceInfo]:
        return tuple(info for info, _ in self._devices.values())

    def _known(self, device_id: str) -> tuple[DeviceInfo, dict[str, Any]]:
        if device_id not in self._devices:
            raise SkillPermissionError(self._skill, device_id, f"skill {self._skill} may not use device {device_id!r}")
        return self._devices[device_id]

    def state(self, device_id: str) -> Mapping[str, Any]:
        return dict(self._known(device_id)[1])

    async def execute(self, command: DeviceCommand, timeout: float) -> CommandResult:
        _, state = self._known(command.device_id)
        self.requested.append(DeviceCommand(command.device_id, dict(command.changes)))
        return CommandResult(command.device_id, CommandStatus.DONE, {**state, **command.changes}, REQUESTED)


def task_from_request(skill: str, request: pb.HandleRequest, remaining_s: float) -> tuple[Intent, SkillContext, RequestedGateway]:
    """The intent and context the skill's handler gets, and the gateway recording its commands."""
    gateway = RequestedGateway(skill, map(device_from_proto, request.devices))
    home = Home(request.home_id, {}, {}, {}, {}, timezone=request.timezone or DEFAULT_TIMEZONE)
    ctx = SkillContext(
        home=home, devices=gateway, lang=request.language or "zh", speaker_id=request.speaker_id,
        speaker_room=request.speaker_room, deadline=time.monotonic() + remaining_s,
        now=datetime.fromisoformat(request.now) if request.now else home.now(), session_id=request.session_id,
        last_device=request.last_device or None,
    )
    intent = Intent(request.intent, values_from_proto(request.slots), 1.0, IntentSource.EDGE_MODEL, request.utterance)
    return intent, ctx, gateway


def result_to_response(result: SkillResult, requested: Sequence[DeviceCommand]) -> pb.HandleResponse:
    """The reply: the skill's words and media, the commands it ran and those it holds for a confirmation."""
    commands = [*requested, *(p.command for p in result.pending)]
    awaiting = _AWAITING.get(result.awaiting, pb.AWAITING_NONE) if result.awaiting else pb.AWAITING_NONE
    if result.pending:
        awaiting = pb.AWAITING_CONFIRMATION
    return pb.HandleResponse(
        speech=result.speech, awaiting=awaiting, candidates=result.candidates,
        commands=[pb.DeviceCommand(device_id=c.device_id, changes=values_to_proto(c.changes)) for c in commands],
        media=media_to_proto(result.media) if result.media else None,
    )


class SkillServicer(pb_grpc.SkillServiceServicer):
    def __init__(self, skill: Skill) -> None:
        self._skill = skill
        self._manifest = manifest_to_proto(skill.manifest)

    async def Describe(self, request: pb.DescribeRequest, context: grpc.aio.ServicerContext) -> pb.Manifest:
        return self._manifest

    async def Handle(self, request: pb.HandleRequest, context: grpc.aio.ServicerContext) -> pb.HandleResponse:
        name = self._skill.manifest.name
        if request.intent not in self._skill.manifest.intents:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"skill {name} does not serve {request.intent!r}")
        remaining = context.time_remaining()
        intent, ctx, gateway = task_from_request(name, request, DEFAULT_DEADLINE_S if remaining is None else remaining)
        status, why = grpc.StatusCode.OK, ""
        try:
            async with asyncio.timeout(ctx.remaining()):
                result = await self._skill.handle(intent, ctx)
        except TimeoutError:
            status, why = grpc.StatusCode.DEADLINE_EXCEEDED, f"skill {name} did not answer {intent.name} in time"
        except LingxiError as err:  # a permission refused included
            status, why = grpc.StatusCode[err.code.value], err.message
        except Exception as err:  # the skill's own bug: its caller hears "that skill ran into a problem"
            _LOGGER.exception("skill %s failed on %s", name, intent.name)
            status, why = grpc.StatusCode.INTERNAL, f"skill {name} failed: {type(err).__name__}"
        else:
            if not isinstance(result, SkillResult):
                status, why = grpc.StatusCode.INTERNAL, f"skill {name} answered a {type(result).__name__}, not a SkillResult"
        if status is not grpc.StatusCode.OK:
            _LOGGER.warning("skill %s: %s", name, why)
            await context.abort(status, why)
        return result_to_response(result, gateway.requested)


@dataclass(frozen=True)
class RemoteServer:
    """A skill being served: where (``port`` on ``host``) and how to stop it."""

    server: grpc.aio.Server
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    async def stop(self, grace_s: float | None = None) -> None:
        await self.server.stop(grace_s)

    async def wait(self) -> None:
        """Until the server stops."""
        await self.server.wait_for_termination()


async def serve(skill: Skill, port: int = 0, host: str = "127.0.0.1") -> RemoteServer:
    """Serve ``skill`` on ``host:port`` (``port`` 0: a free one) until :meth:`RemoteServer.stop`."""
    server = grpc.aio.server()
    pb_grpc.add_SkillServiceServicer_to_server(SkillServicer(skill), server)
    try:
        bound = server.add_insecure_port(f"{host}:{port}")
    except RuntimeError as err:  # the port is taken, or the host is not this machine's
        raise LingxiError(ErrorCode.UNAVAILABLE, f"skill {skill.manifest.name}: cannot listen on {host}:{port}") from err
    await server.start()
    _LOGGER.info("skill %s served on %s:%d", skill.manifest.name, host, bound)
    return RemoteServer(server, host, bound)

