"""Every request's outcome, recorded once: a metric by method and code, and one log line at INFO.

The line names the request, the speaking device, what was said (the transcript for a spoken
turn), the intents, the actions' statuses, the route's tier and the time taken, so that an
operator can follow the service's traffic without turning on debug logging.
"""

from __future__ import annotations

import logging

from assistant.app.metrics import Metrics
from assistant.pipeline.messages import Answer, clipped_id
from domain.errors import ErrorCode

_LOGGER = logging.getLogger(__name__)

#: What was said is cut to this many characters in the log line.
SAID_CHARS = 80


def said(answer: Answer) -> str:
    """What the user said: the transcript of a spoken turn, else the text; cut to :data:`SAID_CHARS`."""
    text = answer.transcript if answer.transcript is not None else answer.text
    return text if len(text) <= SAID_CHARS else text[: SAID_CHARS - 1] + "…"


class Outcomes:
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def answered(self, method: str, answer: Answer) -> None:
        self._metrics.on_answer(answer)
        self._metrics.requests.labels(method, "OK").inc()
        timings = answer.timings_ms
        end_to_end = f" end_to_end={timings['end_to_end']:.1f}ms" if "end_to_end" in timings else ""
        _LOGGER.info(
            "%s %s speaker=%s said=%r intents=%s statuses=%s tier=%s total=%.1fms%s",
            method, answer.request_id, answer.speaker, said(answer),
            ",".join(i.name for i in answer.intents) or "-",
            ",".join(a.status for a in answer.actions) or "-",
            answer.route.tier, timings.get("total", 0.0), end_to_end,
        )

    def failed(self, method: str, code: ErrorCode, request_id: str, message: str) -> None:
        self._metrics.requests.labels(method, code.value).inc()
        _LOGGER.info("%s %s failed: %s %s", method, clipped_id(request_id) or "-", code.value, message)
