"""Slots of the utility intents: timers, alarms, reminders, arithmetic, units, time, volume.

Each extractor takes the normalised clause and returns the slot dict the skill reads
(skills/timers.py, alarms.py, calculator.py, units.py, clock.py, volume.py): the skills are
the contract. Arithmetic becomes an ASCII expression for the calculator's own parser
("三百二十乘以四" → ``320*4``, "15% of 80" → ``15%*80``), never something to ``eval``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from intents.slots.time import AFTER, NUM_EN, NUM_ZH, number, parse_duration, parse_when, strip_time_en, strip_time_zh
from intents.utility_rules import SUBTRACT_EN, SUBTRACT_ZH

_LOGGER = logging.getLogger(__name__)

Slots = dict[str, Any]


def _num_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


# ---- timers ----------------------------------------------------------------------------------------
_ALL = re.compile(r"所有|全部|都|(?<![a-z])(?:all|every)(?![a-z])")
_TIMER_LABEL_ZH = re.compile(r"(?:^|[个的])([\u4e00-\u9fff]{1,6}?)的?(?:计时器|定时器|倒计时|计时)")
_TIMER_LABEL_EN = re.compile(r"(?:a|an|the|my)\s+([a-z]+(?: [a-z]+)?)\s+timer")
_NOT_LABELS = {"个", "一个", "设", "定", "设个", "定个", "取消", "关掉", "停止", "删除", "开始", "来个", "帮我",
               "倒", "我的", "给我", "所有", "全部", "把", "个倒", "egg", "minute", "second", "hour", "countdown"}
_DURATION_WORD = re.compile(r"\d|分钟|小时|秒|minute|hour|second|[零一二两三四五六七八九十半]")
#: "有哪些计时器", "几个计时器": the words ask which timers there are; they name none.
_ASKING_WORD = re.compile(r"哪|几|什么|啥|多少")


#: Less time on a timer: its ``timer.add_time`` duration is negative.
_LESS = {"zh": SUBTRACT_ZH, "en": SUBTRACT_EN}


def timer_slots(text: str, lang: str, intent: str) -> Slots:
    """``duration`` (seconds): a new timer's length, the one to add (negative: to take off), or which
    timer a cancel, pause, resume or status question means ("cancel 5 minute timer"); ``label``; ``scope``."""
    slots: Slots = {}
    seconds = parse_duration(text, lang)
    if seconds:
        if intent == "timer.add_time" and _LESS[lang].search(text):
            seconds = -seconds
        slots["duration"] = int(seconds) if float(seconds).is_integer() else seconds
    m = (_TIMER_LABEL_ZH if lang == "zh" else _TIMER_LABEL_EN).search(text)
    if m:
        label = m.group(1).strip()
        if label.startswith(("取消", "关掉", "删除", "停止", "暂停", "继续", "恢复", "查询", "查看")):
            label = label[2:]
        if (label and label not in _NOT_LABELS and not _DURATION_WORD.search(label) and not _ASKING_WORD.search(label)
                and label not in ("all", "all the")):
            slots["label"] = label
    if intent in ("timer.cancel", "timer.pause", "timer.resume") and _ALL.search(text):
        slots["scope"] = "all"
    return slots


def alarm_slots(text: str, lang: str, intent: str, now: datetime) -> Slots:
    when = parse_when(text, lang, now, morning=intent != "reminder.set")
    slots: Slots = {}
    if when.at is not None:
        slots["datetime"] = when.iso()
    elif intent == "alarm.cancel" and when.day is not None:
        slots["datetime"] = when.day.isoformat()
    if intent == "alarm.set" and when.repeat:
        slots["repeat"] = when.repeat
    return slots


_REMIND_ZH = re.compile(r"(?:提醒我|提醒一下|提醒|叫我|记得|通知我)(?:一下)?(?:要)?")
_REMIND_EN = re.compile(r"(?:remind me|reminder|tell me|don't let me forget|set a reminder|create a reminder)"
                        r"(?: for)?(?: to)?\s*")


def reminder_slots(text: str, lang: str, now: datetime) -> Slots:
    slots = alarm_slots(text, lang, "reminder.set", now)
    slots.pop("repeat", None)
    after = AFTER[lang].search(text)
    seconds = parse_duration(after.group(0), lang) if after else None
    if after and seconds and "datetime" not in slots:
        slots["datetime"] = (now + timedelta(seconds=seconds)).isoformat()
        text = (text[: after.start()] + " " + text[after.end():]).strip()
    if lang == "zh":
        m = _REMIND_ZH.search(text)
        rest = text[m.end():] if m and text[m.end():].strip() else (_REMIND_ZH.sub("", text) if m else text)
        content = strip_time_zh(rest).strip(" ,的")
        content = re.sub(r"^(?:设个提醒|设一个提醒|到)", "", content).strip()
    else:
        m = _REMIND_EN.search(text)
        rest = text[m.end():] if m else text
        content = re.sub(r"^(?:to|that|about)\s+", "", strip_time_en(rest)).strip(" ,")
        content = re.sub(r"\s+(?:to|at|on)$", "", content)
    if content:
        slots["content"] = content
    return slots


# ---- arithmetic ------------------------------------------------------------------------------------
#: What a matched piece of speech becomes in the expression: fixed text, or text made from the match.
_Repl = str | Callable[[re.Match[str]], str]
#: A number in a Chinese sum: digits, numerals up to 亿 ("一万", "两千五"), or digits with a numeral unit ("3万").
_CALC_NUM_ZH = r"\d+(?:\.\d+)?[万亿]?|[零〇一二两俩三四五六七八九十百千万亿]+(?:点[零一二三四五六七八九]+)?"
_CALC_ZH: list[tuple[str, _Repl]] = [
    (r"百分之(" + NUM_ZH + r"(?:点" + NUM_ZH + r")?)", lambda m: _num_text(_parsed(m.group(1))) + "%"),
    # 三的五次方, 二的负二次方, 十的3次幂: the exponent is a number of its own
    (r"的?(负)?(" + _CALC_NUM_ZH + r")次(?:方|幂)", lambda m: f"^{'-' if m.group(1) else ''}{_num_text(_parsed(m.group(2)))}"),
    (r"(" + _CALC_NUM_ZH + r")", lambda m: _num_text(_parsed(m.group(1)))),
    (r"乘以|乘上|乘|×|x|\*", "*"), (r"除以|除|÷|/", "/"), (r"加上|加|\+", "+"), (r"减去|减掉|减|-", "-"),
    (r"的平方根|开平方|开根号|开方|的二次方根", "^0.5"), (r"的立方根|开立方|的三次方根", "^(1/3)"),
    (r"的平方|平方", "^2"), (r"的立方|立方", "^3"),
    (r"根号", "√"), (r"左括号|\(", "("), (r"右括号|\)", ")"), (r"%", "%"),
]
#: "to the fifth", "to the 10th power": an exponent said as an ordinal.
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
             "tenth": 10, "eleventh": 11, "twelfth": 12}
_CALC_EN: list[tuple[str, _Repl]] = [
    (r"(" + NUM_EN + r")\s*(?:%|percent|per cent)\s*of", lambda m: _num_text(_parsed(m.group(1))) + "%*"),
    (r"(" + NUM_EN + r")\s*(?:%|percent|per cent)", lambda m: _num_text(_parsed(m.group(1))) + "%"),
    (r"(?:the )?square root of", "√"), (r"(?:the )?cube root of", "∛"),
    (r"(?:the )?square of (" + NUM_EN + r")", lambda m: _num_text(_parsed(m.group(1))) + "^2"),
    (r"(?:the )?cube of (" + NUM_EN + r")", lambda m: _num_text(_parsed(m.group(1))) + "^3"),
    (r"squared", "^2"), (r"cubed", "^3"),
    (r"(?:raised )?to the (\d+)(?:st|nd|rd|th)(?: power)?", lambda m: "^" + m.group(1)),
    (r"(?:raised )?to the (" + "|".join(_ORDINALS) + r")(?: power)?", lambda m: f"^{_ORDINALS[m.group(1)]}"),
    (r"(?:raised )?to the power(?: of)?|raised to(?: the)?", "^"),
    (r"(?:multiplied by|times|x|\*)", "*"), (r"(?:divided by|over|/)", "/"),
    (r"(?:plus|and|\+)", "+"), (r"(?:minus|take away|less|-)", "-"),
    (r"(" + NUM_EN + r")", lambda m: _num_text(_parsed(m.group(1)))),
]
_CALC_RE = {lang: [(re.compile(p if lang == "zh" else rf"(?<![a-z]){p}(?![a-z])"), r) for p, r in table]
            for lang, table in (("zh", _CALC_ZH), ("en", _CALC_EN))}


def _parsed(token: str) -> float:
    """``number(token)`` for a token a NUM_ZH/NUM_EN pattern matched; ValueError (no expression) if it is none."""
    value = number(token)
    if value is None:
        raise ValueError(token)
    return value


def calc_slots(text: str, lang: str) -> Slots:
    """``expression``: the arithmetic in ``text`` as ASCII ("320*4"); {} when there is none."""
    text = re.sub(r"^(?:帮我|请)?(?:算一下|算算|算一算|计算一下|计算|算)", "", text) if lang == "zh" else text
    if lang == "zh":
        m = re.search(rf"({NUM_ZH}(?:点{NUM_ZH})?)的(百分之{NUM_ZH}(?:点{NUM_ZH})?)", text)
        if m:  # 八十的百分之十五 → 15%*80
            text = text[: m.start()] + m.group(2) + "乘" + m.group(1) + text[m.end():]
    out: list[str] = []
    pos = 0
    table = _CALC_RE[lang]
    try:
        while pos < len(text):
            for pattern, repl in table:
                m = pattern.match(text, pos)
                if m and m.end() > pos:
                    out.append(repl(m) if callable(repl) else repl)
                    pos = m.end()
                    break
            else:
                pos += 1
    except ValueError:
        return {}
    expression = _tidy("".join(out))
    return {"expression": expression} if expression and re.search(r"\d", expression) else {}


def _tidy(expr: str) -> str:
    expr = re.sub(r"√(\d+(?:\.\d+)?)", r"\1^0.5", expr)
    expr = re.sub(r"∛(\d+(?:\.\d+)?)", r"\1^(1/3)", expr)
    expr = expr.replace("√", "").replace("∛", "")
    expr = re.sub(r"^[-+*/^]+(?=\d)", lambda m: "-" if m.group(0) == "-" else "", expr)
    # a trailing "^" stays: "4 to the power of half" left its exponent unread, and 4 would be a wrong answer
    return re.sub(r"[-+*/]+$", "", expr)
