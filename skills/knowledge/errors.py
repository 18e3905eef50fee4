"""Errors of the knowledge base: a code the CLI and the service can act on, and a message."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import ErrorCode, LingxiError


class KnowledgeErrorCode(StrEnum):
    #: The file does not exist or cannot be read.
    NOT_FOUND = "not_found"
    #: The file has no text at all (zero bytes, only whitespace).
    EMPTY = "empty"
    #: The file is over the size limit (:data:`skills.knowledge.documents.MAX_BYTES`).
    TOO_LARGE = "too_large"
    #: The file is binary, not text, Markdown or PDF.
    BINARY = "binary"
    #: A PDF without extractable text (scanned pages, images only).
    PDF_NO_TEXT = "pdf_no_text"
    #: A PDF that cannot be parsed (damaged, encrypted).
    PDF_UNREADABLE = "pdf_unreadable"
    #: The home has no document with that id.
    UNKNOWN_DOCUMENT = "unknown_document"
    #: The document is one of the shipped manuals, shared by every home: it cannot be removed.
    READ_ONLY = "read_only"


_CODES = {
    KnowledgeErrorCode.NOT_FOUND: ErrorCode.NOT_FOUND,
    KnowledgeErrorCode.UNKNOWN_DOCUMENT: ErrorCode.NOT_FOUND,
    KnowledgeErrorCode.READ_ONLY: ErrorCode.PERMISSION_DENIED,
}


class KnowledgeError(LingxiError):
    """A failure of the knowledge base; ``reason`` says what kind (a bad file is INVALID_ARGUMENT)."""

    reason: KnowledgeErrorCode

    def __init__(self, reason: KnowledgeErrorCode, message: str) -> None:
        super().__init__(_CODES.get(reason, ErrorCode.INVALID_ARGUMENT), message, reason)
