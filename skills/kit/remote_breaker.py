"""A circuit breaker for one remote skill: a service that is down is reported, not called on every request.

After ``failures_to_open`` outages in a row (no connection, or no reply in time) the circuit
opens for ``open_s`` seconds: calls are refused at once, answered "cannot be reached". Then one
trial call is let through (half-open): its success closes the circuit, another outage opens it
again for the same time. Each change is logged; :meth:`CircuitBreaker.state` shows where it stands.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

_LOGGER = logging.getLogger(__name__)


class Circuit(StrEnum):
    CLOSED = "closed"  # calls go through
    OPEN = "open"  # calls are refused until open_for_s has passed
    HALF_OPEN = "half_open"  # one trial call is under way


@dataclass(frozen=True)
class BreakerState:
    """Where one remote skill's circuit stands."""

    skill: str
    circuit: Circuit
    #: Outages in a row so far.
    failures: int
    #: Seconds until a trial call is let through (0 unless open).
    open_for_s: float
    #: The last outage, e.g. ``UNAVAILABLE: failed to connect`` (empty once a call succeeds).
    why: str


class CircuitBreaker:
    def __init__(self, skill: str, failures_to_open: int = 2, open_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._skill = skill
        self._failures_to_open = failures_to_open
        self._open_s = open_s
        self._clock = clock
        self._failures = 0
        self._open_until = 0.0
        self._trial = False
        self._why = ""

    def allows(self) -> bool:
        """Whether a call may go out now (the one trial call of a half-open circuit included)."""
        if self._failures < self._failures_to_open:
            return True
        if self._trial or self._clock() < self._open_until:
            return False
        self._trial = True
        _LOGGER.info("remote skill %s: trying it again after %.0f s", self._skill, self._open_s)
        return True

    def succeeded(self) -> None:
        if self._failures >= self._failures_to_open:
            _LOGGER.warning("remote skill %s answers again: circuit closed", self._skill)
        self._failures, self._trial, self._why = 0, False, ""

    def failed(self, why: str) -> None:
        """An outage (no connection, no reply in time); other failures are the skill's answers, not outages."""
        self._failures += 1
        self._why = why
        if self._failures >= self._failures_to_open:
            self._open_until = self._clock() + self._open_s
            self._trial = False
            _LOGGER.error("remote skill %s: circuit open for %.0f s after %d outages in a row (%s)",
                          self._skill, self._open_s, self._failures, why)

    def abandoned(self) -> None:
        """A call cancelled before any outcome (the request went away): the next call may be the trial."""
        self._trial = False

    def state(self) -> BreakerState:
        if self._failures < self._failures_to_open:
            circuit = Circuit.CLOSED
        else:
            circuit = Circuit.HALF_OPEN if self._trial else Circuit.OPEN
        open_for = max(0.0, self._open_until - self._clock()) if circuit is Circuit.OPEN else 0.0
        return BreakerState(self._skill, circuit, self._failures, open_for, self._why)
