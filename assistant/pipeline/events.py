"""What the pipeline says while a request runs: stages starting and ending, and partial answers.

A request's events go to the observers of every request (metrics) and to the caller's own sink
(the ``Converse`` stream, which sends each one to the client as a ``ConverseEvent``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StageStarted:
    """Stage ``stage`` (``nlu``, ``plan``, ``skills``) of request ``request_id`` began."""

    request_id: str
    stage: str


@dataclass(frozen=True)
class StageEnded:
    """Stage ``stage`` of request ``request_id`` ended after ``elapsed_ms``."""

    request_id: str
    stage: str
    elapsed_ms: float


@dataclass(frozen=True)
class PartialAnswer:
    """The answer of request ``request_id`` so far, while a skill generates it (the whole text, not a delta)."""

    request_id: str
    text: str


PipelineEvent = StageStarted | StageEnded | PartialAnswer
EventSink = Callable[[PipelineEvent], None]
