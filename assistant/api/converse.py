"""``Assistant.Converse``: one handler object per stream.

Turns are served in order, and between them the speaker's home's notifications (timers,
alarms) are passed on. Everything that happens to the stream — a client message, the client
closing, a notification, a partial transcript, the end of an utterance — arrives as a typed
message in one inbox (:mod:`assistant.api.inbox`) and is handled by one loop, so a text turn
and a spoken turn take the same path: admitted (decoded, authenticated, and from then on the
stream hears its home's notifications), run through the pipeline, streamed back as stage
events, partial answers and the answer. A turn that cannot be served gets a ``TurnError`` and
the stream goes on — unless the error ends the stream (:func:`ends_stream`).

Client messages wait in the inbox :data:`MAX_PENDING` at most; past that the stream stops reading
until the handler catches up, so a client cannot grow the server by sending faster than it is served.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.api.audio_turns import VoiceStream
from assistant.api.convert import answer_to_proto, notification_to_proto, transcript_to_proto
from assistant.api.inbox import ClientDone, ClientMessage, InboxMessage, Notified, TranscriptSoFar, UtteranceEnded
from assistant.api.outcomes import Outcomes
from assistant.pipeline.events import PartialAnswer, PipelineEvent, StageEnded, StageStarted
from assistant.pipeline.messages import Answer, Request, clipped_id
from assistant.pipeline.pipeline import Pipeline
from assistant.voice.endpointing import EndReason
from assistant.voice.service import VoiceService, VoiceTurn, not_heard, voice_request, with_transcript
from assistant.voice.utterance import Heard
from domain.errors import ErrorCode, LingxiError, OverloadReason
from skills.utilities.notifications import Notification, NotificationBus

_LOGGER = logging.getLogger(__name__)

METHOD = "Converse"
INTERNAL = "internal error; the server logged the details"
#: Client messages read ahead of the handler.
MAX_PENDING = 16


def ends_stream(err: LingxiError) -> bool:
    """An error that closes the stream instead of failing one turn: a caller not allowed to speak for
    its device, or a device that already holds all the streams it may."""
    return err.code is ErrorCode.UNAUTHENTICATED or err.reason == OverloadReason.STREAMS


@dataclass(frozen=True)
class _Listening:
    """The stream's subscription to its home's notifications."""

    home_id: str
    queue: asyncio.Queue[Notification]
    forwarder: asyncio.Future[None]


class ConverseHandler:
    """One ``Converse`` stream; ``admit`` turns a client's ``AskRequest`` into an authenticated :class:`Request`."""

    def __init__(
        self, pipeline: Pipeline, voice: VoiceService, notifications: NotificationBus | None, outcomes: Outcomes,
        admit: Callable[[Any], Request],
    ) -> None:
        self._pipeline = pipeline
        self._voice_service = voice
        self._notifications = notifications
        self._outcomes = outcomes
        self._make_request = admit
        self._inbox: asyncio.Queue[InboxMessage] = asyncio.Queue()
        self._room = asyncio.Semaphore(MAX_PENDING)  # for client messages in the inbox
        self._voice = VoiceStream(voice, pipeline.homes, self._admit, self._inbox.put_nowait)
        self._listening: _Listening | None = None
        self._closing = False  # the client is done sending: answer the open utterance, then end

    async def events(self, messages: AsyncIterator[Any]) -> AsyncGenerator[pb.ConverseEvent, None]:
        """The stream's events, until the client is done and its last utterance answered.

        Raises the LingxiError that ends the stream (INTERNAL for an unexpected failure)."""
        reader = asyncio.ensure_future(self._read(messages))
        try:
            while not (self._closing and not self._voice.active):
                async for event in self._handle(await self._inbox.get()):
                    yield event
        except LingxiError:
            raise
        except Exception as err:
            _LOGGER.exception("Converse failed unexpectedly")
            raise LingxiError(ErrorCode.INTERNAL, INTERNAL) from err
        finally:
            reader.cancel()
            self._voice.close()
            self._stop_listening()

    async def _read(self, messages: AsyncIterator[Any]) -> None:
        try:
            async for message in messages:
                await self._room.acquire()
                self._inbox.put_nowait(ClientMessage(message))
        finally:
            self._inbox.put_nowait(ClientDone())

    async def _handle(self, message: InboxMessage) -> AsyncIterator[pb.ConverseEvent]:
        if isinstance(message, ClientMessage):
            self._room.release()
        match message:
            case ClientMessage(message=msg) if isinstance(msg, pb.ConverseRequest) and msg.WhichOneof("kind") != "text":
                async for event in self._audio(msg):
                    yield event
            case ClientMessage(message=msg):
                async for event in self._text(msg.text if isinstance(msg, pb.ConverseRequest) else msg):
                    yield event
            case ClientDone():
                self._closing = True
                self._voice.end(EndReason.CLIENT)  # an open utterance is answered first
            case Notified(notification=notification):
                yield pb.ConverseEvent(notification=notification_to_proto(notification))
            case TranscriptSoFar(request_id=request_id, partial=partial):
                yield pb.ConverseEvent(transcript=transcript_to_proto(request_id, partial.text, partial.audio_s))
            case UtteranceEnded(turn=turn, heard=heard, at=at):
                self._voice.answered(turn)
                async for event in self._heard(turn, heard, at):
                    yield event

    def _admit(self, msg: Any) -> Request:
        """A turn's request (text or the context of an audio_start); the stream hears its home from its first turn on."""
        request = self._make_request(msg)
        if self._listening is None:
            self._listen(request.speaker_id)
        return request

    def _listen(self, speaker_id: str) -> None:
        if self._notifications is None:
            return
        try:
            home, _ = self._pipeline.homes.speaker(speaker_id)
        except LingxiError:
            return  # the turn itself reports the unknown speaker
        queue = self._notifications.subscribe(home.id)

        async def forward() -> None:
            while True:
                self._inbox.put_nowait(Notified(await queue.get()))

        self._listening = _Listening(home.id, queue, asyncio.ensure_future(forward()))

    def _stop_listening(self) -> None:
        if self._listening is not None and self._notifications is not None:
            self._listening.forwarder.cancel()
            self._notifications.unsubscribe(self._listening.home_id, self._listening.queue)
            self._listening = None

    async def _text(self, msg: Any) -> AsyncIterator[pb.ConverseEvent]:
        try:
            request = self._admit(msg)
        except LingxiError as err:
            if ends_stream(err):
                raise
            yield self._error(getattr(msg, "request_id", ""), err)
            return
        async for event in self._answer(request):
            yield event

    async def _audio(self, msg: pb.ConverseRequest) -> AsyncIterator[pb.ConverseEvent]:
        try:
            await self._voice.handle(msg)
        except LingxiError as err:
            if ends_stream(err):
                raise
            yield self._error(msg.audio_start.context.request_id if msg.WhichOneof("kind") == "audio_start" else "", err)

    async def _heard(self, turn: VoiceTurn, heard: Heard | LingxiError, at: float) -> AsyncIterator[pb.ConverseEvent]:
        request = turn.request
        if isinstance(heard, LingxiError):
            yield self._error(request.request_id, heard)
            return
        try:
            understood = await self._voice_service.understood(heard, turn.home)
        except Exception:
            _LOGGER.exception("understanding a heard utterance failed unexpectedly")
            yield self._error(request.request_id, LingxiError(ErrorCode.INTERNAL, INTERNAL))
            return
        yield pb.ConverseEvent(
            transcript=transcript_to_proto(request.request_id, understood.transcript, heard.speech_s, heard.reason.value)
        )
        if not understood.text:
            answer = not_heard(request, turn.home, heard)
            self._outcomes.answered(METHOD, answer)
            yield pb.ConverseEvent(answer=answer_to_proto(answer))
            return
        # the budget of a spoken turn counts from the end of speech, so a turn recognised too late never acts
        spoken = replace(voice_request(request, understood, heard), spoken_at=at - heard.asr_ms / 1000)
        async for event in self._answer(spoken, lambda answer: with_transcript(answer, understood, heard)):
            yield event

    async def _answer(self, request: Request, finish: Callable[[Answer], Answer] | None = None) -> AsyncIterator[pb.ConverseEvent]:
        """Run one turn through the pipeline, streaming its events, then its answer (or its error)."""
        events: asyncio.Queue[PipelineEvent] = asyncio.Queue()
        task = asyncio.ensure_future(self._pipeline.run(request, events.put_nowait))
        try:
            while not task.done() or not events.empty():
                getter = asyncio.ensure_future(events.get())
                await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
                if getter.done():
                    yield event_to_proto(getter.result())
                else:
                    getter.cancel()
            answer = task.result()
        except LingxiError as err:
            yield self._error(request.request_id, err)
            return
        finally:
            task.cancel()
        answer = finish(answer) if finish else answer
        self._outcomes.answered(METHOD, answer)
        yield pb.ConverseEvent(answer=answer_to_proto(answer))

    def _error(self, request_id: str, err: LingxiError) -> pb.ConverseEvent:
        request_id = clipped_id(request_id)  # a turn refused for its over-long id must not send the id back
        self._outcomes.failed(METHOD, err.code, request_id, err.message)
        return pb.ConverseEvent(error=pb.TurnError(request_id=request_id, code=err.code.value, message=err.message))


def event_to_proto(event: PipelineEvent) -> pb.ConverseEvent:
    match event:
        case StageStarted(request_id=request_id, stage=stage):
            return pb.ConverseEvent(stage=pb.StageEvent(request_id=request_id, stage=stage, phase="start"))
        case StageEnded(request_id=request_id, stage=stage, elapsed_ms=elapsed_ms):
            return pb.ConverseEvent(stage=pb.StageEvent(request_id=request_id, stage=stage, phase="end", elapsed_ms=elapsed_ms))
        case PartialAnswer(request_id=request_id, text=text):
            return pb.ConverseEvent(partial_answer=pb.PartialAnswer(request_id=request_id, text=text))
