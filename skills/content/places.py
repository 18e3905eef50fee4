"""Which player a request is for, and whether the listener is a child.

Players are the home's speakers and its media players (TVs). A request plays on the speaking
device unless it names a player ("在电视上", "on the TV") or a room ("in the bedroom": that
room's speaker, or its TV for video); video from a speaker goes to the TV in its room if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_KIDS_WORDS = ("kids", "儿童", "孩子", "children", "child")


@dataclass(frozen=True)
class Target:
    """A player: its device id, what to call it ("" for the speaking device itself)."""

    device: str
    spoken: str


def _names(names: Any) -> tuple[str, ...]:
    return tuple(n for n in names.all() if n)


def place_names(home: Any) -> tuple[str, ...]:
    """Every spoken name of a room or player of the home, longest first (so 客厅电视 beats 客厅)."""
    found = {n for room in home.rooms.values() for n in _names(room.names)}
    found |= {n for sp in home.speakers.values() for n in _names(sp.names)}
    found |= {n for d in home.devices.values() if d.type == "media_player" for n in _names(d.names)}
    return tuple(sorted(found, key=len, reverse=True))


def _said(name: str, text: str) -> bool:
    if name.isascii():
        return re.search(rf"(?<![a-z]){re.escape(name.lower())}(?![a-z])", text) is not None
    return name in text


def _room_player(home: Any, room: str, video: bool) -> str | None:
    screens = [d.id for d in home.devices.values() if d.type == "media_player" and d.room == room]
    speakers = [s.id for s in home.speakers.values() if s.room == room]
    preferred = screens + speakers if video else speakers + screens
    return preferred[0] if preferred else None


def named_target(home: Any, text: str, video: bool, lang: str) -> Target | None:
    """The player the words name, if they name one."""
    lowered = text.lower()
    for name in place_names(home):
        if not _said(name, lowered):
            continue
        for speaker in home.speakers.values():
            if name in _names(speaker.names):
                return Target(speaker.id, speaker.names.first(lang))
        for device in home.devices.values():
            if device.type == "media_player" and name in _names(device.names):
                return Target(device.id, device.names.first(lang))
        for room in home.rooms.values():
            if name in _names(room.names):
                player = _room_player(home, room.id, video)
                if player:
                    spoken = (home.speakers.get(player) or home.devices[player]).names.first(lang)
                    return Target(player, spoken)
    return None


def default_target(home: Any, speaker_id: str, speaker_room: str, video: bool, lang: str) -> Target:
    """The speaking device, or for video the screen in its room."""
    if video:
        screen = next((d for d in home.devices.values() if d.type == "media_player" and d.room == speaker_room), None)
        if screen:
            return Target(screen.id, screen.names.first(lang))
    return Target(speaker_id, "")


def is_kids_room(home: Any, room_id: str) -> bool:
    """A room whose id or names say it is the children's (kids_room, 儿童房)."""
    room = home.rooms.get(room_id)
    words = [room_id.lower(), *(n.lower() for n in (_names(room.names) if room else ()))]
    return any(w in name for name in words for w in _KIDS_WORDS)
