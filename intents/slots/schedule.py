"""Slots of the schedule.* intents: which scheduled device command a request names, and its new time.

"取消晚上十一点关灯的定时", "cancel the 11 pm lights off": the task is named by what it does
(``action``: the device intent, ``device``/``device_type``/``room``) and when it runs (``at``, an
ISO instant whose time of day is compared; a time counted from now, "十分钟后", names none, since
it was counted from when the task was set). "改成十一点半", "move it to 11:30": ``datetime`` is the
new time, and ``twelve_hour`` says it was said without a part of the day, so the skill may read it
as the evening of an evening task. ``scope`` is ``all`` for "取消所有定时任务".
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from intents import lexicon as lx
from intents.slots.time import AFTER, clock_of, parse_when
from intents.utility_rules import CHANGE
from intents.vocabulary import HomeVocabulary

#: "the 11 pm lights off": a bare "off" names what the task does ("on" is as often a preposition).
_OFF_EN = re.compile(lx.OFF_EN.pattern + r"|(?<![a-z])off(?![a-z])")
_TO = re.compile(r"(?<![a-z])(?:to|for)(?![a-z])")
_ALL = re.compile(r"所有|全部|都|(?<![a-z])(?:all|every|everything)(?![a-z])")


def schedule_slots(text: str, lang: str, intent: str, now: datetime, vocab: HomeVocabulary) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    named = text
    change = CHANGE[lang].search(text) if intent == "schedule.change" else None
    if change is not None:
        cut, start = change.start(), change.end()
        last_to = [m for m in _TO.finditer(text) if m.start() >= change.start()] if lang == "en" else []
        if last_to:  # "change the lights off to 11:30 pm": the task is named before the last "to"
            cut, start = last_to[-1].start(), last_to[-1].end()
        named, new = text[:cut], text[start:]
        when = parse_when(new, lang, now)
        if when.at is not None:
            slots["datetime"] = when.iso()
            clock = clock_of(new, lang)
            if clock is not None and clock[2] is None and 1 <= clock[0] < 12:
                slots["twelve_hour"] = True
    if not AFTER[lang].search(named):
        said = parse_when(named, lang, now)
        if said.at is not None:
            slots["at"] = said.iso()
    mentions = vocab.find(named)
    for kind, slot in (("device", "device"), ("type", "device_type"), ("room", "room")):
        found = [m.id for m in mentions if m.kind == kind]
        if found:
            slots[slot] = found[0]
    masked = "".join("#" if any(m.start <= i < m.end for m in mentions) else c for i, c in enumerate(named))
    on, off = (lx.ON_ZH, lx.OFF_ZH) if lang == "zh" else (lx.ON_EN, _OFF_EN)
    ons, offs = on.search(masked), off.search(masked)
    if ons or offs:
        first_on = ons is not None and (offs is None or ons.start() < offs.start())
        slots["action"] = "device.turn_on" if first_on else "device.turn_off"
    if intent == "schedule.cancel" and _ALL.search(named):
        slots["scope"] = "all"
    return slots
