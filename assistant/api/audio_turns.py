"""Audio turns of one Converse stream: AudioStart, AudioChunk..., (AudioEnd) → heard.

The stream's handler (:mod:`assistant.api.converse`) hands every audio message to
:meth:`VoiceStream.handle` and gets back, through its inbox, :class:`~assistant.api.inbox.TranscriptSoFar`
while the user speaks and :class:`~assistant.api.inbox.UtteranceEnded` once the utterance has ended — by the endpointer,
the client's AudioEnd, the client going quiet (stall) or the stream closing. One utterance is
open at a time; :meth:`close` (stream over, client gone) drops whatever is in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.api.convert import audio_format_from_proto
from assistant.api.inbox import InboxMessage, TranscriptSoFar, UtteranceEnded
from assistant.pipeline.homes import HomeDirectory
from assistant.pipeline.messages import Request
from assistant.voice.endpointing import EndReason
from assistant.voice.service import VoiceService, VoiceTurn
from assistant.voice.utterance import PartialTranscript
from domain.errors import ErrorCode, LingxiError, invalid_argument

_LOGGER = logging.getLogger(__name__)

Post = Callable[[InboxMessage], None]


class VoiceStream:
    def __init__(self, voice: VoiceService, homes: HomeDirectory, make_request: Callable[[Any], Request], post: Post) -> None:
        self._voice = voice
        self._homes = homes
        self._make_request = make_request
        self._post = post
        self.turn: VoiceTurn | None = None
        #: The server ended and answered an utterance, or refused it: drop its chunks until AudioEnd/AudioStart.
        self._draining = False
        self._tasks: set[asyncio.Future[None]] = set()
        #: Each open utterance's stall watcher: it holds the utterance (its audio), so it goes when the utterance ends.
        self._watchers: dict[VoiceTurn, asyncio.Future[None]] = {}

    @property
    def active(self) -> bool:
        return self.turn is not None

    async def handle(self, msg: pb.ConverseRequest) -> None:
        """One audio message; LingxiError for one that cannot be served (the stream goes on)."""
        kind = msg.WhichOneof("kind")
        if kind == "audio_start":
            await self._start(msg.audio_start)
        elif kind == "audio":
            if self.turn is None:
                if self._draining:
                    return
                raise invalid_argument("an audio chunk came without an audio_start before it")
            if self.turn.ended is None and (reason := self.turn.feed(msg.audio.pcm)) is not None:
                self.end(reason)
        elif kind == "audio_end":
            self._draining = False
            self.end(EndReason.CLIENT)
        else:
            raise invalid_argument("empty ConverseRequest: set text, audio_start, audio or audio_end")

    async def _start(self, start: pb.AudioStart) -> None:
        self._draining = True  # an utterance refused at its start has its chunks dropped, not one error each
        if self.turn is not None:
            _LOGGER.info("a new audio_start abandons utterance %s", self.turn.request.request_id)
            self.close()
        request = self._make_request(start.context)
        home, _ = self._homes.speaker(request.speaker_id)
        rid = request.request_id

        def partial(p: PartialTranscript) -> None:
            self._post(TranscriptSoFar(rid, p))

        turn = await self._voice.open(request, home, audio_format_from_proto(start), partial)
        self.turn = turn
        self._draining = False
        self._watchers[turn] = self._spawn(self._watch(turn))

    async def _watch(self, turn: VoiceTurn) -> None:
        await turn.stalled.wait()
        if self.turn is turn and turn.ended is None:
            _LOGGER.info("utterance %s: no audio for %.1f s, ending it", turn.request.request_id, self._voice.options.stall_timeout_s)
            self.end(EndReason.STALLED)

    def end(self, reason: EndReason) -> None:
        """End the open utterance (once); what was heard arrives as :class:`~assistant.api.inbox.UtteranceEnded`."""
        turn = self.turn
        if turn is None or turn.finishing:
            return
        turn.finishing = True
        self._spawn(self._finish(turn, reason))

    async def _finish(self, turn: VoiceTurn, reason: EndReason) -> None:
        try:
            self._post(UtteranceEnded(turn, await turn.finish(reason), time.monotonic()))
        except LingxiError as err:
            self._post(UtteranceEnded(turn, err, time.monotonic()))
        except asyncio.CancelledError:
            raise
        except Exception:
            _LOGGER.exception("recognition failed")
            failure = LingxiError(ErrorCode.INTERNAL, "recognition failed; the server logged the details")
            self._post(UtteranceEnded(turn, failure, time.monotonic()))
        finally:
            turn.close()
            watcher = self._watchers.pop(turn, None)
            if watcher is not None:  # a long-lived stream would otherwise keep every utterance it heard
                watcher.cancel()

    def answered(self, turn: VoiceTurn) -> None:
        """The server has answered ``turn``: the next audio needs a new audio_start."""
        if self.turn is turn:
            self.turn = None
            self._draining = turn.ended is not EndReason.CLIENT

    def _spawn(self, coro: Any) -> asyncio.Future[None]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._watchers.clear()
        if self.turn is not None:
            self.turn.close()
            self.turn = None
