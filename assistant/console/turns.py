"""Requests the console runs for its page: typed, or spoken into the browser's microphone.

They take the paths a device's take — the pipeline for text, the voice service then the
pipeline for speech (as a ``Converse`` audio turn: partial transcripts while the user speaks,
the end of speech by the endpointer or the page) — and are recorded in the request log from the
moment they begin, so the live list shows who said what before the first stage ends.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Awaitable, Callable

from assistant.console.requests import RequestLog
from assistant.pipeline.messages import Answer, Request
from assistant.pipeline.pipeline import Pipeline
from assistant.voice.audio import AudioFormat
from assistant.voice.endpointing import EndReason
from assistant.voice.service import VoiceService, VoiceTurn, not_heard, voice_request, with_transcript
from assistant.voice.utterance import PartialTranscript
from domain.errors import ErrorCode, LingxiError

#: What the page sends: 16 kHz mono s16le, resampled in the browser.
PAGE_AUDIO = AudioFormat()


class Turns:
    def __init__(self, pipeline: Pipeline, voice: VoiceService | None, log: RequestLog) -> None:
        self._pipeline = pipeline
        self._voice = voice
        self._log = log

    @property
    def voice_enabled(self) -> bool:
        return self._voice is not None

    def request(self, text: str, speaker: str, session_id: str, lang: str | None) -> Request:
        """A typed or spoken request of ``speaker``; NOT_FOUND for a device no home has."""
        self._pipeline.homes.speaker(speaker)
        return Request(text=text, speaker_id=speaker, request_id=uuid.uuid4().hex, session_id=session_id, lang=lang)

    async def ask(self, request: Request) -> Answer:
        self._log.begin(request.request_id, request.text, request.speaker_id, request.session_id)
        return await self._run(request)

    async def _run(self, request: Request) -> Answer:
        try:
            answer = await self._pipeline.run(request)
        except LingxiError as err:
            self._log.failed(request.request_id, f"{err.code.value}: {err.message}")
            raise
        self._log.answered(answer)
        return answer

    async def listen(self, request: Request) -> SpokenTurn:
        """An utterance of ``request``'s speaker; UNAVAILABLE when this service cannot recognise speech."""
        if self._voice is None:
            raise LingxiError(ErrorCode.UNAVAILABLE, "speech input is off on this service; type instead")
        home, _ = self._pipeline.homes.speaker(request.speaker_id)
        log = self._log

        def heard(partial: PartialTranscript) -> None:
            log.heard(request.request_id, partial.text)

        turn = await self._voice.open(request, home, PAGE_AUDIO, heard)
        log.begin(request.request_id, "", request.speaker_id, request.session_id, spoken=True)
        return SpokenTurn(log, self._voice, turn, self._run)


class SpokenTurn:
    """One utterance from the page: feed its PCM, then :meth:`answer` once it has ended."""

    def __init__(self, log: RequestLog, voice: VoiceService, turn: VoiceTurn, run: Callable[[Request], Awaitable[Answer]]) -> None:
        self._log = log
        self._voice = voice
        self._turn = turn
        self._run = run

    @property
    def request_id(self) -> str:
        return self._turn.request.request_id

    def feed(self, pcm: bytes) -> EndReason | None:
        """Audio in; the reason the utterance ended when the endpointer has heard its end."""
        return self._turn.ended or self._turn.feed(pcm)

    async def answer(self, reason: EndReason = EndReason.CLIENT) -> Answer:
        """End the utterance (if the endpointer has not) and answer what was heard."""
        turn = self._turn
        try:
            heard = await turn.finish(turn.ended or reason)
            ended_at = time.monotonic()
            understood = await self._voice.understood(heard, turn.home)
        except LingxiError as err:
            self._log.failed(self.request_id, f"{err.code.value}: {err.message}")
            raise
        finally:
            turn.close()
        if not understood.text:
            answer = not_heard(turn.request, turn.home, heard)
            self._log.answered(answer)
            return answer
        # as for a device's spoken turn, the budget counts from the end of speech
        spoken = dataclasses.replace(voice_request(turn.request, understood, heard), spoken_at=ended_at - heard.asr_ms / 1000)
        answer = with_transcript(await self._run(spoken), understood, heard)
        self._log.answered(answer)
        return answer

    def close(self) -> None:
        """Drop the utterance (the page went away before it ended)."""
        self._turn.close()
