"""Audio in: the declared format, PCM decoding, resampling to 16 kHz, WAV files.

Everything downstream (endpointing, recognition) sees mono float32 samples in [-1, 1] at
:data:`SAMPLE_RATE`. A stream declares its format once (``AudioStart``); a format that
cannot be served is rejected up front with INVALID_ARGUMENT and a reason.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from domain.errors import invalid_argument

#: What the recogniser and the voice-activity detector work at.
SAMPLE_RATE = 16000
ENCODING = "pcm_s16le"
#: Declared rates accepted (and resampled to 16 kHz when different).
MIN_RATE, MAX_RATE = 8000, 48000


@dataclass(frozen=True)
class AudioFormat:
    sample_rate_hz: int = SAMPLE_RATE
    channels: int = 1
    encoding: str = ENCODING

    @property
    def bytes_per_second(self) -> int:
        return self.sample_rate_hz * self.channels * 2


def check_format(fmt: AudioFormat) -> AudioFormat:
    """``fmt`` if it can be served; else INVALID_ARGUMENT that says what to send instead."""
    encoding = fmt.encoding or ENCODING
    if encoding != ENCODING:
        raise invalid_argument(f"audio encoding {fmt.encoding!r} is not supported; send {ENCODING} (16-bit signed little-endian PCM)")
    if fmt.channels != 1:
        raise invalid_argument(f"audio has {fmt.channels} channels; send mono (1 channel)")
    if not MIN_RATE <= fmt.sample_rate_hz <= MAX_RATE:
        raise invalid_argument(
            f"sample rate {fmt.sample_rate_hz} Hz is not supported; send {SAMPLE_RATE} Hz (or {MIN_RATE}-{MAX_RATE} Hz, resampled)"
        )
    return AudioFormat(fmt.sample_rate_hz, 1, encoding)


def pcm_to_float(pcm: bytes) -> np.ndarray:
    """s16le bytes (an even count) to float32 in [-1, 1]."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def float_to_pcm(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


class PcmDecoder:
    """Chunks of s16le at any rate in, float32 at 16 kHz out; a chunk may split a sample.

    Resampling is linear interpolation with the phase carried across chunks (enough for
    speech recognition; downsampling first averages neighbouring samples against aliasing).
    """

    def __init__(self, fmt: AudioFormat) -> None:
        self.format = check_format(fmt)
        self._odd = b""
        self._step = fmt.sample_rate_hz / SAMPLE_RATE
        self._pos = 0.0  # next output position, in input samples, relative to _tail
        self._tail = np.zeros(0, np.float32)

    def decode(self, chunk: bytes) -> np.ndarray:
        data = self._odd + chunk
        cut = len(data) - len(data) % 2
        self._odd = data[cut:]
        samples = pcm_to_float(data[:cut])
        if self.format.sample_rate_hz == SAMPLE_RATE:
            return samples
        return self._resample(samples)

    def _resample(self, samples: np.ndarray) -> np.ndarray:
        if self._step > 1.0 and samples.size:
            width = int(round(self._step))
            samples = np.convolve(samples, np.full(width, 1.0 / width, np.float32), mode="same").astype(np.float32)
        x = np.concatenate([self._tail, samples])
        if x.size < 2:
            self._tail = x
            return np.zeros(0, np.float32)
        positions = np.arange(self._pos, x.size - 1, self._step)
        out = np.interp(positions, np.arange(x.size), x).astype(np.float32)
        next_pos = positions[-1] + self._step if positions.size else self._pos
        keep = min(int(next_pos), x.size)  # samples before this are no longer needed
        self._tail = x[keep:]
        self._pos = next_pos - keep
        return out


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """A whole float32 signal at ``rate`` to 16 kHz."""
    if rate == SAMPLE_RATE:
        return samples
    return PcmDecoder(AudioFormat(rate))._resample(samples)


def read_wav(source: Path | bytes) -> tuple[AudioFormat, bytes]:
    """The format and PCM frames of a WAV file; INVALID_ARGUMENT for what is not 16-bit PCM WAV."""
    name = str(source) if isinstance(source, Path) else "audio"
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source
    except OSError as err:
        raise invalid_argument(f"cannot read {name}: {err.strerror}") from err
    try:
        with wave.open(io.BytesIO(raw)) as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as err:
        raise invalid_argument(f"{name} is not a PCM WAV file ({err or 'truncated'})") from err
    if width != 2:
        raise invalid_argument(f"{name} has {8 * width}-bit samples; send 16-bit PCM")
    return AudioFormat(rate, channels, ENCODING), frames
