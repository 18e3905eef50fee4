"""Admission: what one device may take of the service before it is told to come back later.

Each device has a token bucket (``server.device_rate`` requests a second, bursts of
``server.device_burst``) that every Ask and every Converse turn draws from, and at most
``server.device_streams`` Converse streams open at once. Past either, the caller gets
RESOURCE_EXHAUSTED (:class:`~domain.errors.Overloaded`) with the time after which trying again
works, rather than a share of everyone else's latency. Buckets are kept for at most
:data:`MAX_DEVICES` devices (the least recently seen is forgotten), so made-up device ids cannot
grow the server.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from assistant.app.config import ServerOptions
from assistant.pipeline.messages import quoted
from domain.errors import Overloaded, OverloadReason

#: Devices whose request rate is tracked at once.
MAX_DEVICES = 10_000
#: What a refused stream is told to wait: streams end when their conversation does, not on a clock.
STREAM_RETRY_S = 1.0


def retry_message(what: str, retry_after_s: float) -> str:
    return f"{what}; try again in {math.ceil(retry_after_s * 1000)} ms"


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class Admission:
    def __init__(self, options: ServerOptions) -> None:
        self._rate = options.device_rate
        self._burst = max(1, options.device_burst)
        self._max_streams = options.device_streams
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._streams: dict[str, int] = {}

    def request(self, device_id: str) -> None:
        """Take one request from ``device_id``'s bucket; RESOURCE_EXHAUSTED when it is empty."""
        now = time.monotonic()
        bucket = self._buckets.pop(device_id, None) or _Bucket(self._burst, now)
        self._buckets[device_id] = bucket  # most recently seen last
        if len(self._buckets) > MAX_DEVICES:
            self._buckets.popitem(last=False)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.stamp) * self._rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            wait = (1 - bucket.tokens) / self._rate if self._rate > 0 else STREAM_RETRY_S
            too_many = f"device {quoted(device_id)} sends more than {self._rate:g} requests a second"
            raise Overloaded(OverloadReason.RATE, retry_message(too_many, wait), wait)
        bucket.tokens -= 1

    def open_stream(self, device_id: str) -> None:
        """Count a Converse stream against ``device_id``; RESOURCE_EXHAUSTED past ``device_streams``."""
        open_now = self._streams.get(device_id, 0)
        if open_now >= self._max_streams:
            raise Overloaded(
                OverloadReason.STREAMS,
                retry_message(f"device {quoted(device_id)} already has {open_now} conversations open", STREAM_RETRY_S),
                STREAM_RETRY_S,
            )
        self._streams[device_id] = open_now + 1

    def close_stream(self, device_id: str) -> None:
        left = self._streams.get(device_id, 0) - 1
        if left > 0:
            self._streams[device_id] = left
        else:
            self._streams.pop(device_id, None)


class StreamLease:
    """One Converse stream's place among its device's streams: taken by its first turn, given back when it ends."""

    def __init__(self, admission: Admission) -> None:
        self._admission = admission
        self.device_id: str | None = None

    def bind(self, device_id: str) -> None:
        if self.device_id is None:
            self._admission.open_stream(device_id)
            self.device_id = device_id

    def release(self) -> None:
        if self.device_id is not None:
            self._admission.close_stream(self.device_id)
            self.device_id = None
