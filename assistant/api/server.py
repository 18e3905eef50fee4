"""The gRPC front: the ``Assistant`` servicer (``Ask``, ``Converse``) and the server around it.

The only layer that turns errors into gRPC status codes. ``Ask`` is served here; each
``Converse`` stream gets its own :class:`~assistant.api.converse.ConverseHandler`. Every call is
authenticated (:mod:`assistant.api.auth`) before anything else, then every request admitted
(:mod:`assistant.api.admission`); the port speaks TLS when configured (:mod:`assistant.api.tls`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.api.admission import Admission, StreamLease
from assistant.api.auth import Authenticator, Caller
from assistant.api.converse import INTERNAL, METHOD, ConverseHandler
from assistant.api.convert import answer_to_proto, lenient, request_from_proto
from assistant.api.outcomes import Outcomes
from assistant.api.status import abort
from assistant.api.tls import server_credentials
from assistant.app.config import ServerOptions
from assistant.app.metrics import Metrics
from assistant.pipeline.messages import Request
from assistant.pipeline.pipeline import Pipeline
from assistant.voice.service import VoiceService
from domain.errors import ErrorCode, LingxiError, Overloaded, OverloadReason
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
        self._auth = Authenticator(options)
        self._admission = Admission(options)
        self.voice = voice or VoiceService()  # the recogniser loads on the first audio turn

    def _request(self, msg: Any, caller: Caller, deadline: float | None) -> Request:
        """The typed request, once its caller may speak for its device and the device has requests left."""
        request = request_from_proto(msg, caller.device or self._options.default_speaker, deadline)
        self._auth.check(caller, request.speaker_id)
        self._admission.request(request.speaker_id)
        return request

    async def ask(self, msg: Any, context: grpc.aio.ServicerContext) -> pb.Answer:
        remaining = context.time_remaining()
        deadline = time.monotonic() + remaining - RESPONSE_MARGIN_S if remaining is not None else None
        try:
            caller = self._auth.caller(context)
            if remaining is not None and remaining <= RESPONSE_MARGIN_S:
                raise LingxiError(ErrorCode.DEADLINE_EXCEEDED, "the request's deadline leaves no time to answer")
            answer = await self._pipeline.run(self._request(msg, caller, deadline))
        except LingxiError as err:
            self._outcomes.failed("Ask", err.code, getattr(msg, "request_id", ""), err.message)
            await abort(context, err)
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

    async def converse(self, messages: AsyncIterator[Any], context: grpc.aio.ServicerContext) -> None:
        """Serve turns in order; between them, pass on the home's notifications (timers, alarms).

        A caller that proves nothing is refused before its first message; an error that ends the
        stream (see :func:`~assistant.api.converse.ends_stream`) ends it with that status.
        """
        lease = StreamLease(self._admission)
        try:
            caller = self._auth.caller(context)

            def admit(msg: Any) -> Request:
                request = self._request(msg, caller, None)
                lease.bind(request.speaker_id)
                return request

            handler = ConverseHandler(self._pipeline, self.voice, self._notifications, self._outcomes, admit)
            async with aclosing(handler.events(messages)) as events:
                async for event in events:
                    await self._send(context, event)
        except LingxiError as err:
            self._outcomes.failed(METHOD, err.code, "", err.message)
            await abort(context, err)
        finally:
            lease.release()

    async def _send(self, context: grpc.aio.ServicerContext, event: pb.ConverseEvent) -> None:
        """Write one event; a client that leaves it unread drops its stream rather than queueing the server full."""
        try:
            async with asyncio.timeout(self._options.slow_reader_s):
                await context.write(event)
        except TimeoutError as err:
            wait = self._options.slow_reader_s
            raise Overloaded(
                OverloadReason.SLOW_READER, f"the client did not read its replies for {wait:g} s; the stream is closed", wait
            ) from err


class GrpcServer:
    """The aio server with the Assistant service, health checking and reflection."""

    def __init__(self, service: AssistantService, options: ServerOptions) -> None:
        self._options = options
        self._server = grpc.aio.server(
            options=[("grpc.so_reuseport", 0), ("grpc.max_receive_message_length", options.max_message_bytes)]
        )
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
        credentials = server_credentials(options)
        address = f"{options.host}:{options.port}"
        try:
            if credentials is None:
                self.port = self._server.add_insecure_port(address)
            else:
                self.port = self._server.add_secure_port(address, credentials)
        except RuntimeError as err:  # grpc's word for "the port is taken"
            raise LingxiError(
                ErrorCode.UNAVAILABLE,
                f"cannot listen on {options.host}:{options.port} (in use?); choose another with LINGXI_SERVER_PORT",
            ) from err

    async def start(self) -> None:
        await self._server.start()
        for name in ("", SERVICE_NAME):
            await self._health.set(name, health_pb2.HealthCheckResponse.SERVING)
        security = "mutual TLS" if self._options.tls_client_ca else "TLS" if self._options.tls_cert else "plaintext"
        _LOGGER.info("serving %s on %s:%d (%s)", SERVICE_NAME, self._options.host, self.port, security)

    async def set_health(self, service: str, serving: bool) -> None:
        """Say whether ``service`` (a part's name, or ``""`` for the whole instance) is serving."""
        status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        await self._health.set(service, status)

    async def stop(self) -> None:
        """Say NOT_SERVING, then let in-flight requests finish within the grace period."""
        await self._health.enter_graceful_shutdown()
        await self._server.stop(self._options.shutdown_grace_s)

    async def wait(self) -> None:
        await self._server.wait_for_termination()
