"""Bounded reading of what devices send: size, JSON nesting depth and the numbers inside.

Anything on the broker can publish to a state or discovery topic, so a payload is read as
hostile: a 100 k-deep array must not reach the JSON parser's recursion, ``NaN`` or ``1e308``
must not become a brightness, and a megabyte of state must not be parsed once per channel.
Real devices send a few hundred bytes, a few levels deep, with ordinary numbers.
"""

from __future__ import annotations

import json
import math
from typing import Any

from domain.errors import PayloadError

#: The largest state or discovery payload the bridge reads (real ones are well under 4 KB).
MAX_PAYLOAD_BYTES = 64 * 1024
#: The deepest JSON nesting the bridge reads (HA payloads are two or three levels deep).
MAX_JSON_DEPTH = 32
#: Numbers beyond this are no device's reading; they are refused rather than clamped.
MAX_MAGNITUDE = 1e12


def _number(text: str, value: float) -> float:
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise PayloadError(f"number out of range: {text[:32]}")
    return value


def _parse_float(text: str) -> float:
    return _number(text, float(text))


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 15:  # before int(): a 5,000-digit literal costs time (and Python refuses it)
        raise PayloadError(f"number out of range: {text[:32]}")
    return int(text)


def _parse_constant(text: str) -> float:
    raise PayloadError(f"non-finite number {text}")


def check_size(payload: bytes | str, limit: int = MAX_PAYLOAD_BYTES) -> None:
    if len(payload) > limit:
        raise PayloadError(f"payload of {len(payload)} bytes is over the {limit}-byte limit")


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than :data:`MAX_JSON_DEPTH` (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise PayloadError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        elif ch in "]}":
            depth -= 1


def load_json(payload: bytes | str, size_limit: int = MAX_PAYLOAD_BYTES) -> Any:
    """Parse a device's JSON payload within the bounds; :class:`PayloadError` for anything else."""
    check_size(payload, size_limit)
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    _check_depth(text)
    try:
        return json.loads(text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_parse_constant)
    except PayloadError:
        raise
    except ValueError as err:
        raise PayloadError(f"not JSON: {err}") from err


def finite(raw: Any) -> float | None:
    """``raw`` as a float when it is an ordinary number (or its text), else None."""
    if isinstance(raw, bool):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE else None
