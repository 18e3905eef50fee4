"""Errors of the search layer: a code the caller can act on, and a message for people."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import ErrorCode, LingxiError


class SearchErrorCode(StrEnum):
    #: The backend cannot be reached (Elasticsearch down, connection refused, timeout).
    UNAVAILABLE = "unavailable"
    #: The backend refused the request (bad mapping, bad query).
    REJECTED = "rejected"
    #: A document or query does not fit the index's schema (unknown field, wrong vector length).
    SCHEMA = "schema"
    #: The embedded index's data folder cannot be opened or written.
    STORAGE = "storage"


_CODES = {
    SearchErrorCode.UNAVAILABLE: ErrorCode.UNAVAILABLE,
    SearchErrorCode.SCHEMA: ErrorCode.INVALID_ARGUMENT,
}


class SearchError(LingxiError):
    """A failure of the search layer; ``reason`` says what kind."""

    reason: SearchErrorCode

    def __init__(self, reason: SearchErrorCode, message: str) -> None:
        super().__init__(_CODES.get(reason, ErrorCode.INTERNAL), message, reason)
