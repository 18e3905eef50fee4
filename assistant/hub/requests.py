"""A hub's request: its JSON payload read, bounded and checked before the pipeline sees it.

``{"text", "speaker"?, "session"?, "reply_to"?, "correlation"?, "lang"?}``. The request's home is
its topic's: a speaker that is not one of that home's is refused exactly like one that does not
exist (a request must not learn what another home holds), and no speaker means the home's first.
Unknown fields are refused rather than ignored: a misspelt ``speeker`` must not quietly act in
the wrong room.

Where the answer goes is settled first, field by field, so that even a request refused for its
text is answered on the topic it asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from assistant.api.convert import parse_id, parse_lang
from assistant.hub.topics import check_reply_topic
from assistant.pipeline.messages import quoted
from domain.errors import ErrorCode, LingxiError, invalid_argument
from domain.home import Home

#: A request's correlation id as the hub sent it: echoed unchanged.
Correlation = str | int


class RequestField(StrEnum):
    TEXT = "text"
    SPEAKER = "speaker"
    SESSION = "session"
    REPLY_TO = "reply_to"
    CORRELATION = "correlation"
    LANG = "lang"


@dataclass(frozen=True)
class ReplyTo:
    """Where a request's answer (or error) goes and what it echoes."""

    topic: str
    #: The request's ``correlation`` (else its MQTT 5 correlation data, when that is text), echoed in the JSON.
    correlation: Correlation | None = None
    #: MQTT 5 correlation data, echoed as the answer's property.
    correlation_data: bytes | None = None


@dataclass(frozen=True)
class HubRequest:
    """A request that passed every check: its speaker belongs to the topic's home."""

    text: str
    speaker_id: str
    session_id: str
    lang: str | None


def default_reply(topic: str, correlation_data: bytes | None) -> ReplyTo:
    """The home's answer topic, echoing an MQTT 5 request's correlation data."""
    try:
        text = correlation_data.decode() if correlation_data is not None else None
    except UnicodeDecodeError:
        text = None  # binary correlation data still travels back as the property
    return ReplyTo(topic, text, correlation_data)


def reply_on(reply: ReplyTo, topic: str, home: Home, homes: Iterable[Home]) -> ReplyTo:
    """``reply`` moved to ``topic``; INVALID_ARGUMENT for a topic no reply may go to."""
    return replace(reply, topic=check_reply_topic(topic, home, homes))


def read_fields(payload: bytes, max_bytes: int) -> dict[str, Any]:
    """The payload's JSON object; INVALID_ARGUMENT for one too large, not JSON, or with unknown fields."""
    if len(payload) > max_bytes:
        raise invalid_argument(f"request is {len(payload)} bytes; the limit is {max_bytes}")
    try:
        fields = json.loads(payload)
    except ValueError as err:  # UnicodeDecodeError included
        raise invalid_argument(f"request is not JSON: {err}") from err
    if not isinstance(fields, dict):
        raise invalid_argument(f"request must be a JSON object, not {type(fields).__name__}")
    unknown = sorted(set(fields) - set(RequestField))
    if unknown:
        raise invalid_argument(
            f"unknown field {quoted(unknown[0])}; a request has {', '.join(RequestField)}"
        )
    return fields


def with_correlation(reply: ReplyTo, fields: Mapping[str, Any]) -> ReplyTo:
    """``reply`` echoing the payload's ``correlation``, when it has one."""
    correlation = fields.get(RequestField.CORRELATION)
    if correlation is None:
        return reply
    if isinstance(correlation, bool) or not isinstance(correlation, str | int):
        raise invalid_argument("correlation must be a string or an integer")
    if isinstance(correlation, str):
        parse_id(RequestField.CORRELATION, correlation)
    return replace(reply, correlation=correlation)


def with_reply_to(reply: ReplyTo, fields: Mapping[str, Any], home: Home, homes: Iterable[Home]) -> ReplyTo:
    """``reply`` moved to the payload's ``reply_to``, when it has one."""
    topic = _string(fields, RequestField.REPLY_TO)
    return reply if topic is None else reply_on(reply, topic, home, homes)


def parse_request(fields: Mapping[str, Any], home: Home) -> HubRequest:
    """The checked request; INVALID_ARGUMENT for a bad field, NOT_FOUND for a speaker not of ``home``."""
    text = _string(fields, RequestField.TEXT) or ""
    if not text.strip():
        raise invalid_argument("text is empty: say what you want the assistant to do")
    speaker = _string(fields, RequestField.SPEAKER)
    if speaker is None:
        if not home.speakers:
            raise LingxiError(ErrorCode.NOT_FOUND, f"home {home.id} has no speaking device to answer as")
        speaker = next(iter(home.speakers))
    elif parse_id(RequestField.SPEAKER, speaker) not in home.speakers:
        raise LingxiError(ErrorCode.NOT_FOUND, f"home {home.id} has no speaking device {quoted(speaker)}")
    session = _string(fields, RequestField.SESSION) or ""
    return HubRequest(text, speaker, parse_id(RequestField.SESSION, session), parse_lang(_string(fields, RequestField.LANG) or ""))


def _string(fields: Mapping[str, Any], name: RequestField) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid_argument(f"{name} must be a string, not {type(value).__name__}")
    return value

