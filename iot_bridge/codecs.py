"""Payload codecs: HA-style templates and the value conversions between a device and Lingxi.

Home Assistant discovery configs describe payloads with Jinja templates. We do not run
Jinja: the templates real hubs publish are overwhelmingly of a few shapes
(``{{ value_json.KEY }}``, ``{{ value_json['KEY'] }}``, ``{"k": {{ value }}}``, with a filter
or two), and a small exact parser that refuses anything else is safer than evaluating
templates that arrive over the network. A value codec converts between the device's unit
(e.g. brightness 0-254, mireds, ``LOCK``) and Lingxi's vocabulary, in both directions,
because the bridge encodes commands and decodes state while the simulator does the reverse.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Protocol

#: Named colours Lingxi understands and the RGB they stand for (and are decoded back from).
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (255, 0, 0),
    "orange": (255, 165, 0),
    "yellow": (255, 255, 0),
    "green": (0, 255, 0),
    "cyan": (0, 255, 255),
    "blue": (0, 0, 255),
    "purple": (128, 0, 128),
    "pink": (255, 192, 203),
    "white": (255, 255, 255),
}


class TemplateError(ValueError):
    """A template outside the supported subset."""


_FILTER = r"\|\s*([a-z_]+)(?:\(\s*([^)]*?)\s*\))?\s*"
_FILTER_RE = re.compile(_FILTER)
_VALUE_RE = re.compile(
    r"^\{\{\s*(value_json((?:\s*\.\s*[A-Za-z_]\w*|\s*\[\s*(?:'[^']*'|\"[^\"]*\"|\d+)\s*\])*)|value)\s*"
    r"((?:" + _FILTER + r")*)\}\}$"
)
_PATH_PART_RE = re.compile(r"\.\s*([A-Za-z_]\w*)|\[\s*(?:'([^']*)'|\"([^\"]*)\"|(\d+))\s*\]")
_COMMAND_RE = re.compile(r"\{\{\s*value\s*((?:" + _FILTER + r")*)\}\}")
_FILTERS = frozenset({"int", "float", "round", "lower", "upper", "string", "trim"})


def _parse_filters(text: str) -> tuple[tuple[str, str], ...]:
    filters = tuple((m.group(1), m.group(2) or "") for m in _FILTER_RE.finditer(text))
    for name, _ in filters:
        if name not in _FILTERS:
            raise TemplateError(f"unsupported template filter {name!r}")
    return filters


def _apply_filters(value: Any, filters: tuple[tuple[str, str], ...]) -> Any:
    for name, arg in filters:
        if name == "int":
            value = int(float(value))
        elif name == "float":
            value = float(value)
        elif name == "round":
            value = round(float(value), int(arg or 0))
        elif name == "lower":
            value = str(value).lower()
        elif name == "upper":
            value = str(value).upper()
        elif name == "trim":
            value = str(value).strip()
        elif name == "string":
            value = str(value)
    return value


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: Returned when a payload does not carry the templated value.
MISSING: Any = _Missing()


@dataclass(frozen=True)
class ValueTemplate:
    """Where a value sits in a state payload: a JSON path, or the raw payload (``path`` None)."""

    path: tuple[str | int, ...] | None = None
    filters: tuple[tuple[str, str], ...] = ()

    def extract(self, payload: bytes | str) -> Any:
        """The value in ``payload``, or :data:`MISSING`."""
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if self.path is None:
            value: Any = text
        else:
            try:
                value = json.loads(text)
            except ValueError:
                return MISSING
            for part in self.path:
                if isinstance(part, int) and isinstance(value, list) and part < len(value):
                    value = value[part]
                elif isinstance(value, dict) and str(part) in value:
                    value = value[str(part)]
                else:
                    return MISSING
        try:
            return _apply_filters(value, self.filters)
        except (TypeError, ValueError):
            return MISSING

    def inject(self, document: dict[str, Any], value: Any) -> None:
        """Put ``value`` where :meth:`extract` will find it (used by devices rendering state)."""
        if not self.path:
            raise TemplateError("a raw-payload template has no place in a JSON document")
        target = document
        for part in self.path[:-1]:
            target = target.setdefault(str(part), {})
        target[str(self.path[-1])] = value


def parse_value_template(text: str | None) -> ValueTemplate:
    """Parse ``{{ value_json.a['b'] | float }}`` / ``{{ value }}`` / no template."""
    if text is None or not text.strip():
        return ValueTemplate()
    match = _VALUE_RE.match(text.strip())
    if match is None:
        raise TemplateError(f"unsupported value template {text!r}")
    filters = _parse_filters(match.group(3) or "")
    if match.group(1) == "value":
        return ValueTemplate(None, filters)
    parts: list[str | int] = []
    for part in _PATH_PART_RE.finditer(match.group(2) or ""):
        name, single, double, index = part.groups()
        parts.append(int(index) if index is not None else (name or single or double or ""))
    if not parts:
        raise TemplateError(f"whole-document template {text!r} is not supported")
    return ValueTemplate(tuple(parts), filters)


@dataclass(frozen=True)
class CommandTemplate:
    """``PREFIX{{ value | filters }}SUFFIX``: renders a device value into a payload and back."""

    prefix: str = ""
    suffix: str = ""
    filters: tuple[tuple[str, str], ...] = ()

    def render(self, value: Any) -> str:
        value = _apply_filters(value, self.filters)
        if isinstance(value, bool):
            text = "True" if value else "False"  # what Jinja prints
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        return f"{self.prefix}{text}{self.suffix}"

    def parse(self, payload: str) -> str | None:
        """The value text inside ``payload``, or None when the payload does not fit."""
        if len(payload) < len(self.prefix) + len(self.suffix):
            return None
        if not (payload.startswith(self.prefix) and payload.endswith(self.suffix)):
            return None
        return payload[len(self.prefix): len(payload) - len(self.suffix)]


def parse_command_template(text: str | None) -> CommandTemplate:
    """Parse a command template with exactly one ``{{ value }}`` (or none: the raw value)."""
    if text is None or not text.strip():
        return CommandTemplate()
    matches = list(_COMMAND_RE.finditer(text))
    if len(matches) != 1 or "{%" in text or text.count("{{") != 1:
        raise TemplateError(f"unsupported command template {text!r}")
    match = matches[0]
    return CommandTemplate(text[: match.start()], text[match.end():], _parse_filters(match.group(1) or ""))


# --- value codecs ----------------------------------------------------------------------


class Codec(Protocol):
    """Converts one attribute between Lingxi's vocabulary and the device's payload values."""

    def encode(self, value: Any) -> Any: ...

    def decode(self, raw: Any) -> Any:  # MISSING when ``raw`` is not a value of this attribute
        ...


def as_number(value: Any) -> int | float:
    """A number as Lingxi reports it: an int when it is whole."""
    number = float(value)
    return int(number) if number.is_integer() else round(number, 3)


@dataclass(frozen=True)
class Identity:
    """Passes values through; numbers are normalised, text stays text."""

    numeric: bool = False

    def encode(self, value: Any) -> Any:
        return as_number(value) if self.numeric else value

    def decode(self, raw: Any) -> Any:
        if raw is MISSING or raw is None:
            return MISSING
        if not self.numeric:
            return raw if isinstance(raw, (bool, int, float)) else str(raw)
        try:
            return as_number(raw)
        except (TypeError, ValueError):
            return MISSING


@dataclass(frozen=True)
class Mapped:
    """A fixed table of Lingxi values and device payload values (``ON``/``OFF``, ``LOCK``...)."""

    pairs: tuple[tuple[Any, str], ...]

    def encode(self, value: Any) -> Any:
        for ours, theirs in self.pairs:
            if ours == value and type(ours) is type(value):
                return theirs
        raise ValueError(f"no device value for {value!r}")

    def decode(self, raw: Any) -> Any:
        if isinstance(raw, bool):
            raw = "ON" if raw else "OFF"
        for ours, theirs in self.pairs:
            if str(raw) == theirs:
                return ours
        return MISSING


@dataclass(frozen=True)
class Truth:
    """Power read from a richer state: True when the state is in ``on``, False when not."""

    on: frozenset[str] = frozenset()
    off: frozenset[str] = frozenset()

    def encode(self, value: Any) -> Any:
        raise ValueError("power is not written through this state")

    def decode(self, raw: Any) -> Any:
        if raw is MISSING or raw is None:
            return MISSING
        text = str(raw)
        if self.on:
            return text in self.on
        return text not in self.off


@dataclass(frozen=True)
class Scaled:
    """A linear map between a device range and Lingxi's (brightness 0-254 <-> 0-100, position...)."""

    device_low: float
    device_high: float
    low: float = 0
    high: float = 100

    def encode(self, value: Any) -> Any:
        span = (self.high - self.low) or 1
        raw = self.device_low + (float(value) - self.low) * (self.device_high - self.device_low) / span
        return int(round(raw))

    def decode(self, raw: Any) -> Any:
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return MISSING
        span = (self.device_high - self.device_low) or 1
        return int(round(self.low + (number - self.device_low) * (self.high - self.low) / span))


@dataclass(frozen=True)
class Mireds:
    """Colour temperature: Lingxi speaks kelvin, many devices mireds (1e6 / K)."""

    def encode(self, value: Any) -> Any:
        return int(round(1_000_000 / float(value)))

    def decode(self, raw: Any) -> Any:
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return MISSING
        return int(round(1_000_000 / number)) if number > 0 else MISSING


@dataclass(frozen=True)
class Levels:
    """Named speeds on a numeric device scale (HA fans speak percentages/speed ranges)."""

    pairs: tuple[tuple[str, int], ...]

    def encode(self, value: Any) -> Any:
        return dict(self.pairs)[str(value)]

    def decode(self, raw: Any) -> Any:
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return MISSING
        if number <= 0:
            return MISSING
        return min(self.pairs, key=lambda pair: abs(pair[1] - number))[0]


def level_pairs(names: tuple[str, ...], low: int, high: int) -> tuple[tuple[str, int], ...]:
    """Spread ``names`` evenly over ``low..high`` (the top name always gets ``high``)."""
    count = len(names)
    if count == 1:
        return ((names[0], high),)
    return tuple((name, int(round(low + i * (high - low) / (count - 1)))) for i, name in enumerate(names))


@dataclass(frozen=True)
class RgbColour:
    """Named colours as RGB: a ``{"r","g","b"}`` object (JSON lights) or ``"r,g,b"`` text."""

    as_text: bool = False

    def encode(self, value: Any) -> Any:
        r, g, b = COLOURS[str(value)]
        return f"{r},{g},{b}" if self.as_text else {"r": r, "g": g, "b": b}

    def decode(self, raw: Any) -> Any:
        try:
            if isinstance(raw, dict):
                rgb = (float(raw["r"]), float(raw["g"]), float(raw["b"]))
            else:
                parts = [float(p) for p in str(raw).split(",")]
                if len(parts) != 3:
                    return MISSING
                rgb = (parts[0], parts[1], parts[2])
        except (KeyError, TypeError, ValueError):
            return MISSING
        return nearest_colour(rgb)


def nearest_colour(rgb: tuple[float, float, float]) -> str:
    """The named colour closest to ``rgb`` (scaled to full brightness first)."""
    top = max(rgb) or 1.0
    scaled = tuple(c * 255.0 / top for c in rgb)
    return min(COLOURS, key=lambda name: sum((a - b) ** 2 for a, b in zip(COLOURS[name], scaled)))
