"""Errors with a code and a message: one tree for every package.

::

    LingxiError (code: ErrorCode, message)      a failure a client or operator can act on
    ├── HomeError          INVALID_ARGUMENT     a home file that cannot be loaded or is inconsistent
    ├── TemplateError      INVALID_ARGUMENT     a hub's value template outside the supported subset
    ├── PayloadError       INVALID_ARGUMENT     an MQTT payload the bridge will not read (too large, too deep,
    │                                           non-finite numbers, topics it may not use)
    ├── BrokerUnavailable  UNAVAILABLE          the MQTT broker cannot be reached (reason: not_connected,
    │                                           connection_lost, publish_error, not_authorized, tls_error)
    ├── StateUnavailable   UNAVAILABLE          the durable state store (SQLite file, Redis) cannot be used
    │                                           (reason: sqlite, redis)
    ├── ScheduleError      INVALID_ARGUMENT     an entry the scheduler refuses to keep (a time without a UTC
    │                                           offset, out of range, an unknown kind)
    ├── Overloaded         RESOURCE_EXHAUSTED   a limit of the service was reached (reason: rate, streams,
    │                                           recognition, slow_reader); retry_after_s says when to retry
    ├── LlmError           by reason            an LLM call that gave no usable answer (reason: timeout →
    │                                           DEADLINE_EXCEEDED, unavailable → UNAVAILABLE,
    │                                           invalid_output → INTERNAL)
    ├── UpstreamError      by reason            a call to the upstream (cloud) instance that gave no answer
    │                                           (reason: timeout → DEADLINE_EXCEEDED, unavailable →
    │                                           UNAVAILABLE, refused → the upstream's own code)
    ├── SearchError        by reason            skills.search: unavailable → UNAVAILABLE, schema →
    │                                           INVALID_ARGUMENT, rejected/storage → INTERNAL
    ├── KnowledgeError     by reason            skills.knowledge: a document that cannot be used
    │                                           (INVALID_ARGUMENT), unknown (NOT_FOUND), read-only
    │                                           (PERMISSION_DENIED)
    ├── CatalogError       INVALID_ARGUMENT     skills.content: a media catalogue that cannot be imported
    │                                           (reason and line)
    └── SkillPermissionError PERMISSION_DENIED  a third-party skill reached for a device or attribute its
                                                manifest's permissions do not grant (skills.kit.gate)

Stages raise these (or wrap an unexpected error in one with ``raise ... from``) and let
cancellation pass; only the outer layers turn them into a gRPC status
(:mod:`assistant.api.status`) or a spoken answer. ``reason`` is the finer, machine-readable
cause where one code covers several.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Error codes; the names match gRPC status codes so the mapping is one line."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAVAILABLE = "UNAVAILABLE"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    UNIMPLEMENTED = "UNIMPLEMENTED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    INTERNAL = "INTERNAL"


class LingxiError(Exception):
    """An error a client can act on: a code and a message that says what is wrong."""

    def __init__(self, code: ErrorCode, message: str, reason: str = "") -> None:
        super().__init__(f"{reason or code.value}: {message}")
        self.code = code
        self.message = message
        self.reason = reason


def invalid_argument(message: str) -> LingxiError:
    return LingxiError(ErrorCode.INVALID_ARGUMENT, message)


class HomeError(LingxiError, ValueError):
    """A home file that cannot be loaded or is inconsistent."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID_ARGUMENT, message)


class TemplateError(LingxiError, ValueError):
    """A template outside the supported subset."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID_ARGUMENT, message)


class PayloadError(LingxiError, ValueError):
    """A device's payload the bridge will not read: too large, too deep, absurd numbers, or forbidden topics."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID_ARGUMENT, message)


class BrokerUnavailable(LingxiError, ConnectionError):
    """The broker cannot be reached (or the connection dropped) while publishing."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(ErrorCode.UNAVAILABLE, message, reason)


class StateUnavailable(LingxiError, ConnectionError):
    """The durable state store cannot be read or written; ``reason`` names the backend."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(ErrorCode.UNAVAILABLE, message, reason)


class ScheduleError(LingxiError, ValueError):
    """An entry the scheduler refuses to keep: it could not be fired safely."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID_ARGUMENT, message)


class LlmErrorCode(StrEnum):
    TIMEOUT = "timeout"
    INVALID_OUTPUT = "invalid_output"
    UNAVAILABLE = "unavailable"


_LLM_CODES = {
    LlmErrorCode.TIMEOUT: ErrorCode.DEADLINE_EXCEEDED,
    LlmErrorCode.UNAVAILABLE: ErrorCode.UNAVAILABLE,
    LlmErrorCode.INVALID_OUTPUT: ErrorCode.INTERNAL,
}


class LlmError(LingxiError):
    """An LLM call that produced no usable answer; ``reason`` says which way it failed."""

    reason: LlmErrorCode

    def __init__(self, reason: LlmErrorCode, message: str) -> None:
        super().__init__(_LLM_CODES[reason], message, reason)


class UpstreamFailure(StrEnum):
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"
    REFUSED = "refused"  # the upstream answered with an error (a token or a home it does not accept)


class UpstreamError(LingxiError):
    """A call to the upstream (cloud) instance that gave no answer; ``reason`` says which way it failed."""

    reason: UpstreamFailure

    def __init__(self, reason: UpstreamFailure, code: ErrorCode, message: str) -> None:
        super().__init__(code, message, reason)


class OverloadReason(StrEnum):
    RATE = "rate"  # a device's requests per second
    STREAMS = "streams"  # a device's Converse streams open at once
    RECOGNITION = "recognition"  # utterances the recogniser is already hearing
    SLOW_READER = "slow_reader"  # a client that does not read its replies


class Overloaded(LingxiError):
    """A limit of the service was reached: RESOURCE_EXHAUSTED, and ``retry_after_s`` until trying again may work."""

    def __init__(self, reason: OverloadReason, message: str, retry_after_s: float) -> None:
        super().__init__(ErrorCode.RESOURCE_EXHAUSTED, message, reason)
        self.retry_after_s = retry_after_s


class SkillPermissionError(LingxiError, PermissionError):
    """A skill asked for a device (or an attribute of it) outside its manifest's permissions."""

    def __init__(self, skill: str, device_id: str, message: str) -> None:
        super().__init__(ErrorCode.PERMISSION_DENIED, message, "skill_permission")
        self.skill = skill
        self.device_id = device_id
