"""Errors of the search layer: a code the caller can act on, and a message for people."""

from __future__ import annotations

from enum import Enum


class SearchErrorCode(str, Enum):
    #: The backend cannot be reached (Elasticsearch down, connection refused, timeout).
    UNAVAILABLE = "unavailable"
    #: The backend refused the request (bad mapping, bad query).
    REJECTED = "rejected"
    #: A document or query does not fit the index's schema (unknown field, wrong vector length).
    SCHEMA = "schema"
    #: The embedded index's data folder cannot be opened or written.
    STORAGE = "storage"


class SearchError(Exception):
    """A failure of the search layer; ``code`` says what kind."""

    def __init__(self, code: SearchErrorCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message
