"""Value codecs: conversions between a device's payload values and Lingxi's vocabulary.

A codec converts between the device's unit (brightness 0-254, mireds, ``LOCK``...) and
Lingxi's attribute vocabulary, in both directions, because the bridge encodes commands and
decodes state while devices do the reverse. Where a value sits in a payload is the business
of :mod:`iot_bridge.templates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from iot_bridge.payloads import finite
from iot_bridge.templates import MISSING

#: The longest text value kept from a state (a status word, a mode): longer text is no device's value.
MAX_TEXT_VALUE = 64

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


# --- value codecs ----------------------------------------------------------------------


class Codec(Protocol):
    """Converts one attribute between Lingxi's vocabulary and the device's payload values."""

    def encode(self, value: Any) -> Any: ...

    def decode(self, raw: Any) -> Any:  # MISSING when ``raw`` is not a value of this attribute
        ...


def as_number(value: Any) -> int | float:
    """A number as Lingxi reports it: an int when it is whole. ValueError for NaN, inf or absurd sizes."""
    number = finite(value)
    if number is None:
        raise ValueError(f"not a finite number: {str(value)[:32]!r}")
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
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, (int, float)):
                return as_number(raw) if finite(raw) is not None else MISSING
            text = str(raw)
            return text if len(text) <= MAX_TEXT_VALUE else MISSING
        number = finite(raw)
        return MISSING if number is None else as_number(number)


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


def _whole(value: float) -> Any:
    """``value`` rounded to an int, or MISSING when a device's odd range made it absurd."""
    return int(round(value)) if finite(value) is not None else MISSING


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
        number = finite(raw)
        if number is None:
            return MISSING
        span = (self.device_high - self.device_low) or 1
        return _whole(self.low + (number - self.device_low) * (self.high - self.low) / span)


@dataclass(frozen=True)
class Mireds:
    """Colour temperature: Lingxi speaks kelvin, many devices mireds (1e6 / K)."""

    def encode(self, value: Any) -> Any:
        return int(round(1_000_000 / float(value)))

    def decode(self, raw: Any) -> Any:
        number = finite(raw)
        return _whole(1_000_000 / number) if number is not None and number > 0 else MISSING


@dataclass(frozen=True)
class Levels:
    """Named speeds on a numeric device scale (HA fans speak percentages/speed ranges)."""

    pairs: tuple[tuple[str, int], ...]

    def encode(self, value: Any) -> Any:
        return dict(self.pairs)[str(value)]

    def decode(self, raw: Any) -> Any:
        number = finite(raw)
        if number is None or number <= 0:
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
        if isinstance(raw, dict):
            parts = [finite(raw.get(key)) for key in ("r", "g", "b")]
        else:
            parts = [finite(p) for p in str(raw).split(",", 3)]
        if len(parts) != 3 or any(p is None or p < 0 for p in parts):
            return MISSING
        r, g, b = (float(p or 0) for p in parts)
        return nearest_colour((r, g, b))


def nearest_colour(rgb: tuple[float, float, float]) -> str:
    """The named colour closest to ``rgb`` (scaled to full brightness first)."""
    top = max(rgb) or 1.0
    scaled = tuple(c * 255.0 / top for c in rgb)
    return min(COLOURS, key=lambda name: sum((a - b) ** 2 for a, b in zip(COLOURS[name], scaled)))
