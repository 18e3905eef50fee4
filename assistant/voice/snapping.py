"""Snap a misrecognised command to the closest command the home can carry out.

Recognition errors are the rule (whisper base hears "大开我序的灯" for 打开卧室的灯, "turn on
the bad room light" for the bedroom light). :class:`CommandGrammar` lists the commands a home
understands — on/off/open/close for every name of every device, settings for every value in a
device's range, scenes — and :meth:`CommandGrammar.snap` finds the one nearest a transcript:
Mandarin at the level of pinyin syllables (a syllable whose initial or final matches costs half),
English at the level of letters (vowel for vowel costs half). A transcript is replaced only when
the nearest command is close enough; otherwise the understanding layer gets it as heard.

All candidates are scored at once: one edit-distance table per transcript position, vectorised
over candidates with numpy (a few milliseconds for a few thousand candidates).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import cn2an
import numpy as np
from pypinyin import Style, lazy_pinyin

from domain.home import Device, Home

#: Accept a candidate when its distance per unit is at most this (zh: syllables, en: letters).
THRESHOLDS = {"zh": 0.34, "en": 0.25}

#: A nearest command in this band (distance per unit) is worth a second look: decode again with a
#: beam and snap its best readings. Mandarin only: whisper base's Mandarin slips are whole
#: syllables that the beam's other readings often get right, while its English slips are near
#: misses that the snap already fixes (and English never needed it on the voice tests).
RECONSIDER = {"zh": (0.2, 0.5)}

#: Words that join two commands: an utterance with one is several commands, never snapped into one.
_JOINERS = {"zh": ("和", "然后", "并且", "同时", "再"), "en": (" and ", " then ", " also ")}

_FOLD = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_VOWELS = frozenset("aeiouy")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Snap:
    text: str
    distance: float  # per unit of the candidate


def _each_char(chars: str) -> list[str]:
    return list(chars)


def _syllables(text: str) -> list[tuple[str, str]]:
    """(initial, final) per character, folded the way southern accents and whisper confuse them."""
    text = _DIGITS.sub(lambda m: cn2an.an2cn(m.group()), text.replace("的", ""))
    units = []
    # pypinyin accepts a list from an errors callback (one reading per character: the zip stays aligned),
    # but its stub allows only a str
    readings = lazy_pinyin(text, style=Style.NORMAL, errors=_each_char)  # type: ignore[arg-type]
    for char, full in zip(text, readings, strict=False):
        if not ("\u4e00" <= char <= "\u9fff"):
            if char.isalnum():
                units.append(("?", char.lower()))
            continue
        initial = lazy_pinyin(char, style=Style.INITIALS, strict=False)[0]
        final = full[len(initial):]
        for a, b in _FOLD:
            initial = b if initial == a else initial
        units.append((initial, final.removesuffix("g") if final.endswith("ng") else final))
    return units


def _letters(text: str) -> list[tuple[str, str]]:
    """Letters and digits; the second field is the vowel class, so vowels half-match each other."""
    return [(c, "v" if c in _VOWELS else c) for c in text.lower() if c.isalnum()]


_UNITS = {"zh": _syllables, "en": _letters}


def _numbers(device: Device, attribute: str, step: int) -> Iterator[int]:
    cap = device.capabilities.get(attribute)
    if cap is None or cap.minimum is None or cap.maximum is None:
        return iter(())
    return iter(range(int(cap.minimum), int(cap.maximum) + 1, step))


def _zh(home: Home) -> Iterator[str]:
    for device in home.devices.values():
        names = device.names.zh
        for name in names:
            if "power" in device.capabilities or "position" in device.capabilities:
                yield from (f"打开{name}", f"关闭{name}", f"关掉{name}")
            for n in _numbers(device, "temperature", 1):
                yield from (f"把{name}调到{cn2an.an2cn(n)}度", f"{name}调到{cn2an.an2cn(n)}度")
            for n in _numbers(device, "volume", 5):
                yield from (f"把{name}声音调到{cn2an.an2cn(n)}", f"把{name}音量调到{cn2an.an2cn(n)}")
            for n in _numbers(device, "brightness", 10):
                yield f"把{name}亮度调到{cn2an.an2cn(n)}"
    for scene in home.scenes.values():
        for name in scene.names.zh:
            yield from (f"打开{name}", name)


def _en(home: Home) -> Iterator[str]:
    for device in home.devices.values():
        for name in device.names.en:
            if "power" in device.capabilities:
                yield from (f"turn on the {name}", f"turn off the {name}", f"switch on the {name}", f"switch off the {name}")
            if "position" in device.capabilities:
                yield from (f"open the {name}", f"close the {name}")
            if device.type == "vacuum":
                yield from (f"start the {name}", f"stop the {name}")
            for n in _numbers(device, "temperature", 1):
                yield from (f"set the {name} to {n} degrees", f"set the {name} temperature to {n}")
            for n in _numbers(device, "volume", 5):
                yield f"set the {name} volume to {n}"
            for n in _numbers(device, "brightness", 10):
                yield f"set the {name} brightness to {n}"
    for scene in home.scenes.values():
        for name in scene.names.en:
            yield from (f"activate {name}", f"turn on {name}", name)


class CommandGrammar:
    """Every command of one home in one language, encoded for vectorised edit distance."""

    def __init__(self, lang: str, candidates: list[str], rooms: tuple[str, ...] = ()) -> None:
        self.lang = lang
        self.candidates = list(dict.fromkeys(candidates))
        #: Room names heard exactly are kept: "打开客厅, 卧室" must not become "打开客厅电视".
        self._rooms = {room: np.array([room in c.lower() for c in self.candidates]) for room in rooms}
        units = [_UNITS[lang](c) for c in self.candidates]
        self._lengths = np.array([len(u) for u in units])
        width = int(self._lengths.max(initial=1))
        vocab: dict[str, int] = {}
        self._a = np.full((len(units), width), -1, np.int32)
        self._b = np.full((len(units), width), -1, np.int32)
        for row, seq in enumerate(units):
            for col, (a, b) in enumerate(seq):
                self._a[row, col] = vocab.setdefault("a" + a, len(vocab))
                self._b[row, col] = vocab.setdefault("b" + b, len(vocab))
        self._vocab = vocab

    @classmethod
    def build(cls, home: Home, lang: str) -> CommandGrammar:
        rooms = tuple(n.lower() for room in home.rooms.values() for n in (room.names.zh if lang == "zh" else room.names.en))
        return cls(lang, list(_zh(home) if lang == "zh" else _en(home)), rooms)

    def distances(self, text: str) -> np.ndarray:
        """Edit distance from ``text`` to every candidate, divided by the candidate's length."""
        units = _UNITS[self.lang](text)
        n, width = len(self.candidates), self._a.shape[1]
        cols = np.arange(width + 1, dtype=np.float32)
        prev = np.tile(cols, (n, 1))
        for i, (a, b) in enumerate(units, 1):
            ia, ib = self._vocab.get("a" + a, -2), self._vocab.get("b" + b, -2)
            sub = 0.5 * (self._a != ia) + 0.5 * (self._b != ib)
            diag = prev[:, :-1] + sub
            up = prev[:, 1:] + 1.0
            cur = np.empty_like(prev)
            cur[:, 0] = i
            best = np.minimum(diag, up)
            for j in range(width):
                cur[:, j + 1] = np.minimum(best[:, j], cur[:, j] + 1.0)
            prev = cur
        total = prev[np.arange(n), self._lengths]
        return total / np.maximum(self._lengths, 1)

    def nearest(self, text: str) -> Snap | None:
        """The nearest candidate however far; ``None`` for no text or several commands."""
        if not text.strip() or not self.candidates or any(j in f" {text.lower()} " for j in _JOINERS[self.lang]):
            return None
        scores = self.distances(text)
        lowered = text.lower()
        for room, has in self._rooms.items():
            if room in lowered:
                scores = np.where(has, scores, np.inf)
        best = int(np.argmin(scores))
        if not np.isfinite(scores[best]):
            return None
        return Snap(self.candidates[best], float(scores[best]))

    def snap(self, text: str) -> Snap | None:
        """The nearest candidate when it is close enough, else ``None``."""
        near = self.nearest(text)
        return near if near is not None and near.distance <= THRESHOLDS[self.lang] else None
