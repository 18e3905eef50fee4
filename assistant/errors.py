"""Errors with a code and a message.

Stages raise :class:`LingxiError` (or wrap unexpected errors in one with
``raise ... from``); only the outer layers turn them into a gRPC status
(:mod:`assistant.grpc_status`) or a spoken answer.
"""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
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

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message


def invalid_argument(message: str) -> LingxiError:
    return LingxiError(ErrorCode.INVALID_ARGUMENT, message)


def not_found(message: str) -> LingxiError:
    return LingxiError(ErrorCode.NOT_FOUND, message)
