"""``assistant chat``: a conversation typed at a terminal, on one ``Converse`` stream.

Each line is a text turn; ``/audio FILE.wav`` speaks a WAV file instead; ``/quit`` or the end of
the input ends the conversation. Every turn carries the session of the answer before it, so
follow-ups, clarifications and confirmations work, and the stream stays open between turns, so
the home's notifications (a timer rings, an alarm goes off, a reminder is due) are shown as they
arrive — which no one-shot ``ask`` can do. The server starts passing them on once a turn has
told it the speaking device, and so the home.

Turns go one at a time: the next line is sent once the answer (or the error) of the one before
has arrived, since it needs that answer's session.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import grpc
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.convert import answer_from_proto, answer_to_json, audio_start_to_proto, request_to_proto
from assistant.api.tls import ClientTls, client_channel
from assistant.pipeline.messages import Answer, Request
from assistant.voice.audio import AudioFormat, read_wav
from domain.errors import LingxiError

_LOGGER = logging.getLogger(__name__)

QUIT = "/quit"
AUDIO = "/audio"
#: Audio is sent in chunks of this many milliseconds, as a device would stream it.
CHUNK_MS = 100


@dataclass(frozen=True)
class ChatOptions:
    """Who speaks, and how the conversation is shown."""

    #: The speaking device; empty: the server's default speaker.
    speaker: str = ""
    #: ``zh``, ``en``, or empty to detect.
    lang: str = ""
    #: A session to continue; empty: the first answer starts one.
    session: str = ""
    #: The speaking device's bearer token, when the server checks them.
    token: str = ""
    #: TLS files for the link to the server; ``None``: plaintext.
    tls: ClientTls | None = None
    #: One JSON object per line (answers as ``ask --json`` prints them) instead of text.
    json: bool = False
    #: Show a ``>`` prompt (when a person types at a terminal).
    prompt: bool = False


def audio_messages(fmt: AudioFormat, pcm: bytes, request: Request) -> list[pb.ConverseRequest]:
    """One spoken utterance as a device streams it: AudioStart, chunks of ``CHUNK_MS``, AudioEnd."""
    step = max(2, fmt.bytes_per_second * CHUNK_MS // 1000 // 2 * 2)
    messages = [pb.ConverseRequest(audio_start=audio_start_to_proto(fmt, request))]
    messages += [pb.ConverseRequest(audio=pb.AudioChunk(pcm=pcm[i : i + step])) for i in range(0, len(pcm), step)]
    messages.append(pb.ConverseRequest(audio_end=pb.AudioEnd()))
    return messages


async def stdin_lines(source: TextIO) -> AsyncIterator[str]:
    """Lines of ``source`` without their newline, read by a daemon thread.

    A thread, because a pipe, a terminal and a regular file all work with it, and a daemon one,
    because a conversation that ends on the server's side must not wait for the next keystroke.
    """
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def deliver(line: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        except RuntimeError:  # the conversation is over and its loop closed
            return False
        return True

    def pump() -> None:
        while line := source.readline():
            if not deliver(line.rstrip("\r\n")):
                return
        deliver(None)

    threading.Thread(target=pump, name="chat-stdin", daemon=True).start()
    while (line := await lines.get()) is not None:
        yield line


class Conversation:
    """One ``Converse`` stream: turns out, answers, errors and notifications shown as they come."""

    def __init__(self, stub: pb_grpc.AssistantStub, options: ChatOptions, out: TextIO, err: TextIO) -> None:
        self._stub = stub
        self._options = options
        self._out = out
        self._err = err
        self.session = options.session
        self._outbox: asyncio.Queue[pb.ConverseRequest | None] = asyncio.Queue()
        #: The turn waiting for its answer: its request id, and what is set when it has one.
        self._turn: tuple[str, asyncio.Future[None]] | None = None

    async def run(self, lines: AsyncIterator[str]) -> None:
        """Converse until ``/quit``, the end of ``lines``, or the server closing the stream.

        Raises grpc's error when the stream fails (the server is unreachable or went away).
        """
        metadata = (("authorization", f"Bearer {self._options.token}"),) if self._options.token else ()
        call = self._stub.Converse(self._requests(), metadata=metadata)
        events = asyncio.ensure_future(self._show_events(call))
        try:
            while await self._next_turn(lines, events):
                pass
            self._outbox.put_nowait(None)  # done sending: the server ends the stream
            await events
        finally:
            events.cancel()

    async def _next_turn(self, lines: AsyncIterator[str], events: asyncio.Future[None]) -> bool:
        """Read a line and carry out its turn; False when the conversation is over."""
        self._prompt()
        line: asyncio.Future[Any] = asyncio.ensure_future(anext(lines, QUIT))
        await asyncio.wait({line, events}, return_when=asyncio.FIRST_COMPLETED)
        if not line.done():  # the server ended the stream while the user was typing
            line.cancel()
            return False
        text = line.result().strip()
        if text == QUIT:
            return False
        if not text:
            return True
        answered = await self._send(text)
        if answered is not None:
            await asyncio.wait({answered, events}, return_when=asyncio.FIRST_COMPLETED)
        return not events.done()

    async def _send(self, text: str) -> asyncio.Future[None] | None:
        """Send one turn; what is set when it is answered, or None when it could not be sent."""
        request = Request(
            text="", speaker_id=self._options.speaker, request_id=uuid.uuid4().hex, session_id=self.session,
            lang=self._options.lang or None,
        )
        if text == AUDIO or text.startswith(AUDIO + " "):
            path = text[len(AUDIO) :].strip()
            if not path:
                self.show_error("INVALID_ARGUMENT", f"say {AUDIO} FILE.wav")
                return None
            try:
                fmt, pcm = await asyncio.to_thread(read_wav, Path(path))
            except LingxiError as error:
                self.show_error(error.code.value, error.message)
                return None
            messages = audio_messages(fmt, pcm, request)
        else:
            messages = [pb.ConverseRequest(text=request_to_proto(replace(request, text=text)))]
        answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._turn = (request.request_id, answered)
        for message in messages:
            self._outbox.put_nowait(message)
        return answered

    async def _requests(self) -> AsyncIterator[pb.ConverseRequest]:
        while (message := await self._outbox.get()) is not None:
            yield message

    async def _show_events(self, call: Any) -> None:
        async for event in call:
            kind = event.WhichOneof("kind")
            if kind == "answer":
                answer = answer_from_proto(event.answer)
                self.session = answer.session_id or self.session
                self._show_answer(answer)
                self._turn_over(answer.request_id)
            elif kind == "notification":
                self._show_notification(event.notification)
            elif kind == "error":
                self._turn_error(event.error)
            # stage events, partial transcripts and partial answers: the answer that follows says it all

    def _turn_over(self, request_id: str) -> None:
        if self._turn is not None and self._turn[0] == request_id:
            self._turn[1].set_result(None)
            self._turn = None

    def _turn_error(self, error: pb.TurnError) -> None:
        # An error without a request id is about an audio chunk of an utterance the server already
        # refused (its AudioStart's error came first, with the id): one line of it is enough.
        if not error.request_id:
            _LOGGER.debug("dropped a chunk's error: %s: %s", error.code, error.message)
            return
        self.show_error(error.code, error.message)
        self._turn_over(error.request_id)

    def _prompt(self) -> None:
        if self._options.prompt and not self._options.json:
            self._out.write("> ")
            self._out.flush()

    def _line(self, item: dict[str, Any] | str) -> None:
        self._out.write((json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else item) + "\n")
        self._out.flush()

    def _show_answer(self, answer: Answer) -> None:
        if self._options.json:
            self._line(answer_to_json(answer))
            return
        if answer.transcript is not None:
            self._line(f"(heard: {answer.transcript})")
        self._line(answer.speech)
        if answer.media is not None:
            media = answer.media
            by = f" – {', '.join(media.artist)}" if media.artist else ""
            self._line(f"  ▶ {media.title}{by} ({media.kind}, {media.state or 'playing'} on {media.device or 'this speaker'})")
        for citation in answer.citations:
            self._line(f"  source: {citation.doc}" + (f" § {citation.section}" if citation.section else ""))

    def _show_notification(self, note: pb.Notification) -> None:
        if self._options.json:
            fields = {"kind": note.kind, "label": note.label, "speech": note.speech, "at": note.at, "device_id": note.device_id}
            self._line({"notification": fields})
        else:
            self._line(("\n" if self._options.prompt else "") + f"[{note.kind}] {note.speech}")
            self._prompt()

    def show_error(self, code: str, message: str) -> None:
        if self._options.json:
            self._line({"error": {"code": code, "message": message}})
        else:
            self._err.write(f"error: {code}: {message}\n")
            self._err.flush()


async def converse(target: str, options: ChatOptions, lines: AsyncIterator[str], out: TextIO, err: TextIO) -> int:
    """Hold a conversation with the server at ``target`` (HOST:PORT); the command's exit status."""
    async with client_channel(target, options.tls) as channel:
        conversation = Conversation(pb_grpc.AssistantStub(channel), options, out, err)
        try:
            await conversation.run(lines)
        except grpc.aio.AioRpcError as error:
            conversation.show_error(error.code().name, error.details() or "")
            return 2
    return 0
