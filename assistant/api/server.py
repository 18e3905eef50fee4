"""The gRPC front: ``Assistant.Ask`` and ``Assistant.Converse`` on ``grpc.aio``.

The only layer that turns errors into gRPC status codes. Requests are decoded by
a lenient deserializer so that a malformed message (invalid UTF-8 in a string
field, say) gets INVALID_ARGUMENT with a reason instead of a bare INTERNAL.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf.message import DecodeError
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.api.audio_turns import VoiceStream
from assistant.api.convert import answer_to_proto, notification_to_proto, request_from_proto, transcript_to_proto
from assistant.api.status import status_for
from assistant.app.config import ServerOptions
from assistant.app.metrics import Metrics
from assistant.pipeline.messages import Answer, Request
from assistant.pipeline.pipeline import Pipeline, PipelineEvent, StageEnded, StageStarted
from assistant.voice.endpointing import EndReason
from assistant.voice.service import VoiceService, VoiceTurn, not_heard, voice_request, with_transcript
from assistant.voice.utterance import Heard
from domain.errors import ErrorCode, LingxiError
from skills.utilities.notifications import Notification, NotificationBus

_LOGGER = logging.getLogger(__name__)

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["Assistant"].full_name
#: Left for serialising and sending the answer when a client deadline bounds the pipeline.
RESPONSE_MARGIN_S = 0.01


@dataclass(frozen=True)
class Malformed:
    """What the lenient deserializer returns for bytes that are not a valid message."""

    reason: str


def _lenient(message_type: Any) -> Callable[[bytes], Any]:
    def deserialize(data: bytes) -> Any:
        try:
            return message_type.FromString(data)
        except DecodeError as err:
            return Malformed(f"request is not a valid {message_type.DESCRIPTOR.name} (strings must be UTF-8): {err}")

    return deserialize


async def _pump(messages: AsyncIterator[Any], inbox: asyncio.Queue[tuple[str, Any]]) -> None:
    try:
        async for message in messages:
            inbox.put_nowait(("turn", message))
    finally:
        inbox.put_nowait(("end", None))


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
        self._metrics = metrics
        self._notifications = notifications
        self.voice = voice or VoiceService()  # the recogniser loads on the first audio turn

    def _authenticate(self, context: grpc.aio.ServicerContext, device_id: str) -> None:
        if not self._options.device_tokens:
            return
        expected = self._options.device_tokens.get(device_id)
        if expected is None:
            raise LingxiError(ErrorCode.UNAUTHENTICATED, f"device {device_id!r} has no credentials on this server")
        given = dict(context.invocation_metadata() or ()).get("authorization", "")
        if not given.startswith("Bearer "):
            raise LingxiError(ErrorCode.UNAUTHENTICATED, "missing 'authorization: Bearer <token>' metadata")
        if not hmac.compare_digest(given[len("Bearer ") :].encode(), expected.encode()):
            raise LingxiError(ErrorCode.UNAUTHENTICATED, f"the token is not valid for device {device_id!r}")

    def _request(self, msg: Any, context: grpc.aio.ServicerContext, deadline: float | None) -> Request:
        if isinstance(msg, Malformed):
            raise LingxiError(ErrorCode.INVALID_ARGUMENT, msg.reason)
        request = request_from_proto(msg, self._options.default_speaker, deadline)
        self._authenticate(context, request.speaker_id)
        return request

    async def _run(self, request: Request, sink: Callable[[PipelineEvent], None] | None = None) -> Answer:
        answer = await self._pipeline.run(request, sink)
        self._metrics.on_answer(answer)
        return answer

    async def ask(self, msg: Any, context: grpc.aio.ServicerContext) -> pb.Answer:
        remaining = context.time_remaining()
        deadline = time.monotonic() + remaining - RESPONSE_MARGIN_S if remaining is not None else None
        try:
            if remaining is not None and remaining <= RESPONSE_MARGIN_S:
                raise LingxiError(ErrorCode.DEADLINE_EXCEEDED, "the request's deadline leaves no time to answer")
            answer = await self._run(self._request(msg, context, deadline))
        except LingxiError as err:
            self._metrics.requests.labels("Ask", err.code.value).inc()
            await context.abort(status_for(err.code), err.message)
            raise  # abort raises; this only tells the reader
        except asyncio.CancelledError:
            raise
        except Exception:
            _LOGGER.exception("Ask failed unexpectedly")
            self._metrics.requests.labels("Ask", "INTERNAL").inc()
            await context.abort(grpc.StatusCode.INTERNAL, "internal error; the server logged the details")
            raise
        self._metrics.requests.labels("Ask", "OK").inc()
        return answer_to_proto(answer)

    async def converse(self, messages: AsyncIterator[Any], context: grpc.aio.ServicerContext) -> AsyncIterator[pb.ConverseEvent]:
        """Serve turns in order; between them, pass on the home's notifications (timers, alarms)."""
        inbox: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        reader = asyncio.ensure_future(_pump(messages, inbox))
        listening: tuple[str, asyncio.Queue[Notification], asyncio.Future[None]] | None = None
        voice = VoiceStream(
            self.voice, self._pipeline.homes, lambda msg: self._request(msg, context, None),
            lambda kind, item: inbox.put_nowait((kind, item)),
        )
        closing = False
        try:
            while True:
                kind, item = await inbox.get()
                if kind == "end":
                    if not voice.active:
                        return
                    closing = True  # the client is done sending: answer the open utterance first
                    voice.end(EndReason.CLIENT)
                    continue
                if kind == "notification":
                    yield pb.ConverseEvent(notification=notification_to_proto(item))
                    continue
                if kind == "partial":
                    request_id, partial = item
                    yield pb.ConverseEvent(transcript=transcript_to_proto(request_id, partial.text, partial.audio_s))
                    continue
                if kind == "heard":
                    turn, heard = item
                    voice.answered(turn)
                    async for event in self._answer_heard(turn, heard):
                        yield event
                    if closing and not voice.active:
                        return
                    continue
                if isinstance(item, pb.ConverseRequest) and item.WhichOneof("kind") != "text":
                    try:
                        await voice.handle(item)
                    except LingxiError as err:
                        self._metrics.requests.labels("Converse", err.code.value).inc()
                        start = item.audio_start.context.request_id if item.WhichOneof("kind") == "audio_start" else ""
                        yield _turn_error(start, err.code, err.message)
                    continue
                turn = item.text if isinstance(item, pb.ConverseRequest) else item
                try:
                    request = self._request(turn, context, None)
                except LingxiError as err:
                    self._metrics.requests.labels("Converse", err.code.value).inc()
                    yield _turn_error(getattr(turn, "request_id", ""), err.code, err.message)
                    continue
                if listening is None and self._notifications is not None:
                    listening = self._listen(request.speaker_id, inbox)
                async for event in self._stream_turn(request):
                    yield event
        except Exception:
            _LOGGER.exception("Converse failed unexpectedly")
            self._metrics.requests.labels("Converse", "INTERNAL").inc()
            await context.abort(grpc.StatusCode.INTERNAL, "internal error; the server logged the details")
        finally:
            reader.cancel()
            voice.close()
            if listening is not None and self._notifications is not None:
                home_id, queue, forwarder = listening
                forwarder.cancel()
                self._notifications.unsubscribe(home_id, queue)

    def _listen(
        self, speaker_id: str, inbox: asyncio.Queue[tuple[str, Any]]
    ) -> tuple[str, asyncio.Queue[Notification], asyncio.Future[None]] | None:
        assert self._notifications is not None
        try:
            home, _ = self._pipeline.homes.speaker(speaker_id)
        except LingxiError:
            return None
        queue = self._notifications.subscribe(home.id)

        async def forward() -> None:
            while True:
                inbox.put_nowait(("notification", await queue.get()))

        return home.id, queue, asyncio.ensure_future(forward())

    async def _answer_heard(self, turn: VoiceTurn, heard: Heard | LingxiError) -> AsyncIterator[pb.ConverseEvent]:
        request = turn.request
        if isinstance(heard, LingxiError):
            self._metrics.requests.labels("Converse", heard.code.value).inc()
            yield _turn_error(request.request_id, heard.code, heard.message)
            return
        try:
            understood = await self.voice.understood(heard, turn.home)
        except Exception:
            _LOGGER.exception("understanding a heard utterance failed unexpectedly")
            self._metrics.requests.labels("Converse", "INTERNAL").inc()
            yield _turn_error(request.request_id, ErrorCode.INTERNAL, "internal error; the server logged the details")
            return
        yield pb.ConverseEvent(
            transcript=transcript_to_proto(request.request_id, understood.transcript, heard.speech_s, heard.reason.value)
        )
        if not understood.text:
            self._metrics.requests.labels("Converse", "OK").inc()
            yield pb.ConverseEvent(answer=answer_to_proto(not_heard(request, turn.home, heard)))
            return
        async for event in self._stream_turn(
            voice_request(request, understood, heard), lambda answer: with_transcript(answer, understood, heard)
        ):
            yield event

    async def _stream_turn(
        self, request: Request, finish: Callable[[Answer], Answer] | None = None
    ) -> AsyncIterator[pb.ConverseEvent]:
        events: asyncio.Queue[PipelineEvent] = asyncio.Queue()
        task = asyncio.ensure_future(self._run(request, events.put_nowait))
        try:
            while not task.done() or not events.empty():
                getter = asyncio.ensure_future(events.get())
                await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
                if getter.done():
                    yield _stage_event(getter.result())
                else:
                    getter.cancel()
            answer = task.result()
        except LingxiError as err:
            self._metrics.requests.labels("Converse", err.code.value).inc()
            yield _turn_error(request.request_id, err.code, err.message)
            return
        finally:
            task.cancel()
        self._metrics.requests.labels("Converse", "OK").inc()
        yield pb.ConverseEvent(answer=answer_to_proto(finish(answer) if finish else answer))


def _stage_event(event: PipelineEvent) -> pb.ConverseEvent:
    if isinstance(event, StageStarted):
        return pb.ConverseEvent(stage=pb.StageEvent(request_id=event.request_id, stage=event.stage, phase="start"))
    assert isinstance(event, StageEnded)
    return pb.ConverseEvent(
        stage=pb.StageEvent(request_id=event.request_id, stage=event.stage, phase="end", elapsed_ms=event.elapsed_ms)
    )


def _turn_error(request_id: str, code: ErrorCode, message: str) -> pb.ConverseEvent:
    return pb.ConverseEvent(error=pb.TurnError(request_id=request_id, code=code.value, message=message))


class GrpcServer:
    """The aio server with the Assistant service, health checking and reflection."""

    def __init__(self, service: AssistantService, options: ServerOptions) -> None:
        self._options = options
        self._server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
        handlers = {
            "Ask": grpc.unary_unary_rpc_method_handler(
                service.ask, request_deserializer=_lenient(pb.AskRequest), response_serializer=pb.Answer.SerializeToString
            ),
            "Converse": grpc.stream_stream_rpc_method_handler(
                service.converse,
                request_deserializer=_lenient(pb.ConverseRequest),
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
