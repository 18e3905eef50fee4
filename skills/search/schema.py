"""What every backend does the same way before it talks to its engine: check documents
against the schema, turn query text into terms, read field boosts and filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .analysis import tokens
from .errors import SearchError, SearchErrorCode
from .types import Document, Filters, IndexSchema

__all__ = ["check_documents", "filter_values", "keyword_values", "query_terms", "search_fields"]


def check_documents(schema: IndexSchema, documents: Sequence[Document]) -> None:
    """Raise ``SearchError(SCHEMA)`` for a field the schema lacks or a vector of the wrong length."""
    known = set(schema.text) | set(schema.keywords) | set(schema.stored)
    for doc in documents:
        unknown = set(doc.fields) - known
        if unknown:
            raise SearchError(SearchErrorCode.SCHEMA, f"document {doc.id!r} has unknown fields {sorted(unknown)}")
        if schema.vector_dims and doc.vector is None:
            raise SearchError(SearchErrorCode.SCHEMA, f"document {doc.id!r} has no vector")
        if doc.vector is not None and len(doc.vector) != schema.vector_dims:
            raise SearchError(SearchErrorCode.SCHEMA,
                              f"document {doc.id!r}: vector of {len(doc.vector)} values, index wants {schema.vector_dims}")


def keyword_values(value: Any) -> tuple[str, ...]:
    """A keyword field's values: one string, or several (a list)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def filter_values(schema: IndexSchema, filters: Filters | None) -> dict[str, tuple[str, ...]]:
    """``filters`` as field -> accepted values; only keyword fields can filter."""
    out: dict[str, tuple[str, ...]] = {}
    for name, wanted in (filters or {}).items():
        if name not in schema.keywords:
            raise SearchError(SearchErrorCode.SCHEMA, f"cannot filter on {name!r}: not a keyword field")
        out[name] = keyword_values(wanted)
    return out


def query_terms(query: str) -> list[str]:
    """The distinct analysed terms of a query, in order (a repeated word counts once everywhere)."""
    return list(dict.fromkeys(tokens(query)))


def search_fields(schema: IndexSchema, fields: Sequence[str]) -> list[tuple[str, float]]:
    """``("title^2", "body")`` -> ``[("title", 2.0), ("body", 1.0)]``; all text fields when empty."""
    out: list[tuple[str, float]] = []
    for spec in fields or schema.text:
        name, _, boost = spec.partition("^")
        if name not in schema.text:
            raise SearchError(SearchErrorCode.SCHEMA, f"cannot search {name!r}: not a text field")
        out.append((name, float(boost) if boost else 1.0))
    return out

