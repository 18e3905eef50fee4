"""The frame: what one clause asks for, in the rules' own form, and the text helpers that read it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from intents.vocabulary import Mention

MASK = "#"


@dataclass(frozen=True)
class Frame:
    """What one clause asks for. ``action`` is a catalog intent name."""

    action: str
    text: str
    devices: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    scope: str | None = None
    attribute: str | None = None
    value: object = None
    unit: str | None = None
    direction: str | None = None
    amount: int | float | None = None
    scene: str | None = None
    fuzzy: bool = False
    power_first: bool = False  # "打开空调调到26度": turn on before setting
    extra: dict = field(default_factory=dict)

    @property
    def has_target(self) -> bool:
        return bool(self.devices or self.types or self.rooms)

    def with_targets(self, other: Frame) -> Frame:
        return replace(self, devices=other.devices, types=other.types, rooms=self.rooms or other.rooms,
                       scope=self.scope or other.scope)


def mask(text: str, mentions: list[Mention], kinds: tuple[str, ...]) -> str:
    chars = list(text)
    for m in mentions:
        if m.kind in kinds:
            chars[m.start:m.end] = MASK * (m.end - m.start)
    return "".join(chars)


def first(patterns, text: str):
    for item in patterns:
        if item[-1].search(text):
            return item
    return None


def earliest(text: str, *patterns) -> int | None:
    """Index of the pattern that matches earliest in ``text`` (None when none does)."""
    best, best_pos = None, len(text) + 1
    for i, pattern in enumerate(patterns):
        m = pattern.search(text)
        if m and m.start() < best_pos:
            best, best_pos = i, m.start()
    return best


def dedupe(items) -> tuple:
    return tuple(dict.fromkeys(items))


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]
