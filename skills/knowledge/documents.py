"""Reading a file a home adds: Markdown, plain text or PDF, with the checks that keep the index
sane (size, emptiness, binary content, PDFs without text). Parsing runs in a worker thread."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import KnowledgeError, KnowledgeErrorCode

__all__ = ["MAX_BYTES", "SourceText", "read_source"]

_LOGGER = logging.getLogger(__name__)

#: A manual is tens of kilobytes; a PDF manual a few megabytes at most.
MAX_BYTES = 5 * 1024 * 1024

_MARKDOWN = (".md", ".markdown")
#: Control bytes other than tab, newline, carriage return and form feed mark a binary file.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True)
class SourceText:
    """A file's text and how to split it.

    ``format`` is ``markdown``, ``text`` or ``pdf``; ``pages`` holds a PDF's text page by page
    (empty otherwise); ``sha256`` identifies the file's bytes (re-adding the same file is a no-op).
    """

    name: str
    format: str
    text: str
    pages: tuple[str, ...]
    sha256: str


def _decode(data: bytes, name: str) -> str:
    if any(b in _CONTROL for b in data[:8192]):
        raise KnowledgeError(KnowledgeErrorCode.BINARY, f"{name} is a binary file, not text, Markdown or PDF")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KnowledgeError(KnowledgeErrorCode.BINARY, f"{name} is neither UTF-8 nor GB18030 text")


def _pdf_pages(path: Path) -> tuple[str, ...]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise KnowledgeError(KnowledgeErrorCode.PDF_UNREADABLE, f"{path.name} is encrypted")
        pages = tuple((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise KnowledgeError(KnowledgeErrorCode.PDF_UNREADABLE, f"{path.name} cannot be read as a PDF: {exc}") from exc
    if not any(pages):
        raise KnowledgeError(KnowledgeErrorCode.PDF_NO_TEXT,
                             f"{path.name} has no text to read (scanned pages?); add a PDF with a text layer")
    return pages


def _read(path: Path) -> SourceText:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise KnowledgeError(KnowledgeErrorCode.NOT_FOUND, f"cannot read {path}: {exc.strerror}") from exc
    if not path.is_file():
        raise KnowledgeError(KnowledgeErrorCode.NOT_FOUND, f"{path} is not a file")
    if size > MAX_BYTES:
        raise KnowledgeError(KnowledgeErrorCode.TOO_LARGE,
                             f"{path.name} is {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    data = path.read_bytes()
    if not data.strip():
        raise KnowledgeError(KnowledgeErrorCode.EMPTY, f"{path.name} is empty")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        pages = _pdf_pages(path)
        return SourceText(path.name, "pdf", "\n\n".join(pages), pages, digest)
    text = _decode(data, path.name)
    if not text.strip():
        raise KnowledgeError(KnowledgeErrorCode.EMPTY, f"{path.name} has no text")
    fmt = "markdown" if path.suffix.lower() in _MARKDOWN else "text"
    return SourceText(path.name, fmt, text, (), digest)


async def read_source(path: Path | str) -> SourceText:
    """Read and check ``path``; raises :class:`KnowledgeError` with the reason it cannot be used."""
    source = await asyncio.to_thread(_read, Path(path))
    _LOGGER.debug("read %s: %s, %d characters", source.name, source.format, len(source.text))
    return source
