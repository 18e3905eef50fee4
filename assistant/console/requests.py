"""The recent requests, as they run: a bounded ring of records built from the pipeline's events.

The console observes every request of the pipeline (:meth:`RequestLog.on_event`), so a device's
requests show up with their stages as they happen; those the console runs itself (typed or
spoken on its page) also carry what was said and by whom from the start, their partial
transcripts, and their answer. Another front (the gRPC servicer) hands its answers to
:meth:`RequestLog.answered` to complete its records.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from assistant.pipeline.events import PartialAnswer, PipelineEvent, StageEnded, StageStarted
from assistant.pipeline.messages import Answer


class Source(StrEnum):
    """Who sent a request: the console's own page, or a device through the service's API."""

    CONSOLE = "console"
    DEVICE = "device"


@dataclass(frozen=True)
class StageSpan:
    """One stage of a request: when it began (ms after the request's pipeline began) and how long it took
    (``None`` while it runs)."""

    name: str
    start_ms: float
    elapsed_ms: float | None = None


@dataclass(frozen=True)
class RequestRecord:
    """What the console knows about one request.

    ``began`` is the wall-clock second it was first seen; ``text`` and ``speaker`` are empty for a
    device's request until its answer arrives; ``heard`` is the partial transcript of a spoken
    turn while the user speaks; ``partial_answer`` the text a generating skill has streamed so far;
    ``error`` the reason a request ended without an answer.
    """

    request_id: str
    began: float
    source: Source
    text: str = ""
    speaker: str = ""
    session_id: str = ""
    spoken: bool = False
    heard: str = ""
    stages: tuple[StageSpan, ...] = ()
    partial_answer: str = ""
    answer: Answer | None = None
    error: str = ""

    @property
    def said(self) -> str:
        """What the user said, as well as it is known now."""
        if self.answer is not None:
            return self.answer.transcript if self.answer.transcript is not None else self.answer.text
        return self.text or self.heard

    @property
    def finished(self) -> bool:
        return self.answer is not None or bool(self.error)


Listener = Callable[[RequestRecord], None]


class RequestLog:
    """The last ``limit`` requests, newest last; ``listener`` hears of every change to one of them."""

    def __init__(self, limit: int, listener: Listener | None = None) -> None:
        self._limit = max(1, limit)
        self._records: OrderedDict[str, RequestRecord] = OrderedDict()
        # when each request's pipeline began (monotonic), for the stages' offsets
        self._origins: dict[str, float] = {}
        self._listener = listener

    def recent(self) -> list[RequestRecord]:
        """Newest first."""
        return list(reversed(self._records.values()))

    def get(self, request_id: str) -> RequestRecord | None:
        return self._records.get(request_id)

    def begin(self, request_id: str, text: str, speaker: str, session_id: str, spoken: bool = False) -> None:
        """A request the console is about to run (before its first stage event)."""
        self._put(RequestRecord(request_id, time.time(), Source.CONSOLE, text, speaker, session_id, spoken))

    def heard(self, request_id: str, text: str) -> None:
        """A partial transcript of a spoken request the console is running."""
        self._update(request_id, lambda r: replace(r, heard=text))

    def on_event(self, event: PipelineEvent) -> None:
        """The pipeline observer: every request's stage events and partial answers."""
        now = time.monotonic()
        if event.request_id not in self._records:
            self._put(RequestRecord(event.request_id, time.time(), Source.DEVICE))
        origin = self._origins.setdefault(event.request_id, now)
        match event:
            case StageStarted(stage=stage):
                span = StageSpan(stage, round((now - origin) * 1000, 3))
                self._update(event.request_id, lambda r: replace(r, stages=(*r.stages, span)))
            case StageEnded(stage=stage, elapsed_ms=elapsed):
                self._update(event.request_id, lambda r: replace(r, stages=_ended(r.stages, stage, elapsed)))
            case PartialAnswer(text=text):
                self._update(event.request_id, lambda r: replace(r, partial_answer=text))

    def answered(self, answer: Answer) -> None:
        """A request's answer (the console's own, or another front's)."""
        if answer.request_id not in self._records:
            self._put(RequestRecord(answer.request_id, time.time(), Source.DEVICE))
        self._update(answer.request_id, lambda r: replace(
            r, answer=answer, text=r.text or answer.text, speaker=r.speaker or answer.speaker, session_id=answer.session_id,
        ))

    def failed(self, request_id: str, reason: str) -> None:
        self._update(request_id, lambda r: replace(r, error=reason))

    def _put(self, record: RequestRecord) -> None:
        self._records[record.request_id] = record
        while len(self._records) > self._limit:
            dropped, _ = self._records.popitem(last=False)
            self._origins.pop(dropped, None)
        self._notify(record)

    def _update(self, request_id: str, change: Callable[[RequestRecord], RequestRecord]) -> None:
        record = self._records.get(request_id)
        if record is None:  # already pushed out of the ring
            return
        record = change(record)
        self._records[request_id] = record
        if record.finished:
            self._origins.pop(request_id, None)
        self._notify(record)

    def _notify(self, record: RequestRecord) -> None:
        if self._listener is not None:
            self._listener(record)


def _ended(stages: tuple[StageSpan, ...], name: str, elapsed_ms: float) -> tuple[StageSpan, ...]:
    """The stages with the last open one called ``name`` closed."""
    for index in range(len(stages) - 1, -1, -1):
        if stages[index].name == name and stages[index].elapsed_ms is None:
            return (*stages[:index], replace(stages[index], elapsed_ms=round(elapsed_ms, 3)), *stages[index + 1 :])
    return stages
