"""The transcripts this server gave lately, and whether the recogniser was sure of them.

Home Assistant asks for speech to text on one connection and hands the transcript to the
conversation agent on another, with nothing but its text. So a transcript's uncertainty
(:mod:`assistant.voice.confidence`) is kept here by its text for the turn that comes back with
it: that turn changes no device without a confirmation, as on the gRPC voice path. Text that
Lingxi did not transcribe (typed, or another recogniser's) is taken as it comes.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class RecentTranscripts:
    """The last ``size`` transcripts given, each for ``ttl_s`` seconds: long enough for Home Assistant
    to hand one on, short enough that the same words said later are judged by their own decode."""

    def __init__(self, ttl_s: float = 60.0, size: int = 32, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._size = size
        self._clock = clock
        self._given: OrderedDict[str, tuple[bool, float]] = OrderedDict()

    def given(self, text: str, uncertain: bool) -> None:
        """``text`` went out as a transcript (a later decode of the same words replaces an earlier one)."""
        key = text.strip()
        if not key:
            return
        self._given.pop(key, None)
        self._given[key] = (uncertain, self._clock())
        while len(self._given) > self._size:
            self._given.popitem(last=False)

    def uncertain(self, text: str) -> bool:
        """Whether ``text`` is a transcript given lately that the recogniser was unsure of; it is
        answered for once (the turn it came back for)."""
        found = self._given.pop(text.strip(), None)
        return found is not None and found[0] and self._clock() - found[1] <= self._ttl_s
