"""Typed messages of the request path: a request in, an answer out.

The proto and JSON forms of these live in :mod:`assistant.api.convert`, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from intents.types import Intent
from skills.sdk import ActionReport, Awaiting, Citation, MediaDirective

#: Longest identifier (device, session, request id) a client may send.
MAX_ID_CHARS = 128
#: Longest piece of a client's input an error message repeats.
MAX_ECHO_CHARS = 64


def quoted(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """``text`` quoted for an error message, cut to ``limit`` characters: errors never echo unbounded input."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


def clipped_id(text: str) -> str:
    """A client's identifier as repeated in an error event or a log line: at most :data:`MAX_ID_CHARS` characters."""
    return text[:MAX_ID_CHARS]


@dataclass(frozen=True)
class Request:
    """One user turn.

    ``speaker_id`` is the speaking device (its home and room scope the request);
    ``deadline`` is an absolute ``time.monotonic()`` instant by which the answer is due;
    ``spoken_at``, for a spoken turn, the ``time.monotonic()`` instant the speaker stopped
    talking: the turn's budget counts from there, recognition and any wait included;
    ``uncertain``: a spoken turn whose transcript the recogniser was unsure of: it may read state,
    but a change to a device is asked back as a confirmation question first;
    ``plan_only``: the caller (an edge instance) runs the tool tasks itself: they are planned here, not
    carried out (``AskRequest.plan_only``; :mod:`assistant.routing.placement`).
    """

    text: str
    speaker_id: str
    request_id: str
    session_id: str
    lang: str | None = None
    now: datetime | None = None
    deadline: float | None = None
    spoken_at: float | None = None
    uncertain: bool = False
    plan_only: bool = False


class Tier(StrEnum):
    """Where a request was understood: on this instance's own models, or by a cloud LLM."""

    EDGE = "edge"
    CLOUD = "cloud"


@dataclass(frozen=True)
class Route:
    """Where the request was understood and why."""

    tier: Tier
    reason: str


@dataclass(frozen=True)
class Answer:
    request_id: str
    session_id: str
    home_id: str
    text: str
    lang: str
    speaker: str
    intents: tuple[Intent, ...] = ()
    actions: tuple[ActionReport, ...] = ()
    speech: str = ""
    awaiting: Awaiting | None = None
    route: Route = Route(Tier.EDGE, "")
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    transcript: str | None = None
    media: MediaDirective | None = None
    citations: tuple[Citation, ...] = ()
