"""Wyoming's audio made what the voice path takes: 16-bit mono (the voice path resamples to 16 kHz).

Channels are averaged, not summed (the ``wyoming`` package's converter sums them, which clips
loud stereo and made whisper hear words that were not said).
"""

from __future__ import annotations

import numpy as np

from domain.errors import invalid_argument

#: Bytes per sample: 16-bit PCM, as Home Assistant sends it.
WIDTH = 2


class MonoDownmix:
    """Interleaved s16le frames in, their channels' average as mono s16le out; a chunk may split a frame."""

    def __init__(self, width: int, channels: int) -> None:
        if width != WIDTH:
            raise invalid_argument(f"audio has {8 * width}-bit samples; send 16-bit PCM (width {WIDTH})")
        if channels < 1:
            raise invalid_argument(f"audio has {channels} channels")
        self.channels = channels
        self._frame = WIDTH * channels
        self._rest = b""

    def __call__(self, chunk: bytes) -> bytes:
        if self.channels == 1:
            return chunk
        data = self._rest + chunk
        cut = len(data) - len(data) % self._frame
        self._rest = data[cut:]
        frames = np.frombuffer(data[:cut], dtype="<i2").reshape(-1, self.channels)
        return frames.mean(axis=1).round().astype("<i2").tobytes()
