"""A light or a behaviour described instead of named: “红灯一直闪两下”, “the ambient light blinked
red three times”, “亮红灯了”, “none of the buttons do anything”.

Manuals list such signs in indicator and troubleshooting tables (“Red, 2 blinks repeated | Not
calibrated”, “红色常亮 | 麦克风已静音”, “The buttons do not respond.”), in words the asker never
uses. Both sides are read into one language-free :class:`Signal` (colours, state, blink count,
speed), so “闪两下”, “闪 2 次”, “blinks twice” and “2 blinks” are the same sign, and a passage is
scored by how well the sign it describes matches the one told (:func:`match`): a different
colour, state or count is another sign, not half of this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Signal", "described", "head_of", "match", "search_words", "signals_in"]

_COLOURS: dict[str, str] = {
    "red": "红", "blue": "蓝", "green": "绿", "yellow": "黄", "orange": "橙", "white": "白", "purple": "紫",
}
_EN_COLOUR = re.compile(r"(?<![a-z])(red|blue|green|yellow|orange|amber|white|purple)(?![a-z])")
#: 红外 is infrared and 蓝牙 Bluetooth; a bare 白 is only a colour beside a light word (白天 is daytime).
_ZH_COLOUR = re.compile(r"([红蓝绿黄橙紫])(?![外牙])|(白)(?=色|灯|光)")
_STATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("unresponsive", re.compile(
        r"没反应|没有反应|不响应|无响应|不灵|失灵|不管用|按了没用|不听使唤"
        r"|(?<![a-z])(?:(?:do|does|did)(?:n't| not) (?:respond|react|work|do anything)|(?:not|stopped|quit|stops) (?:respond|react)ing"
        r"|unresponsive|do(?:es)? nothing|(?:won't|wont|will not) (?:respond|react|do anything))")),
    ("breathe", re.compile(r"呼吸|(?<![a-z])(?:breath(?:e|es|ing)|puls(?:e|es|ing))(?![a-z])")),
    ("blink", re.compile(r"闪|(?<![a-z])(?:blink|flash|flicker)(?:s|es|ed|ing)?(?![a-z])")),
    ("steady", re.compile(r"常亮|长亮|一直亮|亮着|亮起|亮[红蓝绿黄橙白紫]|(?<![a-z])(?:solid|steady|steadily|constantly on"
                          r"|on continuously|stays? on|stays?|lit|glows?)(?![a-z])")),
)
_NONE = re.compile(r"(?<![a-z])(?:none|nothing|neither)(?![a-z])")
_ANYTHING = re.compile(r"(?<![a-z])do(?:es)? anything(?![a-z])")
_FAST = re.compile(r"快闪|快速|急闪|(?<![a-z])(?:quick|quickly|fast|rapid|rapidly)(?![a-z])")
_SLOW = re.compile(r"慢闪|缓慢|慢慢|(?<![a-z])(?:slow|slowly)(?![a-z])")
_ZH_NUMBER = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_NUMBER = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9, "ten": 10}
_ZH_COUNT = re.compile(r"闪(?:烁|动|了|个)*\s*(\d+|[一两二三四五六七八九十])\s*(?:下|次|回)")
_EN_COUNT = re.compile(
    r"(?<![a-z])(?:blink|flash)(?:s|es|ed|ing)?(?: [a-z]+){0,2}? (once|twice|(\d+|one|two|three|four|five|six|seven|eight"
    r"|nine|ten) times)(?![a-z])"
    r"|(?<![a-z0-9])(\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:quick |slow |short )?(?:[a-z]+ )?(?:blinks|flashes)")
#: A colour alone is a sign when something is said to be, turn or shine that colour.
_LIGHT_CONTEXT = re.compile(r"灯|光|变|成|亮|(?<![a-z])(?:light|lights|led|indicator|ring|went|turned|turns|turn|goes"
                            r"|became|is|stays|shows|showing|glows)(?![a-z])")
_CLAUSE = re.compile(r"[。；;!?！？，,()（）]|(?<=[a-z])\.(?:\s|$)")
_HEAD = re.compile(r"^([^:：—]{1,40})[:：—]")


@dataclass(frozen=True)
class Signal:
    """A sign described: ``colours`` (English names), ``state`` (``blink``, ``steady``,
    ``breathe``, ``unresponsive`` or empty), ``count`` (blinks, 0 when not said), ``speed``
    (``fast``, ``slow`` or empty); ``spans`` where the text says it (a question's words to take
    out of its concepts)."""

    colours: frozenset[str] = frozenset()
    state: str = ""
    count: int = 0
    speed: str = ""
    spans: tuple[tuple[int, int], ...] = ()


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _ZH_NUMBER.get(word, 0) or _EN_NUMBER.get(word, 0)


def _read(text: str, *, bare_colour: bool) -> Signal | None:
    """The sign normalised ``text`` describes; a colour with no state counts only with
    ``bare_colour`` or beside a light word."""
    spans: list[tuple[int, int]] = []
    colours: set[str] = set()
    for m in _EN_COLOUR.finditer(text):
        colours.add("orange" if m.group(1) == "amber" else m.group(1))
        spans.append(m.span())
    for m in _ZH_COLOUR.finditer(text):
        char = m.group(1) or m.group(2)
        colours.add(next(en for en, zh in _COLOURS.items() if zh == char))
        spans.append(m.span())
    state = ""
    for name, pattern in _STATES:
        found = list(pattern.finditer(text))
        if found:
            state = state or name
            spans += [m.span() for m in found]
    nobody = _NONE.search(text)
    anything = _ANYTHING.search(text, nobody.end()) if nobody else None
    if nobody and anything and not state:  # “none of the buttons do anything”
        state = "unresponsive"
        spans += [nobody.span(), anything.span()]
    count = 0
    for m in (*_ZH_COUNT.finditer(text), *_EN_COUNT.finditer(text)):
        word = next(g for g in m.groups() if g)
        count = count or _number(word.split()[0])
        spans.append(m.span())
    speed = "fast" if _FAST.search(text) else "slow" if _SLOW.search(text) else ""
    # A state alone is a sign when it is one of trouble (blinking, breathing, not responding);
    # “stays on” alone is a setting asked about, not a sign.
    if not colours and not count and state in ("", "steady"):
        return None
    if not state and not count and not (bare_colour or _LIGHT_CONTEXT.search(text)):
        return None
    if count and not state:
        state = "blink"
    return Signal(frozenset(colours), state, count, speed, tuple(sorted(spans)))


def described(question: str) -> Signal | None:
    """The sign a normalised question tells of, if any."""
    return _read(question, bare_colour=False)


def signals_in(head: str, body: str) -> tuple[list[Signal], list[Signal]]:
    """The signs a passage defines (``head``: a table row's first cell, an FAQ's question, the
    words before a colon; read whole) and those its ``body`` mentions (clause by clause)."""
    heads = [s for s in (_read(head, bare_colour=True),) if head and s is not None]
    bodies = [s for clause in _CLAUSE.split(body) if clause.strip()
              for s in (_read(clause, bare_colour=False),) if s is not None]
    return heads, bodies


def head_of(text: str) -> str:
    """The words before a colon or dash (“Red: above 75.”), the sign an item defines."""
    m = _HEAD.match(text)
    return m.group(1) if m else ""


def match(told: Signal, seen: Signal) -> float:
    """How well ``seen`` is the sign ``told``: 1 the same, 0 another one (a colour, state, count or
    speed that differs); what ``seen`` leaves unsaid counts in part."""
    scores: list[float] = []
    if told.colours:
        if seen.colours and not told.colours & seen.colours:
            return 0.0
        scores.append(len(told.colours & seen.colours) / len(told.colours | seen.colours) if seen.colours else 0.5)
    if told.state:
        if seen.state and seen.state != told.state:
            return 0.0
        # A colour said with no state is mostly one that stays on; a blink or a dead button is not.
        scores.append(1.0 if seen.state else _UNSAID_STATE.get(told.state, 0.0))
    if told.count:
        if seen.count and seen.count != told.count:
            return 0.0
        scores.append(1.0 if seen.count else 0.25)
    if told.speed:
        if seen.speed and seen.speed != told.speed:
            return 0.0
        scores.append(1.0 if seen.speed else 0.5)
    score = sum(scores) / len(scores) if scores else 0.0
    # A sign told plainly (“flashing red”) is rather the plain row than one adding a speed or a
    # count the asker did not see (“红色闪烁” over “红色快闪”).
    return score * _MORE_SPECIFIC if (seen.speed and not told.speed) or (seen.count and not told.count) else score


_MORE_SPECIFIC = 0.9
_UNSAID_STATE = {"steady": 0.5, "blink": 0.25, "breathe": 0.25}
_STATE_WORDS = {"blink": "闪烁 blinks", "steady": "常亮 solid", "breathe": "呼吸 breathes",
                "unresponsive": "没反应 不灵 respond"}


def search_words(signal: Signal) -> str:
    """Words in both languages that index the sign, for the lexical search."""
    words = [f"{_COLOURS[c]}色 {c}" for c in sorted(signal.colours)]
    words.append(_STATE_WORDS.get(signal.state, ""))
    if signal.count:
        words.append(f"{signal.count} 次 {signal.count} times {signal.count} blinks")
    return " ".join(w for w in words if w)
