"""Voice activity and the end of an utterance.

:class:`SileroVad` runs faster-whisper's bundled silero model (onnxruntime) one 32 ms frame
at a time, carrying its recurrent state, so each frame costs a fraction of a millisecond.
:class:`Endpointer` turns per-frame speech probabilities into decisions: speech started,
a pause long enough to start decoding speculatively, and the end of the utterance (trailing
silence, no speech at all, or the length cap).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

import numpy as np

from assistant.voice.audio import SAMPLE_RATE

_LOGGER = logging.getLogger(__name__)

FRAME = 512  # samples per VAD frame (32 ms at 16 kHz)
FRAME_S = FRAME / SAMPLE_RATE
_CONTEXT = 64


class Vad(Protocol):
    def probability(self, frame: np.ndarray) -> float: ...


class SileroVad:
    """Streaming silero VAD (v6, shipped in faster-whisper's assets); one instance per utterance."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model  # imported lazily: optional dependency

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)

    def probability(self, frame: np.ndarray) -> float:
        window = np.concatenate([self._context, frame])[None, :].astype(np.float32)
        out, self._h, self._c = self._session.run(None, {"input": window, "h": self._h, "c": self._c})
        self._context = frame[-_CONTEXT:]
        return float(np.asarray(out).reshape(-1)[0])


@dataclass(frozen=True)
class EndpointOptions:
    threshold: float = 0.5
    #: Speech frames in a row before speech counts as started.
    start_frames: int = 2
    #: Silence after speech that ends the utterance.
    trailing_silence_ms: float = 480.0
    #: Silence after speech after which the recogniser starts the final decode speculatively
    #: (128 ms: measured best; 96 ms decodes too many pauses between words).
    speculate_after_ms: float = 128.0
    #: No speech at all within this long: the utterance ends empty ("I didn't catch that").
    no_speech_timeout_s: float = 5.0
    #: Length cap of one utterance.
    max_utterance_s: float = 15.0


class EndReason(str, Enum):
    SILENCE = "silence"  # trailing silence after speech
    NO_SPEECH = "no_speech"
    MAX_LENGTH = "max_length"
    CLIENT = "client"  # the client said the utterance is over (AudioEnd)
    STALLED = "stalled"  # the client stopped sending audio


@dataclass(frozen=True)
class FrameDecision:
    speech: bool
    #: The first frame of speech (the utterance's speech starts here).
    started: bool = False
    #: A pause long enough to decode what was said so far as if it were final.
    pause: bool = False
    end: EndReason | None = None


class Endpointer:
    """Feeds on per-frame speech probabilities; knows where speech starts and ends (in samples)."""

    def __init__(self, options: EndpointOptions = EndpointOptions()) -> None:
        self.options = options
        self.frames = 0
        self.speech_start: int | None = None  # sample index
        self.speech_end = 0  # sample index after the last speech frame
        self._run = 0
        self._silent_frames = 0
        self._paused = False

    @property
    def heard_speech(self) -> bool:
        return self.speech_start is not None

    def update(self, probability: float) -> FrameDecision:
        o = self.options
        self.frames += 1
        speech = probability >= o.threshold
        started = pause = False
        self._run = self._run + 1 if speech else 0
        if speech:
            self._silent_frames = 0
            self._paused = False
            if self.speech_start is None and self._run >= o.start_frames:
                self.speech_start = max(0, (self.frames - self._run) * FRAME)
                started = True
            if self.speech_start is not None:
                self.speech_end = self.frames * FRAME
        else:
            self._silent_frames += 1
        silence_ms = self._silent_frames * FRAME_S * 1000
        end = None
        if self.speech_start is not None and not speech:
            if not self._paused and silence_ms >= o.speculate_after_ms:
                self._paused = pause = True
            if silence_ms >= o.trailing_silence_ms:
                end = EndReason.SILENCE
        elif self.speech_start is None and self.frames * FRAME_S >= o.no_speech_timeout_s:
            end = EndReason.NO_SPEECH
        if end is None and self.frames * FRAME_S >= o.max_utterance_s:
            end = EndReason.MAX_LENGTH
        return FrameDecision(speech, started, pause, end)
