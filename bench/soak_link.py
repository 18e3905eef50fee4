"""One simulated speaker's connection to the service: ``Ask`` calls and a ``Converse`` stream.

The stream is opened on the first turn and reopened on the turn after it broke (a service
restart ends it); every notification it carries is recorded with the opening it came on.
Each turn is recorded in the ledger with what came of it, whatever that was.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Sequence

import grpc
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from bench.soak_ledger import OK, Clock, Heard, Intended, Ledger, Turn

_LOGGER = logging.getLogger(__name__)

#: The code of a turn whose stream ended before its answer, and of one the client gave up on.
STREAM_BROKEN = "STREAM_BROKEN"
CLIENT_TIMEOUT = "CLIENT_TIMEOUT"


class Link:
    """``speaker`` of ``home`` talking to the service over ``channel``."""

    def __init__(self, channel: grpc.aio.Channel, home: str, speaker: str, ledger: Ledger, clock: Clock) -> None:
        self._stub = pb_grpc.AssistantStub(channel)
        self.home = home
        self.speaker = speaker
        self._ledger = ledger
        self._clock = clock
        self._outbox: asyncio.Queue[pb.ConverseRequest | None] | None = None
        self._call: grpc.aio.StreamStreamCall | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, asyncio.Future[tuple[str, pb.Answer | None]]] = {}
        #: How many times the stream was opened.
        self.openings = 0

    @property
    def streaming(self) -> bool:
        return self._reader is not None and not self._reader.done()

    def request(self, text: str, session: str) -> pb.AskRequest:
        return pb.AskRequest(text=text, device_id=self.speaker, session_id=session, request_id=uuid.uuid4().hex)

    async def ask(self, request: pb.AskRequest, purpose: str, intended: Intended | None = None, timeout: float = 15.0) -> Turn:
        sent = self._clock()
        try:
            answer = await self._stub.Ask(request, timeout=timeout)
            code: str = OK
        except grpc.aio.AioRpcError as err:
            answer, code = None, err.code().name
        return self._record("ask", purpose, request.text, sent, code, answer, intended)

    async def converse(self, messages: Sequence[pb.ConverseRequest], request_id: str, text: str, purpose: str,
                       intended: Intended | None = None, timeout: float = 20.0) -> Turn:
        """One turn on the stream (text: one message; audio: start, chunks, end)."""
        way = "audio" if messages[0].WhichOneof("kind") == "audio_start" else "converse"
        if not self.streaming:
            self._close()
            self._open()
        assert self._outbox is not None
        future: asyncio.Future[tuple[str, pb.Answer | None]] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        sent = self._clock()
        for message in messages:
            self._outbox.put_nowait(message)
        try:
            code, answer = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            code, answer = CLIENT_TIMEOUT, None
            self._close()  # the turns of a stream are served in order: one that hangs holds up the rest
        finally:
            self._pending.pop(request_id, None)
        return self._record(way, purpose, text, sent, code, answer, intended)

    def _record(self, way: str, purpose: str, text: str, sent: float, code: str, answer: pb.Answer | None,
                intended: Intended | None) -> Turn:
        turn = Turn(self.home, self.speaker, way, purpose, text, sent, self._clock(), code, answer, intended)
        self._ledger.turns.append(turn)
        return turn

    def _open(self) -> None:
        outbox: asyncio.Queue[pb.ConverseRequest | None] = asyncio.Queue()

        async def requests() -> AsyncIterator[pb.ConverseRequest]:
            while (message := await outbox.get()) is not None:
                yield message

        self._outbox = outbox
        self._call = self._stub.Converse(requests())
        self.openings += 1
        self._reader = asyncio.ensure_future(self._read(self._call, self.openings))

    async def _read(self, call: grpc.aio.StreamStreamCall, opening: int) -> None:
        ended = STREAM_BROKEN
        try:
            async for event in call:
                kind = event.WhichOneof("kind")
                if kind == "answer":
                    self._resolve(event.answer.request_id, OK, event.answer)
                elif kind == "error":
                    self._resolve(event.error.request_id, event.error.code, None)
                elif kind == "notification":
                    note = event.notification
                    self._ledger.heard.append(Heard(self.home, self.speaker, opening, note.at, note.device_id, note.kind,
                                                    self._clock()))
        except grpc.aio.AioRpcError as err:
            ended = f"{STREAM_BROKEN}:{err.code().name}"
        finally:
            for request_id in list(self._pending):
                self._resolve(request_id, ended, None)

    def _resolve(self, request_id: str, code: str, answer: pb.Answer | None) -> None:
        future = self._pending.get(request_id)
        if future is not None and not future.done():
            future.set_result((code, answer))

    def _close(self) -> None:
        if self._outbox is not None:
            self._outbox.put_nowait(None)
        if self._call is not None:
            self._call.cancel()
        self._outbox = self._call = None

    async def close(self) -> None:
        self._close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
