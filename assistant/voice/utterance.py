"""One spoken utterance, streamed: frames in, partial transcripts out, a final transcript at the end.

Decoding starts while the user is still speaking: a partial decode whenever enough new speech
has arrived, and — the part that matters for latency — a speculative final decode as soon as
the user pauses (``speculate_after_ms``, well before the endpoint's ``trailing_silence_ms``).
When the endpoint confirms the end and no speech came after the pause, that decode *is* the
final transcript, so little or nothing is left to do after the user stops. Decodes run one at
a time in a worker thread (``asyncio.to_thread``); a stale one is simply not used.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from assistant.voice.asr import Recognizer, Transcript
from assistant.voice.audio import SAMPLE_RATE
from assistant.voice.confidence import Confidence
from assistant.voice.endpointing import FRAME, Endpointer, EndpointOptions, EndReason, SileroVad, Vad

_LOGGER = logging.getLogger(__name__)

#: Audio kept before the first speech frame and after the last one.
PAD = int(0.25 * SAMPLE_RATE)


@dataclass(frozen=True)
class UtteranceOptions:
    endpoint: EndpointOptions = EndpointOptions()
    #: New speech (seconds) between two partial decodes; 0 disables partials.
    partial_interval_s: float = 0.6
    #: Speech before the first partial decode.
    first_partial_s: float = 0.1
    #: Window of the first partial: a few syllables decode fast in a short window.
    first_partial_context_s: float = 2.0
    #: Smallest window for partial decodes (shorter than the final's: cheaper, rougher).
    partial_context_s: float = 4.0
    #: Start the final decode at a pause, before the endpoint confirms it.
    speculate: bool = True


@dataclass(frozen=True)
class PartialTranscript:
    text: str
    audio_s: float


@dataclass(frozen=True)
class Heard:
    """The end of an utterance: what was said (raw, as recognised) and how it ended."""

    transcript: str
    lang: str | None
    reason: EndReason
    speech_s: float
    #: From the end of speech (the last speech frame's arrival) to the transcript, ms.
    asr_ms: float
    #: ``await reconsider(n)``: the ``n`` best readings of the same speech (a beam search), for
    #: when the first one makes no sense; ``None`` when there is no speech to decode again.
    reconsider: Callable[[int], Awaitable[tuple[str, ...]]] | None = field(default=None, compare=False, repr=False)
    #: Whisper's scores of the final transcript (``None``: nothing was decoded).
    confidence: Confidence | None = None


@dataclass
class _Decode:
    end: int  # audio covered: samples [start, end)
    partial: bool
    task: asyncio.Task[Transcript]


class Utterance:
    """Feed 16 kHz float32 audio with :meth:`feed`; :meth:`finish` returns what was heard."""

    def __init__(
        self,
        recognizer: Recognizer,
        prompts: Mapping[str, str],
        lang: str | None,
        options: UtteranceOptions = UtteranceOptions(),
        on_partial: Callable[[PartialTranscript], None] | None = None,
        vad: Vad | None = None,
        preview_prompts: Mapping[str, str] | None = None,
    ) -> None:
        self._recognizer = recognizer
        self._prompts = prompts
        self._preview_prompts = prompts if preview_prompts is None else preview_prompts
        self.lang = lang
        self.options = options
        self._on_partial = on_partial
        self._vad = vad or SileroVad()
        self.endpointer = Endpointer(options.endpoint)
        self._chunks: list[np.ndarray] = []
        self._audio = np.zeros(0, np.float32)
        self._pending = np.zeros(0, np.float32)  # not yet a whole VAD frame
        self._decodes: list[_Decode] = []
        self._last_partial_end = 0
        self._speech_end_at = 0.0  # monotonic time the last speech frame arrived
        self.ended: EndReason | None = None

    @property
    def samples(self) -> int:
        return self._audio.size

    def feed(self, samples: np.ndarray) -> EndReason | None:
        """Add audio; returns why the utterance ended when it just did."""
        if self.ended is not None:
            return None
        self._pending = np.concatenate([self._pending, samples])
        whole = self._pending.size - self._pending.size % FRAME
        frames, self._pending = self._pending[:whole], self._pending[whole:]
        self._audio = np.concatenate([self._audio, frames])
        now = time.monotonic()
        for offset in range(0, whole, FRAME):
            decision = self.endpointer.update(self._vad.probability(frames[offset : offset + FRAME]))
            if decision.speech and self.endpointer.heard_speech:
                self._speech_end_at = now
            if decision.pause and self.options.speculate:
                self._decode(partial=False)
            if decision.end is not None:
                self.ended = decision.end
                return decision.end
        self._maybe_partial()
        return None

    def end(self, reason: EndReason) -> None:
        if self.ended is None:
            self.ended = reason

    def _span(self) -> tuple[int, int]:
        ep = self.endpointer
        start = max(0, (ep.speech_start or 0) - PAD)
        return start, min(self._audio.size, ep.speech_end + PAD)

    def _maybe_partial(self) -> None:
        o, ep = self.options, self.endpointer
        if not o.partial_interval_s or not ep.heard_speech or any(not d.task.done() for d in self._decodes):
            return
        spoken = ep.speech_end - (ep.speech_start or 0)
        first = self._last_partial_end == 0
        needed = o.first_partial_s if first else o.partial_interval_s
        if spoken >= needed * SAMPLE_RATE and ep.speech_end - self._last_partial_end >= needed * SAMPLE_RATE:
            self._last_partial_end = ep.speech_end
            self._decode(partial=True, context=o.first_partial_context_s if first else o.partial_context_s)

    def _decode(self, partial: bool, context: float | None = None) -> None:
        start, end = self._span()
        audio = self._audio[start:end].copy()
        lang = self.lang
        prompts = self._preview_prompts if partial else self._prompts
        task = asyncio.ensure_future(asyncio.to_thread(self._recognizer.transcribe, audio, lang, prompts, context, partial))
        self._decodes.append(_Decode(end, partial, task))
        if partial and self._on_partial is not None:
            task.add_done_callback(self._report)

    def _report(self, task: asyncio.Task[Transcript]) -> None:
        if task.cancelled() or task.exception() is not None or self.ended is not None:
            return
        result = task.result()
        if result.text and self._on_partial is not None:
            self._on_partial(PartialTranscript(result.text, result.audio_s))

    async def finish(self) -> Heard:
        """The final transcript; reuses a decode already covering all the speech."""
        reason = self.ended or EndReason.CLIENT
        ep = self.endpointer
        if not ep.heard_speech:
            self.close()
            return Heard("", self.lang, reason, 0.0, 0.0)
        covering = [d for d in self._decodes if not d.partial and d.end >= ep.speech_end and not d.task.cancelled()]
        if covering:
            result = await covering[-1].task
        else:
            start, end = self._span()
            result = await asyncio.to_thread(
                self._recognizer.transcribe, self._audio[start:end].copy(), self.lang, self._prompts, None
            )
        self.close()
        asr_ms = (time.monotonic() - self._speech_end_at) * 1000
        speech_s = (ep.speech_end - (ep.speech_start or 0)) / SAMPLE_RATE
        _LOGGER.debug("heard %r (%s, %.2f s of speech, %.0f ms after it ended)", result.text, reason.value, speech_s, asr_ms)
        return Heard(result.text, result.lang, reason, speech_s, asr_ms, self._reconsider(result.lang), result.confidence)

    def _reconsider(self, lang: str) -> Callable[[int], Awaitable[tuple[str, ...]]]:
        start, end = self._span()
        audio = self._audio[start:end].copy()

        async def n_best(n: int) -> tuple[str, ...]:
            result = await asyncio.to_thread(self._recognizer.transcribe, audio, lang, self._prompts, None, False, n)
            return result.alternatives or (result.text,)

        return n_best

    def close(self) -> None:
        """Drop decodes nobody waits for (a running one finishes in its thread, unused)."""
        for decode in self._decodes:
            decode.task.cancel()
        self._decodes.clear()
