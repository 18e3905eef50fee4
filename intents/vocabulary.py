"""The home's words: rooms, devices, device types and scenes, matched tolerantly.

Rules need to find "客厅的灯", "living room light", "卧室等" (ASR for 卧室灯) or
"把living room的灯打开" in an utterance and turn them into ids. ``HomeVocabulary`` is
built once per home (and again when the bridge discovers devices) and precomputes
everything the per-utterance path needs:

* a character trie of every surface form, for longest-match scanning (English forms
  match on word boundaries and take a plural ``s``);
* derived surfaces: every device alias prefixed by its room's names ("客厅" + "灯带",
  "living room" + "tv"), and "room + type word" aliases re-spelt with the room's other
  names in both languages ("客厅灯" → "living room灯", "lounge灯"), so mixed-language
  speech finds the same device;
* the pinyin (tone-less, heteronyms kept, common southern-accent confusions folded:
  zh/z ch/c sh/s n/l -ng/-n) of every Chinese surface of two or more characters, so ASR
  homophones (空掉 → 空调, 客厅的等 → 客厅灯) still match.

``的`` is transparent: it is skipped in the text and in the surfaces, so "客厅的灯"
matches the alias 客厅灯. A generic word that is also one device's alias ("空调",
"窗帘") names the *type* when the home has several devices of that type — the device
skill then picks the one in the speaker's room, or asks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin

from domain.devices import DeviceInfo
from domain.home import Home, Names
from intents.normalize import is_cjk

_LOGGER = logging.getLogger(__name__)

#: Words for device types (both languages). Plural ``s`` is handled by the matcher.
TYPE_WORDS: Mapping[str, tuple[str, ...]] = {
    "light": ("灯", "灯光", "电灯", "灯泡", "light", "lamp", "lighting"),
    "climate": ("空调", "冷气", "暖气", "ac", "air conditioner", "air conditioning", "aircon", "climate", "heating"),
    "cover": ("窗帘", "帘子", "百叶窗", "卷帘", "curtain", "blind", "shade", "drape"),
    "media_player": ("电视", "电视机", "tv", "television", "telly"),
    "fan": ("净化器", "空气净化器", "风扇", "purifier", "air purifier", "fan"),
    "vacuum": ("扫地机", "扫地机器人", "扫地的", "vacuum", "robot vacuum", "vacuum cleaner", "robot", "hoover"),
    "water_heater": ("热水器", "water heater", "boiler", "hot water"),
    "lock": ("门锁", "门", "智能锁", "door", "door lock"),
    "camera": ("摄像头", "摄像机", "监控", "camera", "cam"),
    "switch": ("插座", "插头", "开关", "plug", "socket", "outlet", "smart plug"),
    "sensor": ("传感器", "温度计", "温湿度计", "sensor", "thermometer"),
}

#: Phrases that contain a type word but name no device ("fan speed", 电视剧): matched so the
#: type word inside them is not, then ignored (kind ``word``).
BLOCKED_PHRASES = ("fan speed", "fan mode", "fan only", "电视剧", "电视节目", "门铃", "灯谜", "tv show", "tv series")

#: How else a scene called "... mode" is said.
_SCENE_WORD_VARIANTS = ((" mode", " scene"), (" mode", " setting"), ("模式", "场景"))

_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))


@dataclass(frozen=True)
class Target:
    """What a surface form names: ``kind`` is ``device``, ``room``, ``type`` or ``scene``.

    For a device whose name is just "room + type word" (客厅灯, bedroom light),
    ``composite`` holds ``(room, type)`` so an ``all`` scope can widen it to the room.
    """

    kind: str
    id: str
    composite: tuple[str, str] | None = None


@dataclass(frozen=True)
class Mention:
    """A target found in a text: span in the text given to :meth:`HomeVocabulary.find`."""

    target: Target
    start: int
    end: int
    surface: str
    fuzzy: bool = False

    @property
    def kind(self) -> str:
        return self.target.kind

    @property
    def id(self) -> str:
        return self.target.id


def _fold(syllable: str) -> str:
    for full, short in _FUZZY_INITIALS:
        if syllable.startswith(full):
            syllable = short + syllable[len(full):]
            break
    return syllable[:-1] if syllable.endswith("ng") else syllable


@lru_cache(maxsize=8192)
def char_syllables(char: str) -> frozenset[str]:
    """Folded, tone-less readings of one Chinese character (all heteronyms)."""
    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(_fold(r) for r in (readings[0] if readings else ()) if r)


@lru_cache(maxsize=8192)
def primary_syllable(char: str) -> str:
    """The folded reading of ``char`` as it is most often said (rare readings make false homophones:
    有 can be read wei, as 机 can, yet 电视有 is not a slip of 电视机)."""
    readings = pinyin(char, style=Style.NORMAL, heteronym=False, errors="ignore")
    return _fold(readings[0][0]) if readings and readings[0] else ""


def _is_ascii_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


def _strip_de(text: str) -> tuple[str, list[int]]:
    """``text`` without 的, and the index in ``text`` of every kept character."""
    kept, index = [], []
    for i, ch in enumerate(text):
        if ch != "的":
            kept.append(ch)
            index.append(i)
    return "".join(kept), index


class HomeVocabulary:
    """Names of one home's rooms, devices, device types and scenes, ready for matching."""

    def __init__(self, home: Home, devices: Mapping[str, DeviceInfo], surfaces: Mapping[str, Target]):
        self.home = home
        self.devices = devices
        self.surfaces = surfaces
        self._trie: dict = {}
        for surface, target in surfaces.items():
            node = self._trie
            for ch in surface:
                node = node.setdefault(ch, {})
            node["\0"] = target
        self._pinyin: dict[str, list[tuple[tuple[frozenset[str], ...], str, Target]]] = {}
        for surface, target in surfaces.items():
            if len(surface) >= 2 and all(is_cjk(c) for c in surface):
                sets = tuple(char_syllables(c) for c in surface)
                for first in sets[0]:
                    self._pinyin.setdefault(first, []).append((sets, surface, target))
        for bucket in self._pinyin.values():
            bucket.sort(key=lambda item: -len(item[1]))

    # ---- building -------------------------------------------------------------------
    @classmethod
    def build(cls, home: Home, devices: Iterable[DeviceInfo]) -> HomeVocabulary:
        """Vocabulary of ``home`` for the ``devices`` the bridge knows (names: home file, then DeviceInfo)."""
        infos = {d.id: d for d in devices}
        surfaces: dict[str, Target] = {}
        type_counts: dict[str, int] = {}
        for info in infos.values():
            type_counts[info.type] = type_counts.get(info.type, 0) + 1

        def add(surface: str, target: Target, override: bool = False) -> None:
            key = surface.replace("的", "").strip().lower()
            if key and (override or key not in surfaces):
                surfaces[key] = target

        room_names = {rid: room.names.all() for rid, room in home.rooms.items()}
        type_surface = {w.replace("的", ""): t for t, words in TYPE_WORDS.items() for w in words}
        # Order matters: later kinds do not override earlier ones except where said.
        for rid, names in room_names.items():
            for name in names:
                add(name, Target("room", rid))
        for sid, scene in home.scenes.items():
            for name in scene.names.all():
                add(name, Target("scene", sid))
                for said in _SCENE_WORD_VARIANTS:  # "movie mode" is also "the movie scene", 观影模式 观影场景
                    if name.endswith(said[0]):
                        add(name.removesuffix(said[0]) + said[1], Target("scene", sid))
        for phrase in BLOCKED_PHRASES:
            add(phrase, Target("word", phrase))
        for word, dtype in type_surface.items():
            add(word, Target("type", dtype))
        for info in infos.values():
            names = _device_names(home, info)
            own_rooms = room_names.get(info.room, ())
            for alias in names:
                alias_key = alias.replace("的", "").lower()
                composite = _composite(alias_key, own_rooms, type_surface, info.type)
                target = Target("device", info.id, (info.room, info.type) if composite else None)
                singular = alias_key.removesuffix("s")
                generic = info.type in (type_surface.get(alias_key), type_surface.get(singular)) and (
                    type_counts.get(info.type, 0) > 1
                )
                if not generic:
                    add(alias_key, target, override=True)
                rest = composite[1] if composite else alias_key
                glue = " " if _is_ascii_letter(rest[0]) else ""
                for room_name in own_rooms:
                    sep = " " if _is_ascii_letter(room_name[-1]) and glue else ""
                    add(room_name.lower() + sep + rest, target)
        for head, device_id in _head_nouns(infos, home, type_surface, room_names).items():
            add(head, Target("device", device_id))
        _LOGGER.debug("vocabulary of %s: %d surfaces", home.id, len(surfaces))
        return cls(home, infos, surfaces)

    # ---- lookups --------------------------------------------------------------------
    def device_room(self, device_id: str) -> str | None:
        info = self.devices.get(device_id)
        return info.room if info else None

    def device_type(self, device_id: str) -> str | None:
        info = self.devices.get(device_id)
        return info.type if info else None

    def type_of(self, device_id: str) -> str:
        """Type of a device this vocabulary matched: a mention names only devices it was built with."""
        return self.devices[device_id].type

    def devices_of(self, device_type: str, room: str | None = None) -> list[str]:
        """Ids of devices of ``device_type`` (in ``room`` when given)."""
        return [d.id for d in self.devices.values() if d.type == device_type and (room is None or d.room == room)]

    # ---- matching -------------------------------------------------------------------
    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions in ``text``, left to right, longest first at each place."""
        stripped, index = _strip_de(text)
        syllables = [char_syllables(c) if is_cjk(c) else frozenset() for c in stripped]
        mentions: list[Mention] = []
        i, n = 0, len(stripped)
        while i < n:
            best = self._exact_at(stripped, i)
            # the 点 of "六点" is a clock or an amount, never a slip of 电 ("明早六点热水器" is not 电热水器)
            after_number = i > 0 and stripped[i] == "点" and stripped[i - 1] in _NUMERALS
            fuzzy = None if after_number else self._pinyin_at(stripped, syllables, i)
            if fuzzy is not None and (best is None or fuzzy[0] > best[0]):
                best = (fuzzy[0], fuzzy[1], True)
            if best is None:
                i += 1
                continue
            end, target, is_fuzzy = best
            start_o, end_o = index[i], index[end - 1] + 1
            if target.kind != "word":
                mentions.append(Mention(target, start_o, end_o, text[start_o:end_o], is_fuzzy))
            i = end
        return mentions

    def _exact_at(self, text: str, i: int) -> tuple[int, Target, bool] | None:
        if _is_ascii_letter(text[i]) and i > 0 and _is_ascii_letter(text[i - 1]):
            return None
        node, best, j = self._trie, None, i
        while j < len(text):
            child = node.get(text[j])
            if child is None:
                break
            node = child
            j += 1
            target = node.get("\0")
            if target is not None:
                end = j
                if _is_ascii_letter(text[j - 1]):
                    if text[j:j + 1] == "s" and not _is_ascii_letter(text[j + 1:j + 2]):
                        end = j + 1
                    elif j < len(text) and _is_ascii_letter(text[j]):
                        continue
                best = (end, target, False)
        return best

    def _pinyin_at(self, text: str, syllables: list[frozenset[str]], i: int) -> tuple[int, Target] | None:
        first = syllables[i]
        if not first:
            return None
        found: list[tuple[int, int, Target]] = []
        for reading in first:
            for sets, _surface, target in self._pinyin.get(reading, ()):
                size = len(sets)
                if i + size > len(text):
                    continue
                # at least one character must be the surface's own: two-character homophones of
                # unrelated words (成制 ~ 帘子 through rare readings) are not slips of the name
                # and a verb is not a slip of a name: "把灯关了" is 灯 + 关, not 灯光
                if all(sets[k] & syllables[i + k] for k in range(size)) and any(
                    text[i + k] == _surface[k] for k in range(size)
                ) and not any(text[i + k] != _surface[k] and (text[i + k] in _VERB_CHARS or not _usual(text[i + k], sets[k]))
                              for k in range(size)):
                    # 太灯 sounds like 台灯 as usually said, and like 大灯 only through a rare reading of 大
                    alike = sum(primary_syllable(text[i + k]) == primary_syllable(_surface[k]) for k in range(size))
                    found.append((size, alike, target))
        if not found:
            return None
        size, _, target = max(found, key=lambda f: (f[0], f[1]))
        return i + size, target


def _usual(char: str, readings: frozenset[str]) -> bool:
    """Whether ``char`` as usually said sounds like one of ``readings``."""
    return primary_syllable(char) in readings


_NUMERALS = frozenset("零〇一二两三四五六七八九十0123456789")

#: One-character command verbs (on, off, stop) that pinyin-tolerant matching must not read as part of a name.
_VERB_CHARS = frozenset("开关灭停")


def _device_names(home: Home, info: DeviceInfo) -> tuple[str, ...]:
    """Names from the home file when it lists the device, then the bridge's own names."""
    home_device = home.devices.get(info.id)
    names: Names = home_device.names if home_device is not None else Names()
    seen: dict[str, None] = {}
    for name in (*names.all(), *info.names.all()):
        seen.setdefault(name, None)
    for called, also in NAME_ALIASES:  # "the big light" is the main light, "fairy lights" the light strip
        if called & set(seen):
            for alias in also:
                seen.setdefault(alias, None)
    return tuple(seen)


#: Everyday names for a device called one of the first set (British and spoken English).
NAME_ALIASES: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (frozenset({"main light", "ceiling light"}), ("big light", "overhead light", "top light")),
    (frozenset({"light strip", "led strip"}), ("fairy light", "string light", "led light", "strip light")),
)


def _composite(alias: str, room_names: Iterable[str], type_surface: Mapping[str, str],
               device_type: str) -> tuple[str, str] | None:
    """``(room name, type word)`` when ``alias`` is exactly a room name plus a word for the device's type."""
    for room_name in room_names:
        room_name = room_name.lower()
        if alias.startswith(room_name):
            rest = alias[len(room_name):].strip()
            if rest and type_surface.get(rest) == device_type:
                return room_name, rest
    return None



#: English words that never name one device on their own (verbs, parts of room names).
_NOT_HEADS = frozenset({"lock", "door", "room", "light", "lamp", "machine", "mode"})


def _head_nouns(infos: Mapping[str, DeviceInfo], home: Home, type_surface: Mapping[str, str],
                room_names: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Last words of English multi-word names that name one device only ("light strip" → "strip")."""
    owners: dict[str, set[str]] = {}
    for info in infos.values():
        for alias in _device_names(home, info):
            words = alias.lower().split()
            if len(words) >= 2 and words[-1].isascii():
                owners.setdefault(words[-1], set()).add(info.id)
    taken = {n.lower() for names in room_names.values() for n in names} | set(type_surface)
    return {w: next(iter(ids)) for w, ids in owners.items()
            if len(ids) == 1 and w not in taken and w not in _NOT_HEADS}
