"""The voice front of the pipeline: audio turns become text requests, and answers carry the transcript.

:class:`VoiceService` is shared by every stream (and by ``ask --audio`` and ``eval``): it loads
the recogniser once on first use, keeps each home's hints and command grammar, and turns a
:class:`~assistant.voice.utterance.Heard` into the text the pipeline understands — normalised to
simplified Chinese and snapped to the home's nearest command when it is close enough. The raw
transcript goes back in ``Answer.transcript``; ``Answer.input.text`` is what was understood.
:class:`VoiceTurn` is one utterance of one stream: PCM chunks in, ended by the endpointer, the
client (AudioEnd) or a stall.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.app.config import VoiceConfig
from assistant.pipeline.messages import Answer, Request
from assistant.pipeline.pipeline import Pipeline
from assistant.voice.asr import AsrOptions, Recognizer, load_recognizer
from assistant.voice.audio import AudioFormat, PcmDecoder
from assistant.voice.confidence import doubts
from assistant.voice.endpointing import EndpointOptions, EndReason
from assistant.voice.hints import Hints, build_hints, normalize_transcript
from assistant.voice.snapping import RECONSIDER, THRESHOLDS, CommandGrammar, Snap
from assistant.voice.utterance import Heard, PartialTranscript, Utterance, UtteranceOptions
from domain.errors import ErrorCode, LingxiError, Overloaded, OverloadReason
from domain.home import Home

_LOGGER = logging.getLogger(__name__)

#: What a spoken turn refused for a busy recogniser is told to wait: about one utterance's recognition.
RECOGNITION_RETRY_S = 1.0
NOT_HEARD = {"zh": "抱歉，我没听清，请再说一遍", "en": "Sorry, I didn't catch that."}


@dataclass(frozen=True)
class VoiceOptions:
    asr: AsrOptions = AsrOptions()
    utterance: UtteranceOptions = UtteranceOptions()
    #: No audio for this long in an open utterance: it ends with what was heard.
    stall_timeout_s: float = 3.0
    snap: bool = True
    #: Beam width of the second decode when a Mandarin transcript is near a command but not
    #: near enough (see ``snapping.RECONSIDER``); 1 turns it off.
    n_best: int = 5
    #: Utterances heard or recognised at once, all streams together: the bounded queue in front of
    #: the recogniser. One more is refused at once rather than making every answer later.
    max_open_utterances: int = 2


def voice_options(config: VoiceConfig) -> VoiceOptions:
    """The voice stages' options from the service configuration."""
    endpoint = replace(EndpointOptions(), trailing_silence_ms=config.trailing_silence_ms, max_utterance_s=config.max_utterance_s)
    return VoiceOptions(
        asr=AsrOptions(config.asr_backend, Path(config.model_dir) if config.model_dir else None, config.asr_threads,
                       parallel=config.asr_parallel),
        utterance=replace(UtteranceOptions(), endpoint=endpoint),
        stall_timeout_s=config.stall_timeout_s,
        snap=config.snap,
        n_best=config.n_best,
        max_open_utterances=config.max_open_utterances,
    )


@dataclass(frozen=True)
class Understood:
    """What the pipeline gets for a heard utterance."""

    text: str  # normalised, possibly snapped
    transcript: str  # normalised, as heard
    snapped: bool
    #: Why the recogniser was unsure of the transcript (:func:`~assistant.voice.confidence.doubts`);
    #: any at all and the turn changes no device without a confirmation.
    doubts: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return bool(self.doubts)


class VoiceService:
    def __init__(self, options: VoiceOptions = VoiceOptions()) -> None:
        self.options = options
        self._recognizer: Recognizer | None = None
        self._loading: asyncio.Lock | None = None
        self._homes: dict[str, tuple[Hints, dict[str, CommandGrammar]]] = {}
        self.open_turns = 0

    async def recognizer(self) -> Recognizer:
        """The recogniser, loaded (and its model assembled) on first use; UNAVAILABLE without one."""
        if self._recognizer is None:
            self._loading = self._loading or asyncio.Lock()
            async with self._loading:
                if self._recognizer is None:
                    recognizer = await asyncio.to_thread(load_recognizer, self.options.asr)
                    if recognizer is None:
                        raise LingxiError(ErrorCode.UNAVAILABLE, "speech recognition is not installed on this server; send text")
                    self._recognizer = recognizer
        return self._recognizer

    async def warm(self, homes: list[Home]) -> None:
        await self.recognizer()
        for home in homes:
            await self._home(home)

    async def _home(self, home: Home) -> tuple[Hints, dict[str, CommandGrammar]]:
        if home.id not in self._homes:
            def build() -> tuple[Hints, dict[str, CommandGrammar]]:
                return build_hints(home), {lang: CommandGrammar.build(home, lang) for lang in ("zh", "en")}

            self._homes[home.id] = await asyncio.to_thread(build)
        return self._homes[home.id]

    async def open(
        self, request: Request, home: Home, fmt: AudioFormat, on_partial: Callable[[PartialTranscript], None] | None = None,
        streaming: bool = True,
    ) -> VoiceTurn:
        """An utterance; ``streaming=False`` (a recording sent at once) skips partial and speculative decodes.

        RESOURCE_EXHAUSTED when ``max_open_utterances`` are already open."""
        if self.open_turns >= self.options.max_open_utterances:
            raise Overloaded(
                OverloadReason.RECOGNITION,
                f"speech recognition is busy; try again in {RECOGNITION_RETRY_S * 1000:.0f} ms, or send text",
                RECOGNITION_RETRY_S,
            )
        decoder = PcmDecoder(fmt)  # INVALID_ARGUMENT for a format that cannot be served
        recognizer = await self.recognizer()
        hints, _ = await self._home(home)
        options = self.options.utterance
        if not streaming:
            options = dataclasses.replace(options, partial_interval_s=0.0, speculate=False)
        utterance = Utterance(recognizer, hints.prompts, request.lang, options, on_partial, preview_prompts=hints.preview_prompts)
        return VoiceTurn(self, request, home, decoder, utterance)

    async def understood(self, heard: Heard, home: Home) -> Understood:
        lang = heard.lang or "zh"
        transcript = normalize_transcript(heard.transcript, lang)
        found = doubts(heard.confidence, transcript, lang, heard.speech_s)
        if found:
            _LOGGER.info("unsure of %r (%s): a change it asks for is confirmed first", transcript, "; ".join(found))
        if not self.options.snap or not transcript:
            return Understood(transcript, transcript, False, found)
        _, grammars = await self._home(home)
        grammar = grammars[lang]
        near = await asyncio.to_thread(grammar.nearest, transcript)
        low, high = RECONSIDER.get(lang, (1.0, 0.0))
        if near is not None and low < near.distance <= high and heard.reconsider and self.options.n_best > 1:
            near = await self._reconsider(heard.reconsider, grammar, near, lang)
        if near is None or near.distance > THRESHOLDS[lang]:
            return Understood(transcript, transcript, False, found)
        _LOGGER.debug("snapped %r to %r (%.2f)", transcript, near.text, near.distance)
        return Understood(near.text, transcript, True, found)

    async def _reconsider(
        self, reconsider: Callable[[int], Awaitable[tuple[str, ...]]], grammar: CommandGrammar, near: Snap, lang: str
    ) -> Snap:
        """The nearest command to any of the beam's readings (or ``near`` when the decode fails:
        a second opinion is not worth losing the first)."""
        try:
            readings = await reconsider(self.options.n_best)
        except Exception:
            _LOGGER.warning("a second decode failed; keeping the first reading", exc_info=True)
            return near
        nearest = [grammar.nearest(normalize_transcript(reading, lang)) for reading in readings]
        _LOGGER.debug("reconsidered %r: %s", near.text, readings)
        return min([near, *(n for n in nearest if n is not None)], key=lambda n: n.distance)

    async def transcribe_pcm(self, request: Request, home: Home, fmt: AudioFormat, pcm: bytes) -> Heard:
        """A whole recording at once (``ask --audio``, ``eval``): the same path a stream takes."""
        turn = await self.open(request, home, fmt, streaming=False)
        try:
            step = fmt.bytes_per_second // 10
            for offset in range(0, len(pcm), step):
                if turn.feed(pcm[offset : offset + step]) is not None:
                    break
            return await turn.finish(EndReason.CLIENT)
        finally:
            turn.close()


async def answer_audio(voice: VoiceService, pipeline: Pipeline, request: Request, fmt: AudioFormat, pcm: bytes) -> Answer:
    """A recording through the voice path and the pipeline, in process (``ask --audio``, ``eval``)."""
    home, _ = pipeline.homes.speaker(request.speaker_id)
    heard = await voice.transcribe_pcm(request, home, fmt, pcm)
    understood = await voice.understood(heard, home)
    if not understood.text:
        return not_heard(request, home, heard)
    return with_transcript(await pipeline.run(voice_request(request, understood, heard)), understood, heard)


def voice_request(request: Request, understood: Understood, heard: Heard) -> Request:
    return dataclasses.replace(request, text=understood.text, lang=request.lang or heard.lang, uncertain=understood.uncertain)


def with_transcript(answer: Answer, understood: Understood, heard: Heard) -> Answer:
    return dataclasses.replace(answer, transcript=understood.transcript, timings_ms={**answer.timings_ms, "asr": round(heard.asr_ms, 3)})


def not_heard(request: Request, home: Home, heard: Heard) -> Answer:
    """The answer to an utterance with no words in it."""
    lang = request.lang or heard.lang or "zh"
    speaker = request.speaker_id
    return Answer(
        request_id=request.request_id, session_id=request.session_id or uuid.uuid4().hex, home_id=home.id,
        text="", lang=lang, speaker=speaker, speech=NOT_HEARD[lang], transcript="",
        timings_ms={"asr": round(heard.asr_ms, 3), "total": round(heard.asr_ms, 3)},
    )


class VoiceTurn:
    """One utterance of a stream: decoder, utterance and a watchdog for clients that go quiet."""

    def __init__(self, service: VoiceService, request: Request, home: Home, decoder: PcmDecoder, utterance: Utterance) -> None:
        self.service = service
        self.request = request
        self.home = home
        self._decoder = decoder
        self.utterance = utterance
        self._closed = False
        self.finishing = False
        service.open_turns += 1
        self.stalled = asyncio.Event()
        self._watchdog: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        loop = asyncio.get_running_loop()
        self._watchdog = loop.call_later(self.service.options.stall_timeout_s, self.stalled.set)

    @property
    def ended(self) -> EndReason | None:
        return self.utterance.ended

    def feed(self, pcm: bytes) -> EndReason | None:
        self._arm()
        return self.utterance.feed(self._decoder.decode(pcm))

    async def finish(self, reason: EndReason) -> Heard:
        self.utterance.end(reason)
        if self._watchdog is not None:
            self._watchdog.cancel()
        return await self.utterance.finish()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.service.open_turns -= 1
            if self._watchdog is not None:
                self._watchdog.cancel()
            self.utterance.close()
