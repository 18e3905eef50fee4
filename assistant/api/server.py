"""The gRPC front: the ``Assistant`` servicer (``Ask``, ``Converse``) and the server around it.

The only layer that turns errors into gRPC status codes. ``Ask`` is served here; each
``Converse`` stream gets its own :class:`~assistant.api.converse.ConverseHandler`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.api.converse import INTERNAL, ConverseHandler
from assistant.api.convert import answer_to_proto, lenient, request_from_proto
from assistant.api.outcomes import Outcomes
from assistant.api.status import status_for
from assistant.app.config import ServerOptions
from assistant.app.metrics import Metrics
from assistant.pipeline.messages import Request, quoted
from assistant.pipeline.pipeline import Pipeline
from assistant.voice.service import VoiceService
from domain.errors import ErrorCode, LingxiError
from skills.utilities.notifications import NotificationBus

_LOGGER = logging.getLogger(__name__)

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["Assistant"].full_name
#: Left for serialising and sending the answer when a client deadline bounds the pipeline.
RESPONSE_MARGIN_S = 0.01


class AssistantService:
    def __init__(
        self,
        pipeline: Pipeline,
        options: ServerOptions,
        metrics: Metrics,
        notifications: NotificationBus | None = None,
        voice: VoiceService | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._options = options
        self._outcomes = Outcomes(metrics)
        self._notifications = notifications
        self.voice = voice or VoiceService()  # the recogniser loads on the first audio turn

    def _authenticate(self, context: grpc.aio.ServicerContext, device_id: str) -> None:
        if not self._options.device_tokens:
            return
        expected = self._options.device_tokens.get(device_id)
        if expected is None:
            raise LingxiError(ErrorCode.UNAUTHENTICATED, f"device {quoted(device_id)} has no credentials on this server")
        given = dict(context.invocation_metadata() or ()).get("authorization", "")
        if not given.startswith("Bearer "):
            raise LingxiError(ErrorCode.UNAUTHENTICATED, "missing 'authorization: Bearer <token>' metadata")
        if not hmac.compare_digest(given[len("Bearer ") :].encode(), expected.encode()):
            raise LingxiError(ErrorCode.UNAUTHENTICATED, f"the token is not valid for device {quoted(device_id)}")

    def _request(self, msg: Any, context: grpc.aio.ServicerContext, deadline: float | None) -> Request:
        request = request_from_proto(msg, self._options.default_speaker, deadline)
        self._authenticate(context, request.speaker_id)
        return request

    async def ask(self, msg: Any, context: grpc.aio.ServicerContext) -> pb.Answer:
        remaining = context.time_remaining()
        deadline = time.monotonic() + remaining - RESPONSE_MARGIN_S if remaining is not None else None
        try:
            if remaining is not None and remaining <= RESPONSE_MARGIN_S:
                raise LingxiError(ErrorCode.DEADLINE_EXCEEDED, "the request's deadline leaves no time to answer")
            answer = await self._pipeline.run(self._request(msg, context, deadline))
        except LingxiError as err:
            self._outcomes.failed("Ask", err.code, getattr(msg, "request_id", ""), err.message)
            await context.abort(status_for(err.code), err.message)
            raise  # abort raises; this only tells the reader
        except asyncio.CancelledError:
            raise
        except Exception:
            _LOGGER.exception("Ask failed unexpectedly")
            self._outcomes.failed("Ask", ErrorCode.INTERNAL, getattr(msg, "request_id", ""), "unexpected failure")
            await context.abort(grpc.StatusCode.INTERNAL, INTERNAL)
            raise
        self._outcomes.answered("Ask", answer)
        return answer_to_proto(answer)

    async def converse(self, messages: AsyncIterator[Any], context: grpc.aio.ServicerContext) -> AsyncIterator[pb.ConverseEvent]:
        """Serve turns in order; between them, pass on the home's notifications (timers, alarms)."""
        handler = ConverseHandler(
            self._pipeline, self.voice, self._notifications, self._outcomes, lambda msg: self._request(msg, context, None)
        )
        async for event in handler.events(messages, context):  # grpc.aio streams what an async generator yields
            yield event


class GrpcServer:
    """The aio server with the Assistant service, health checking and reflection."""

    def __init__(self, service: AssistantService, options: ServerOptions) -> None:
        self._options = options
        self._server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
        handlers = {
            "Ask": grpc.unary_unary_rpc_method_handler(
                service.ask, request_deserializer=lenient(pb.AskRequest), response_serializer=pb.Answer.SerializeToString
            ),
            "Converse": grpc.stream_stream_rpc_method_handler(
                service.converse,
                request_deserializer=lenient(pb.ConverseRequest),
                response_serializer=pb.ConverseEvent.SerializeToString,
            ),
        }
        self._server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))
        self._health = HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        reflection.enable_server_reflection((SERVICE_NAME, reflection.SERVICE_NAME, "grpc.health.v1.Health"), self._server)
        try:
            self.port = self._server.add_insecure_port(f"{options.host}:{options.port}")
        except RuntimeError as err:  # grpc's word for "the port is taken"
            raise LingxiError(
                ErrorCode.UNAVAILABLE,
                f"cannot listen on {options.host}:{options.port} (in use?); choose another with LINGXI_SERVER_PORT",
            ) from err

    async def start(self) -> None:
        await self._server.start()
        for name in ("", SERVICE_NAME):
            await self._health.set(name, health_pb2.HealthCheckResponse.SERVING)
        _LOGGER.info("serving %s on %s:%d", SERVICE_NAME, self._options.host, self.port)

    async def stop(self) -> None:
        """Say NOT_SERVING, then let in-flight requests finish within the grace period."""
        await self._health.enter_graceful_shutdown()
        await self._server.stop(self._options.shutdown_grace_s)

    async def wait(self) -> None:
        await self._server.wait_for_termination()
