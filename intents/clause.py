"""Reading one clause into a frame: what to do, to what, with which value.

A frame is the rules' intermediate form, before targets are inherited across clauses and
turned into catalog intents (rules.py). Reading order matters and follows the catalog's
semantics (intents.md): queries first; scenes said by name or naturally; the lock (开门
is ``set lock=unlocked``, never turn_on); the vacuum (回去充电 is turn_off); then values
(``set``) before directions (``adjust``) before power words (``turn_on``/``turn_off``), so
"窗帘开一半" is a position, not just "open".
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from intents import lexicon as lx
from intents.clause_values import set_or_adjust
from intents.frame import MASK, Frame, blank, dedupe, earliest, first, mask
from intents.slots.time import REPEAT_WORDS
from intents.spelling import is_known_word
from intents.vocabulary import HomeVocabulary, Mention

_LOGGER = logging.getLogger(__name__)

def read_clause(text: str, lang: str, vocab: HomeVocabulary, follows: bool = False) -> Frame | None:
    """The frame of ``text`` (normalised, one clause), or None when it is not a home command. ``follows``:
    the clause comes after another in one utterance, so a bare "关掉" / "off" acts on that one's device."""
    text = text.strip(" ,")
    if not text:
        return None
    bare = lx.PARTICLES_TAIL.sub("", text) if lang == "zh" else text
    for scene, pattern in lx.SCENE_TRIGGERS:
        if pattern.search(bare):
            return Frame("scene.activate", text, scene=scene, extra={"confidence": 0.9})
    found = vocab.find(text)
    fuzzy = any(m.fuzzy for m in found)
    masked = mask(text, found, ("device", "room", "type"))
    masked_all = mask(text, found, ("device", "room", "type", "scene"))
    excluded = _excluded(text, found, lang)
    mentions = [m for m in found if m not in excluded]
    devices = dedupe(m.id for m in mentions if m.kind == "device")
    rooms = dedupe(m.id for m in mentions if m.kind == "room")
    device_types = {vocab.device_type(d) for d in devices}
    types = dedupe(m.id for m in mentions if m.kind == "type" and m.id not in device_types)
    scenes = dedupe(m.id for m in mentions if m.kind == "scene")
    if excluded and not (devices or types or rooms) and not lx.EVERYTHING.search(text):
        # "除了卧室的灯其他都关了": the others are of the kind named after "except"
        types = dedupe(vocab.device_type(m.id) for m in excluded if m.kind == "device")
    here = lx.HERE[lang].search(masked)
    if here is not None:  # "in here", "这屋": the speaker's room, filled in with the request's context (rules.py)
        masked = blank(masked, here.start(), here.end())
        extra_here = not rooms and not devices
    else:
        extra_here = False
    if not rooms and not devices and not extra_here:
        other_room = lx.OTHER_ROOMS.search(masked)
        other = other_room.group(0).strip() if other_room else _unknown_room(masked, lang, vocab)
        if other:
            rooms = (other,)  # not a room id: the skill says it is not in this home
    repeat = REPEAT_WORDS.search(masked)
    if repeat is not None:  # "every day" says when, not which ("every" is not "all")
        masked = blank(masked, repeat.start(), repeat.end())
    scope = "all" if lx.SCOPE_ALL.search(masked) or excluded else None
    if scope:
        # "所有客厅的灯": a "room + type" device name widens to every device of the type in the room
        for m in mentions:
            composite = m.target.composite
            if m.kind == "device" and composite:
                devices = tuple(d for d in devices if d != m.id)
                rooms = dedupe((*rooms, composite[0]))
                types = dedupe((*types, composite[1]))
    extra: dict[str, object] = {"exclude": dedupe(m.id for m in excluded if m.kind in ("device", "room"))} if excluded else {}
    if extra_here:
        extra["here"] = True
    when = lx.WHEN[lang].search(masked)
    if when is not None:  # a time to do it, not a value of it
        extra["when"] = when.group(0).strip()
        masked = blank(masked, when.start(), when.end())
    if repeat is not None:  # kept with the time, so a turn that completes the command keeps it too
        extra["when"] = f"{repeat.group(0)} {extra.get('when', '')}".strip()
    if lang == "zh":
        masked = _polite(masked)
    base = Frame("", text, devices, types, rooms, scope, fuzzy=fuzzy, extra=extra)
    feeling = _feeling(masked, lang)
    if feeling is not None:
        device_type, attribute, direction = feeling
        return replace(base, action="device.adjust", types=types if (devices or types) else (device_type,),
                       attribute=attribute, direction=direction, extra={**extra, "confidence": 0.85, "feeling": True})
    if base.has_target and lx.MUTE.search(masked):
        return replace(base, action="device.set", attribute="volume", value=0)
    all_types = {*types, *(vocab.device_type(d) for d in devices)}

    asked = lx.PARTICLES_TAIL.sub("", masked.rstrip(" ,")) if lang == "zh" else masked  # "开了没有啊"
    if base.has_target and lx.READING_SAYS.search(masked):  # "what does the thermometer say"
        return replace(base, action="device.query", extra={**base.extra, "says": True})
    if (lx.QUERY_ZH.search(asked) if lang == "zh" else lx.QUERY_EN.search(masked)) or lx.QUERY_BARE.search(bare) or (
            (base.has_target or extra_here or lx.OUTDOORS.search(masked)) and lx.READING_ONLY.match(
                lx.OUTDOORS.sub("#", masked))):
        return _query(base, masked, all_types)
    if lx.STATE_SAID_ZH.search(asked) if lang == "zh" else _state_said_en(masked):
        query = _query(base, masked, all_types)  # "the tv is still on?", "灯一直亮着": asked, or the reason for an order
        return replace(query, extra={**query.extra, "state_said": True}) if query is not None else None
    played = not all_types and (lx.PLAYER_WORDS.search(masked) or (lang == "zh" and lx.EN_CONTROL_IN_ZH.search(masked)))
    if "media_player" in all_types or played:
        control = first(lx.MEDIA_CONTROL, masked)
        off = (lx.OFF_ZH,) if lang == "zh" else (lx.OFF_EN, lx.OFF_EN_SPLIT)
        if control is None and played and any(p.search(masked) for p in off):
            control = ("stop",)  # "把音乐关了", "turn the music off": a speaker has no power of its own to switch
        if control is not None:
            return replace(base, action="media.control", value=control[0], extra={**base.extra, "player": bool(played)})
    if scenes and not devices and not types:
        if lx.SCENE_OFF.search(masked_all):
            return None
        return replace(base, action="scene.activate", scene=scenes[0])
    if not base.has_target and lx.LOCK_UP.search(masked.strip()):
        return replace(base, action="device.set", types=("lock",), attribute="lock", value="locked")
    if not base.has_target and lx.LOCK_IT.search(masked):
        return replace(base, action="device.set", attribute="lock", value="locked")
    step = lx.STEP_OPENING[lang].match(masked.strip())
    if step is not None and not base.has_target:
        return replace(base, action="device.adjust", attribute="position", direction="up" if step.group("on") else "down")
    if "lock" in all_types:
        lock_text = mask(text, [m for m in mentions if m.id not in ("lock", "front_door_lock")],
                          ("device", "room", "type"))
        if lx.UNLOCK.search(lock_text) or lx.LOCK.search(lock_text):
            value = "unlocked" if lx.UNLOCK.search(lock_text) else "locked"
            return replace(base, action="device.set", attribute="lock", value=value)
    if "media_player" in all_types and lx.WATCH_TV.search(masked):
        return replace(base, action="device.turn_on")  # "我想看会儿电视": the TV on
    if "vacuum" in all_types:
        if lx.VACUUM_OFF.search(masked) or (lang == "en" and lx.OFF_EN.search(masked)):
            return replace(base, action="device.turn_off")
        if lx.VACUUM_ON.search(masked) and not lx.OFF_ZH.search(masked):
            return replace(base, action="device.turn_on")
    frame = set_or_adjust(base, masked, lang, all_types)
    if frame is not None:
        if frame.action == "device.set" and not all_types & {"cover", "lock"} and _on_before_value(masked):
            frame = replace(frame, power_first=True)
        return frame
    power = _power(base, masked, lang, follows)
    if power is not None and "cover" in all_types and lx.A_LITTLE.search(masked):
        # "窗帘关上一点", "open the curtains a bit": a step of the position, not all the way
        return replace(power, action="device.adjust", attribute="position",
                       direction="up" if power.action == "device.turn_on" else "down")
    if power is not None and power.action == "device.turn_on" and lx.HEATING.search(text):
        # "put the heating on", "开暖气": the air conditioner on, heating
        return replace(power, action="device.set", attribute="mode", value="heat", power_first=True)
    return power


def _state_said_en(masked: str) -> bool:
    return bool(lx.QUERY_EN_STATEMENT.search(masked)) and not lx.NOT_QUERY_EN_STATEMENT.search(masked)


#: Words left around a masked target in English ("it's too dark in the #").
_FILLERS_EN = frozenset({"the", "in", "on", "at", "my"})


def _feeling(masked: str, lang: str) -> tuple[str, str, str] | None:
    """How the speaker feels ("有点热", "客厅的灯太亮了"), with the named targets taken out."""
    if MASK in masked and not lx.FEEL_MARK.search(masked):
        return None  # with a target named, only "too …"/"太…" is a feeling: "warm light" is a colour
    said = masked.replace(MASK, "").strip(" ,的")
    said = lx.PARTICLES_TAIL.sub("", said) if lang == "zh" else " ".join(w for w in said.split() if w not in _FILLERS_EN)
    for device_type, attribute, direction, pattern in lx.FEELINGS:
        if pattern.search(said):
            return device_type, attribute, direction
    return None


def _polite(masked: str) -> str:
    """The command inside a polite question: "能把灯打开吗" and "把灯打开好吗" ask for the light, not its state."""
    masked = lx.POLITE_ZH_TAIL.sub("", masked.rstrip())
    polite = lx.POLITE_ZH.match(masked.strip())
    return polite.group("ask") if polite else masked


#: Words before a device-type word that are not a room ("the main light", "the reading lamp").
_NOT_ROOMS_EN = frozenset({"the", "a", "an", "my", "this", "that", "these", "those", "all", "every", "each", "other",
                           "main", "big", "small", "little", "old", "new", "both", "two", "three", "some", "any",
                           "which", "what", "whole", "of", "on", "off", "in", "to", "and", "then", "please"})


def _unknown_room(masked: str, lang: str, vocab: HomeVocabulary) -> str | None:
    """An English word the home does not know, right before a device type word ("the bedrim light"): a room
    misheard, to be named in the answer, never silently dropped (which would mean the speaker's room)."""
    if lang != "en":
        return None
    for m in _WORD_BEFORE_MASK.finditer(masked):
        word = m.group(1)
        if word not in _NOT_ROOMS_EN and len(word) >= 4 and not is_known_word(word, vocab):
            return word
    return None


_WORD_BEFORE_MASK = re.compile(r"(?<![a-z'])([a-z]+) #")


def _excluded(text: str, mentions: list[Mention], lang: str) -> list[Mention]:
    """Rooms and devices named after "except"/"除了" (up to 以外/之外/都 in Mandarin): the command
    is for everything else ("turn off all the lights except the bedroom")."""
    m = lx.EXCEPT[lang].search(text)
    if m is None:
        return []
    end = len(text)
    if lang == "zh":
        close = lx.EXCEPT_END.search(text, m.end())
        end = close.start() if close else end
    return [x for x in mentions if m.end() <= x.start < end and x.kind in ("device", "room")]


def _on_before_value(masked: str) -> bool:
    m = lx.ON_EXPLICIT.search(masked)
    mark = lx.SET_VERB.search(masked, m.end()) if m else None
    return bool(m and mark)


def _query(base: Frame, masked: str, types: set[str]) -> Frame | None:
    if lx.NOT_HOME_QUERY.search(masked):
        return None
    found = first(lx.QUERY_ATTRIBUTES, masked)
    attribute = found[0] if found else None
    if "lock" in types and attribute in (None, "power", "position"):
        attribute = "lock"
    elif "cover" in types and attribute in (None, "power"):
        attribute = "position"
    elif attribute == "position" and types and "cover" not in types:
        attribute = "power"  # "is the tv still open": a TV, unlike a curtain, is open when it is on
    if attribute == "temperature" and lx.SET_POINT.search(masked) and base.has_target:
        attribute = "target_temperature"  # "热水器设的多少度": the set point, not the water's temperature
    outdoors = lx.OUTDOORS.search(masked) if not (base.devices or base.rooms) else None
    if outdoors is not None and attribute in ("temperature", "humidity"):
        # an outdoor reading: from an outdoor sensor, or an honest "none here" (never the living room's)
        return replace(base, action="device.query", rooms=(outdoors.group(0).strip(),), attribute=attribute or "temperature")
    if not base.has_target and attribute in (None, "power", "position", "mode", "fan_speed", "brightness", "volume"):
        if attribute is None or not lx.PRONOUN.search(masked):
            return None
        # no target here: the dialog fills in the device of the turn before, or asks which one
        return replace(base, action="device.query", attribute=attribute, extra={**base.extra, "back": True})
    scope = base.scope
    if base.types and not base.rooms and not base.devices and lx.QUERY_WHICH.search(masked):
        scope = "all"  # "哪个灯开着", "how many lights are on": the whole home
    return replace(base, action="device.query", attribute=attribute, scope=scope)


def _power(base: Frame, masked: str, lang: str, follows: bool) -> Frame | None:
    bare = follows and bool(lx.BARE_POWER[lang].match(masked.strip()))
    if not base.has_target and not lx.PRONOUN.search(masked) and not bare:
        return None
    if lang == "zh":
        which = earliest(masked, lx.ON_ZH, lx.OFF_ZH)
        if which is None:  # "turn on the 客厅灯"
            which = earliest(masked, lx.ON_EN, lx.OFF_EN)
    else:
        which = earliest(masked, lx.ON_EN, lx.OFF_EN)
        if which is None:
            which = earliest(masked, lx.ON_EN_SPLIT, lx.OFF_EN_SPLIT)
        verb = lx.VERB_ON_OFF_EN.match(masked.strip()) if which is None else None
        if verb is not None:
            which = 0 if verb.group(1) == "on" else 1
        tail = lx.TAIL_EN.search(masked) if which is None else None
        if tail is not None:  # "kitchen lights on"
            which = 0 if tail.group(1) == "on" else 1
        elif which is None and bare:
            which = 0 if masked.strip().split()[-1 if "again" not in masked else -2] == "on" else 1
    if which is None:
        return None
    return replace(base, action="device.turn_on" if which == 0 else "device.turn_off")
