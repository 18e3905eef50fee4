"""Rule-based understanding of home commands, zh and en.

The rules serve the unambiguous and the safety-critical (docs/design.md): device control,
scenes, device queries and the yes/no/cancel of a dialog. They are the first layer, run
in well under a millisecond, and say honestly when they do not understand
(``out_of_scope`` with ``needs_fallback``) so the small model or the LLM planner can try.

Slots use ids (``Intent`` docstring). The rules fill in the speaker's room only when the
words say so ("in here", "这屋"): when no room is said, the device skill prefers the
speaker's room and asks when several devices remain. Several commands in one utterance ("关掉客厅的灯然后打开卧室的空调") are split on
connectors only where each side is a command on its own, and a clause that names no
device inherits the previous clause's targets ("把灯带调成红色并且亮度调到八十").
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from intents import lexicon as lx
from intents.clause import read_clause
from intents.frame import Frame
from intents.normalize import normalize
from intents.spelling import correct_en
from intents.types import USABLE_CONFIDENCE, Intent, IntentSource, Understanding, UnderstandingContext
from intents.vocabulary import TYPE_WORDS, HomeVocabulary

_LOGGER = logging.getLogger(__name__)

OUT_OF_SCOPE = "out_of_scope"
#: Longer (normalised) utterances are not read by the rules at all.
MAX_COMMAND_CHARS = 120

_DEFAULT_SET_ATTRIBUTE = {"light": "brightness", "climate": "temperature", "water_heater": "temperature",
                          "cover": "position", "media_player": "volume"}
_DEFAULT_ADJUST_ATTRIBUTE = {**_DEFAULT_SET_ATTRIBUTE, "fan": "fan_speed", "vacuum": "fan_speed"}
_UNIT_ATTRIBUTE = {"°C": "temperature", "K": "color_temp"}
_CANONICAL_UNIT = {"temperature": "°C", "brightness": "%", "position": "%", "color_temp": "K"}
_PERCENT_ATTRIBUTES = ("brightness", "volume", "position")


class RuleUnderstander:
    """Understands home commands with rules; stateless and safe to share between requests.

    ``usable``: below this confidence an understanding also asks for the fallback (small model / LLM).
    """

    source = IntentSource.RULES

    def __init__(self, usable: float = USABLE_CONFIDENCE) -> None:
        self.usable = usable

    def understand(self, text: str, ctx: UnderstandingContext, vocabulary: HomeVocabulary) -> Understanding:
        """The intents of ``text``, in order; ``out_of_scope`` (needs_fallback) when the rules cannot tell."""
        try:
            return self._understand(text, ctx, vocabulary)
        except Exception:  # never let one odd utterance fail a request: the fallback gets it
            _LOGGER.exception("rules failed on %r", (text or "")[:200])
            return _out_of_scope(text or "", ctx.lang or "zh")

    def _understand(self, text: str, ctx: UnderstandingContext, vocab: HomeVocabulary) -> Understanding:
        norm = normalize(text if isinstance(text, str) else "", ctx.lang)
        if not norm.text:
            return _out_of_scope(norm.text, norm.lang)
        if len(norm.text) > MAX_COMMAND_CHARS:  # a paragraph is not a home command: leave it to the fallback
            return _out_of_scope(norm.text, norm.lang)
        whole = norm.text.replace(",", " ").strip()
        compact = whole.replace(" ", "") if norm.lang == "zh" else whole
        for name, pattern in lx.DIALOG:
            if pattern.search(compact):
                intent = Intent(name, {}, 0.95, self.source, whole)
                return Understanding((intent,), norm.lang, norm.text)
        if lx.CURRENCY_CONVERSION.search(whole):
            return Understanding((Intent("unit.convert", {}, 0.9, self.source, whole),), norm.lang, norm.text)
        text = correct_en(norm.text, vocab) if norm.lang == "en" else norm.text
        frames = split_frames(text, norm.lang, vocab)
        if not frames:
            return _out_of_scope(norm.text, norm.lang)
        intents = intents_of_frames(frames, vocab, self.source, ctx.speaker_room)
        low = min(i.confidence for i in intents) < self.usable
        return Understanding(tuple(intents), norm.lang, norm.text, needs_fallback=low)


def intents_of_frames(frames: list[Frame], vocab: HomeVocabulary, source: IntentSource,
                      speaker_room: str | None = None) -> list[Intent]:
    """Catalog intents of consecutive frames; a device clause naming no device inherits the previous one's,
    "in here" is the speaker's room, and a request said twice ("I'm going to bed, good night") runs once."""
    intents: list[Intent] = []
    previous: Frame | None = None
    for frame in frames:
        if frame.extra.get("here") and speaker_room and not frame.rooms:
            frame = replace(frame, rooms=(speaker_room,))
        if frame.action.startswith("device."):
            if previous is not None:
                frame = _inherit(frame, previous, vocab)
            previous = frame
        for intent in _to_intents(frame, vocab, source):
            if not (intents and intent.name in IDEMPOTENT and _same_task(intents[-1], intent)):
                intents.append(intent)
    return intents


#: Intents that do (or ask) the same thing when said twice in a row (an adjustment said twice is meant twice).
IDEMPOTENT = frozenset({"scene.activate", "device.turn_on", "device.turn_off", "device.set", "media.control", "device.query"})


def _same_task(a: Intent, b: Intent) -> bool:
    return a.name == b.name and dict(a.slots) == dict(b.slots)


def split_frames(text: str, lang: str, vocab: HomeVocabulary) -> list[Frame]:
    """Frames of the clauses of ``text``; splits at a connector only where both sides are commands."""
    pattern = lx.CONNECTORS[lang]
    pieces: list[str] = []
    glue: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        pieces.append(text[pos:m.start()])
        glue.append(m.group(0))
        pos = m.end()
    pieces.append(text[pos:])
    frames: list[Frame] = []
    current_text = pieces[0]
    current = read_clause(current_text, lang, vocab) if current_text.strip(" ,") else None
    for connector, piece in zip(glue, pieces[1:]):
        nxt = read_clause(piece, lang, vocab, follows=True) if piece.strip(" ,") else None
        if current is not None and nxt is not None:
            frames.append(current)
            current_text, current = piece, nxt
        else:
            current_text = current_text + connector + piece
            current = read_clause(current_text, lang, vocab)
    if current is None:
        return []
    frames.append(current)
    return frames


def _inherit(frame: Frame, previous: Frame, vocab: HomeVocabulary) -> Frame:
    """A clause that names no device takes the previous clause's (a room alone keeps its room, takes the type)."""
    if frame.devices or frame.types:
        return frame
    if not frame.rooms:
        return frame.with_targets(previous)
    prev_types = tuple(dict.fromkeys((*previous.types, *(vocab.type_of(d) for d in previous.devices))))
    return replace(frame, types=prev_types)


def _targets(frame: Frame, vocab: HomeVocabulary) -> list[dict]:
    """One slot dict per target of the frame (device, or type in a room, or just a room)."""
    rooms = frame.rooms
    targets: list[dict] = []
    for device in frame.devices:
        room = vocab.device_room(device)
        if rooms and room not in rooms and vocab.device_type(device) in _generic_alias_types(vocab, device):
            targets.append({"device_type": vocab.device_type(device), "room": rooms[0]})
        else:
            targets.append({"device": device, "room": room})
    if frame.devices and not frame.types:
        # "turn on the kitchen and balcony lights": the device named (balcony light) lends its type
        # to the rooms said before it that no named device is in
        covered = {t["room"] for t in targets}
        for room in rooms:
            for device_type in _dedupe_types(vocab, frame.devices) if room not in covered else ():
                candidates = vocab.devices_of(device_type, room)
                if len(candidates) == 1:
                    targets.append({"device": candidates[0], "room": room})
                elif candidates:
                    targets.append({"device_type": device_type, "room": room})
    for device_type in frame.types:
        # "卧室和书房的灯都打开": the type in each room said, not only the first
        for room in (rooms if rooms and not frame.devices else rooms[:1]) or (None,):
            slots: dict = {"device_type": device_type}
            if room:
                slots["room"] = room
            if frame.scope:
                slots["scope"] = frame.scope
            else:
                candidates = _called_so(vocab.devices_of(device_type, room), device_type, frame.text, vocab)
                if len(candidates) == 1:
                    slots = {"device": candidates[0], "room": vocab.device_room(candidates[0])}
            targets.append(slots)
    if not targets:
        slots = {"room": rooms[0]} if rooms else {}
        if frame.scope:
            slots["scope"] = frame.scope
        targets.append(slots)
    return targets


def _called_so(candidates: list[str], device_type: str, text: str, vocab: HomeVocabulary) -> list[str]:
    """Of several devices of a type, the one whose own name holds the type word said: "the bedroom lamp" is
    the bedside lamp, not the ceiling light (both lights); "the bedroom light" leaves both to ask about."""
    if len(candidates) < 2:
        return candidates
    said = [w for w in TYPE_WORDS.get(device_type, ()) if (w.isascii() and re.search(rf"(?<![a-z]){w}s?(?![a-z])", text))
            or (not w.isascii() and w in text)]
    called = [c for c in candidates if any(w in name for w in said for name in vocab.devices[c].names.all())]
    return called if len(called) == 1 else candidates


def _dedupe_types(vocab: HomeVocabulary, devices: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(vocab.type_of(d) for d in devices))


def _generic_alias_types(vocab: HomeVocabulary, device: str) -> set[str]:
    """Types whose only device is ``device`` (its type word, e.g. 电视, can be heard with another room)."""
    device_type = vocab.type_of(device)
    return {device_type} if len(vocab.devices_of(device_type)) == 1 else set()


def _target_type(slots: dict, vocab: HomeVocabulary) -> str | None:
    return vocab.device_type(slots["device"]) if "device" in slots else slots.get("device_type")


def _to_intents(frame: Frame, vocab: HomeVocabulary, source: IntentSource) -> list[Intent]:
    confidence = float(frame.extra.get("confidence", 0.95))
    if frame.fuzzy:
        confidence -= 0.15
    if frame.action == "scene.activate":
        return [Intent("scene.activate", {"scene": frame.scene}, confidence, source, frame.text)]
    if frame.action == "media.control":
        players = [t["device"] for t in _targets(frame, vocab) if "device" in t]
        slots = {"action": frame.value, **({"device": players[0]} if players else {})}
        return [Intent("media.control", slots, confidence, source, frame.text)]
    intents: list[Intent] = []
    for target in _targets(frame, vocab):
        dtype = _target_type(target, vocab)
        slots = dict(target)
        if frame.extra.get("exclude"):
            slots["exclude"] = list(frame.extra["exclude"])
        if frame.extra.get("when"):
            slots["when"] = frame.extra["when"]
        conf = confidence if (frame.has_target or frame.action == "device.query") else confidence - 0.1
        if frame.action in ("device.turn_on", "device.turn_off") and not (frame.devices or frame.types):
            conf = 0.5  # "把卧室关了": a room alone is too vague to switch on its own
        if frame.action == "device.query":
            if frame.attribute:
                slots["attribute"] = frame.attribute
        elif frame.action == "device.set":
            slots.update(_set_slots(frame, dtype, vocab, slots.get("device")))
            if "attribute" not in slots:
                conf = 0.5
            if frame.power_first:
                intents.append(Intent("device.turn_on", dict(target), conf, source, frame.text))
        elif frame.action == "device.adjust":
            attribute = frame.attribute or _DEFAULT_ADJUST_ATTRIBUTE.get(dtype or "")
            if attribute:
                slots["attribute"] = attribute
            else:
                conf = 0.5
            slots["direction"] = frame.direction
            if frame.amount is not None:
                slots["amount"] = frame.amount
                unit = frame.unit or _CANONICAL_UNIT.get(attribute or "")
                if unit:
                    slots["unit"] = unit
        intents.append(Intent(frame.action, slots, max(0.0, min(1.0, conf)), source, frame.text))
    return intents


def _set_slots(frame: Frame, dtype: str | None, vocab: HomeVocabulary, device: str | None) -> dict:
    attribute = frame.attribute
    value = frame.value
    if attribute is None and (isinstance(value, (int, float)) or value in ("max", "min")):
        attribute = _UNIT_ATTRIBUTE.get(frame.unit or "") or _DEFAULT_SET_ATTRIBUTE.get(dtype or "")
    if attribute is None:
        return {"value": value} if value is not None else {}
    if value in ("max", "min"):
        # known device: its bound now; otherwise the skill takes each target's own bound
        value = _extreme(attribute, value, vocab, device) or value
    if attribute == "fan_speed" and device:
        value = _device_option(vocab, device, attribute, value)
    slots = {"attribute": attribute, "value": value}
    unit = _CANONICAL_UNIT.get(attribute)
    if unit and isinstance(value, (int, float)):
        slots["unit"] = unit
    return slots


def _extreme(attribute: str, which: str, vocab: HomeVocabulary, device: str | None):
    if attribute in _PERCENT_ATTRIBUTES:
        return 100 if which == "max" else 0
    info = vocab.devices.get(device or "")
    cap = info.capabilities.get(attribute) if info else None
    if cap is not None and cap.kind == "range":
        bound = cap.maximum if which == "max" else cap.minimum
        assert bound is not None, "a range capability has both bounds (Capability.from_spec)"
        return int(bound) if float(bound).is_integer() else bound
    return None


def _device_option(vocab: HomeVocabulary, device: str, attribute: str, value):
    """A fan speed the device knows: "high" becomes the vacuum's "strong"."""
    info = vocab.devices.get(device)
    cap = info.capabilities.get(attribute) if info else None
    if cap is None or cap.kind != "enum" or value in cap.options:
        return value
    for alias in lx.FAN_SPEED_ALIASES.get(value, ()):
        if alias in cap.options:
            return alias
    return value


def _out_of_scope(text: str, lang: str) -> Understanding:
    intent = Intent(OUT_OF_SCOPE, {}, 0.0, IntentSource.RULES, text)
    return Understanding((intent,), lang or "zh", text, needs_fallback=True)
