"""Durations and wall-clock times said in zh and en, resolved against the request clock.

Timers take a duration in seconds ("一个半小时" → 5400, "an hour and a half" → 5400);
alarms and reminders take an ISO 8601 instant with the clock's UTC offset ("明天早上七点"
→ tomorrow 07:00 in ``now``'s offset), plus ``repeat`` (daily/weekdays/weekends).
A time said without a day is the next such time (at 20:00 "七点" is tomorrow 07:00, "十点"
is tonight 22:00); a day said without a time is a date (``alarm.cancel`` "明天的闹钟").
The patterns run on normalised text (normalize.py): simplified, lower case.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from intents.numbers import en_to_number, zh_to_number
from intents.slots.days import day_said

_LOGGER = logging.getLogger(__name__)

_ZN = "[零〇一二两俩三四五六七八九十百千]"
_EN_CORE = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)")
_EN = rf"(?:{_EN_CORE}|an?)"
NUM_ZH = rf"(?:\d+(?:\.\d+)?|{_ZN}+)"
#: Words that scale what comes before them ("a thousand", "2 million", "two thousand five hundred").
_EN_SCALE = r"(?:hundred|thousand|million|billion)"
_EN_WORDS = rf"(?:{_EN_CORE}|thousand|million|billion)"
#: "a" counts as one only on its own ("a minute") or before a scale word ("a thousand"), never inside a compound
#: ("a three minute timer").
NUM_EN = (rf"(?:(?:(?:\d+(?:\.\d+)?|an?) (?={_EN_SCALE}))?{_EN_WORDS}(?:[ -](?:and )?{_EN_WORDS})*"
          rf"|\d+(?:\.\d+)?|an?)")


def number(token: str) -> float | None:
    """Digits, Chinese numerals or English number words → a number."""
    token = token.strip()
    if not token:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    if re.search(r"[a-z]", token):
        return en_to_number(token)
    return zh_to_number(token)


# ---- durations -----------------------------------------------------------------------------------
_UNIT_S = {"小时": 3600, "钟头": 3600, "分钟": 60, "分": 60, "秒钟": 1, "秒": 1, "刻钟": 900,
           "hour": 3600, "hr": 3600, "minute": 60, "min": 60, "second": 1, "sec": 1}
_DUR_ZH = re.compile(rf"(?P<n>{NUM_ZH})?(?P<ge>个)?(?P<half>半)?(?:个)?(?P<u>小时|钟头|分钟|秒钟|刻钟|分|秒)(?P<tail>半)?")
_DUR_EN = re.compile(rf"(?<![a-z])(?P<n>{NUM_EN}|half an?|a half)(?P<mid> and a half)?[ -]?"
                     rf"(?P<u>hours?|hrs?|minutes?|mins?|seconds?|secs?)"
                     rf"(?![a-z])(?P<tail> and a half)?")


def parse_duration(text: str, lang: str) -> float | None:
    """Total seconds said in ``text`` (several parts add up: 1分30秒), or None."""
    total = 0.0
    pattern = _DUR_ZH if lang == "zh" else _DUR_EN
    for m in pattern.finditer(text):
        unit = _UNIT_S[m.group("u").rstrip("s") if lang == "en" else m.group("u")]
        raw = m.group("n") or ""
        if raw.startswith("half") or raw == "a half":
            value = 0.5
        elif raw:
            said = number(raw)
            if said is None:
                continue
            value = said
        elif lang == "zh" and (m.group("half") or unit == 900):
            value = 0.0 if m.group("half") else 1.0
        else:
            continue
        if lang == "zh" and m.group("half"):
            value += 0.5
        if m.groupdict().get("mid"):  # "one and a half hours"
            value += 0.5
        if m.group("tail"):
            value += 0.5 if lang == "en" or unit >= 3600 else 0.0
            if lang == "zh" and unit == 60:  # 一分半 = 90 s
                value += 0.5
        total += value * unit
    return total or None


# ---- clock times ----------------------------------------------------------------------------------
_PERIODS_ZH = (("凌晨", 0), ("早上", 0), ("早晨", 0), ("上午", 0), ("明早", 0), ("今早", 0), ("一早", 0), ("半夜", 0),
               ("中午", 12),
               ("下午", 12), ("傍晚", 12), ("晚上", 12), ("今晚", 12), ("夜里", 12), ("明晚", 12))
_CLOCK_ZH = re.compile(rf"(?P<h>{NUM_ZH})(?:点钟?|:|：)(?P<m>半|一刻|三刻|{NUM_ZH}(?:分)?)?")
_CLOCK_EN = re.compile(
    rf"(?P<rel>half past|quarter past|quarter to|(?:{NUM_EN}) (?:minutes? )?(?:past|to))? ?"
    rf"(?<![a-z\d:])(?P<h>\d{{1,2}}|{_EN})(?::(?P<m>\d\d)|(?P<mw> (?:oh )?{_EN}(?:[ -]{_EN})?))?"
    rf"(?: ?(?P<ampm>am|a m|pm|p m|o'clock|oclock))?(?![a-z\d])")
_WEEKDAYS_ZH = "一二三四五六日天"
_REPEAT = (("weekdays", re.compile(r"工作日|周一到周五|星期一到星期五|每个上班|weekdays?|every weekday|workdays?")),
           ("weekends", re.compile(r"周末|双休|weekends?")),
           ("daily", re.compile(r"每天|每日|天天|每晚|每早|daily|every day|every morning|every night|each day")))


#: Any word that makes something repeat ("每天", "on weekdays"): a time of it, never a scope ("every" is not "all").
REPEAT_WORDS = re.compile("|".join(rf"(?:{pattern.pattern})" for _, pattern in _REPEAT))

#: Words that soften a time without changing it ("in like an hour", "大概七点", "七点左右").
_ABOUT_EN = r"(?:like|about|around|roughly|approximately|maybe|say|just) "
_ABOUT_ZH = r"(?:大概|大约|差不多|大致|估计|约)"
_AROUND_ZH = r"(?:左右|前后|上下)"

#: "一个半小时以后", "in an hour and a half", "in like an hour or so": a time counted from now.
#: "过十分钟" needs no "后": the "过" already counts from now.
AFTER = {"zh": re.compile(rf"(?:过)?{_ABOUT_ZH}?([零一二两三四五六七八九十百半个\d.]+(?:小时|钟头|分钟|秒钟|刻钟|分|秒)半?)+"
                          rf"{_AROUND_ZH}?(?:以后|之后|后)"
                          rf"|过{_ABOUT_ZH}?([零一二两三四五六七八九十百半个\d.]+(?:小时|钟头|分钟|秒钟|刻钟|分|秒)半?)+"),
         "en": re.compile(rf"(?<![a-z])(?:in|after)\s+(?:{_ABOUT_EN})*((?:an?|one|half an?|\d+|[a-z]+(?:[ -][a-z]+)?)"
                          r"(?: and a half)?[ -]?(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)(?: and a half)?)"
                          r"(?![a-z])(?: or so)?")}

_ZN_CLOCK = r"[零一二两三四五六七八九十百\d]+"
_DAY_ZH = r"(?:大后天|后天|明天|今天|今晚|明早|明晚|今早)"
_PERIOD_ZH = r"(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜)"
_CLOCK_WORDS_EN = (r"(?:\d{1,2}(?::\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
                   r"(?: ?(?:am|pm|a\.m\.|p\.m\.|o'clock))?")
#: The time phrase of a device command, as said: "明早六点", "十分钟后", "in like an hour", "around 7".
#: A bare "N点" is a clock only before a command or a device name (masked "#"): "调高两点" is an amount.
WHEN_SAID = {
    "zh": re.compile(
        rf"{_ABOUT_ZH}?(?:{_ZN_CLOCK}|半)个?半?(?:小时|钟头|分钟|秒钟|刻钟|秒){_AROUND_ZH}?(?:以后|之后|后)"
        rf"|过{_ABOUT_ZH}?(?:{_ZN_CLOCK}|半)个?半?(?:小时|钟头|分钟|秒钟|刻钟|秒)"
        rf"|{_DAY_ZH}?的?{_PERIOD_ZH}{_ABOUT_ZH}?{_ZN_CLOCK}(?:点钟?|:|：)(?:半|一刻|三刻|{_ZN_CLOCK}分?)?{_AROUND_ZH}?"
        rf"|{_DAY_ZH}的?{_ABOUT_ZH}?{_ZN_CLOCK}点钟?(?:半|一刻|三刻|{_ZN_CLOCK}分?)?{_AROUND_ZH}?"
        rf"|{_ABOUT_ZH}?(?<![一调高低亮暗大小多少快慢升降加减])(?:[二两三四五六七八九十]|十[一二]|\d{{1,2}})"
        rf"(?:点钟|点整|点半|点{_ZN_CLOCK}分|点(?={_AROUND_ZH}|的?(?:关|开|打|把|让|启|停|#))){_AROUND_ZH}?"),
    "en": re.compile(
        r"(?<![a-z])(?:"
        rf"(?:in|after) (?:{_ABOUT_EN})*(?:an?|\d+|half an?|{NUM_EN})(?: and a half)? ?"
        r"(?:minutes?|mins?|hours?|hrs?|seconds?|secs?)(?: and a half)?(?: or so)?"
        rf"|at (?:{_ABOUT_EN})?\d{{1,2}}(?::\d\d)? ?(?:am|pm|a\.m\.|p\.m\.|o'clock)|at \d{{1,2}}:\d\d"
        rf"|at (?:{_ABOUT_EN})+{_CLOCK_WORDS_EN}|at (?:noon|midnight)"
        rf"|(?<!to )(?<!at )(?<!by )(?<!up )(?<!down )(?<!of )(?:around|about|roughly) {_CLOCK_WORDS_EN}"
        r"(?! ?(?:%|percent|degrees?|°))(?: tonight| tomorrow(?: morning| evening| night)?)?"
        r"|tonight|tomorrow(?: morning| evening| night)?|in the (?:morning|evening|afternoon)"
        r")(?![a-z\d%°])"),
}

#: Any word that says when, known or not ("等会儿", "after lunch", "in a bit", "明晚八点多"): a device command
#: carrying one that was not read as its ``when`` must not act now. Looser than :data:`WHEN_SAID` on purpose.
TIME_HINT = {
    "zh": re.compile(rf"{_DAY_ZH}|大后天|下个?(?:周|星期|礼拜)|(?:周|星期|礼拜)[一二三四五六日天]|{_PERIOD_ZH}|待会|等会|等一会|"
                     rf"一会儿|过会|稍后|晚点|晚些|回头再|过一阵|(?:小时|钟头|分钟|秒钟|刻钟|半天)(?:以?后|之后|以内|内)|"
                     rf"{_ZN_CLOCK}点钟|{_ZN_CLOCK}点半|{_ZN_CLOCK}点整|{_ZN_CLOCK}点{_ZN_CLOCK}分|"
                     rf"(?<![一调高低亮暗大小多少快慢升降加减])(?:[二两三四五六七八九十]|十[一二]|\d{{1,2}})点(?!点|儿)|"
                     r"\d{1,2}[:：]\d\d"),
    "en": re.compile(r"(?<![a-z])(?:tomorrow|tmrw|tonight|later|soon|in a (?:bit|while|sec|second|moment|minute|few)"
                     r"|(?:in|after|within) (?:[a-z\d]+ ){0,4}(?:minutes?|mins?|hours?|hrs?|seconds?|secs?)"
                     r"|\d{1,2}(?::\d\d)? ?(?:am|pm|a\.m\.|p\.m\.)|o'?clock|\d{1,2}:\d\d|noon|midnight"
                     r"|this (?:morning|afternoon|evening)|in the (?:morning|afternoon|evening)|at night|before bed|bedtime"
                     r"|after (?:lunch|dinner|breakfast|work)|next (?:week|month)|on (?:monday|tuesday|wednesday|thursday"
                     r"|friday|saturday|sunday)|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) (?:morning"
                     r"|afternoon|evening|night))(?![a-z])"),
}


@dataclass(frozen=True)
class When:
    """What a phrase says about time: a resolved instant, or only a day, and a repeat; ``delay_s`` for a
    time counted from now ("十分钟后"), which the caller adds to its own clock."""

    at: datetime | None
    day: date | None
    repeat: str | None
    delay_s: float | None = None

    def iso(self) -> str | None:
        return self.at.isoformat() if self.at else None


def _day_offset(text: str, lang: str, now: datetime) -> int | None:
    """Days from ``now`` to the day said in ``text``; ``None`` if none, or one already past (an alarm is ahead)."""
    said = day_said(text, lang)
    if said is None:
        return None
    days = said.days_from(now.date())
    return days if days >= 0 else None


def _clock_zh(text: str) -> tuple[int, int, int | None] | None:
    """(hour, minute, period offset or None) of the first clock time in ``text``."""
    m = _CLOCK_ZH.search(text)
    if m is None:
        return None
    hour = number(m.group("h"))
    minute_word = m.group("m") or ""
    minute: float | None = {"半": 30, "一刻": 15, "三刻": 45}.get(minute_word)
    if minute is None:
        minute = number(minute_word.rstrip("分")) if minute_word else 0
    if hour is None or minute is None or hour > 24 or minute >= 60:
        return None
    before = text[: m.start()]
    period = next((off for word, off in _PERIODS_ZH if word in before or word in text[m.end():m.end() + 3]), None)
    if "中午" in before and hour < 3:  # 中午一点 = 13:00, 中午十二点 = 12:00
        period = 12
    return int(hour), int(minute), period


def _clock_en(text: str) -> tuple[int, int, int | None] | None:
    if re.search(r"(?<![a-z])noon|midday(?![a-z])", text):
        return 12, 0, 12
    if re.search(r"(?<![a-z])midnight(?![a-z])", text):
        return 0, 0, 0
    for m in _CLOCK_EN.finditer(text):
        hour = number(m.group("h"))
        if hour is None or hour > 24 or m.group("h") in ("a", "an"):
            continue
        if not (m.group("m") or m.group("ampm") or m.group("rel") or m.group("mw")
                or re.search(rf"(?<![a-z])(?:(?:at|for|to|by|until)(?: {_ABOUT_EN.rstrip(' ')})*|around|about|roughly)\s*$",
                             text[: m.start()])
                or re.match(r"\s*(?:tomorrow|tonight|today|in the|this|on |every)", text[m.end():])):
            continue
        minute = float(m.group("m")) if m.group("m") else number(m.group("mw").replace(" oh ", " ")) if m.group("mw") else 0
        if minute is None or minute >= 60:
            continue
        rel = m.group("rel") or ""
        if rel:
            offset = 30 if rel.startswith("half") else 15 if rel.startswith("quarter") else number(rel.split()[0]) or 0
            hour, minute = (hour, offset) if rel.endswith("past") else ((hour - 1) % 24, 60 - offset)
        ampm = (m.group("ampm") or "").replace(" ", "")
        period = 12 if ampm == "pm" else 0 if ampm == "am" else None
        if period is None:
            after = text[m.end():]
            if re.match(r"\s*(?:tonight|in the (?:evening|afternoon)|this (?:evening|afternoon)|at night)", after) \
                    or re.search(r"tonight|evening|afternoon", text):
                period = 12
            elif re.search(r"morning", text):
                period = 0
        return int(hour), int(minute), period
    return None


def _hour(hour: int, period: int | None) -> int:
    if period == 12 and hour < 12:
        return hour + 12
    if period == 0 and hour == 12:
        return 0
    return hour % 24


def parse_when(text: str, lang: str, now: datetime, morning: bool = False) -> When:
    """The instant (or day) and repeat said in ``text``, resolved against ``now``.

    ``morning``: a small hour said with a day and no period is a morning (alarms wake
    people up: "明天五点的闹钟" is 05:00) rather than an afternoon ("明天三点提醒我" is 15:00).
    """
    repeat = _repeat(text)
    offset = _day_offset(text, lang, now)
    clock = _clock_zh(text) if lang == "zh" else _clock_en(text)
    return _resolve(clock, offset, repeat, now, morning)


def clock_of(text: str, lang: str) -> tuple[int, int, int | None] | None:
    """(hour, minute, period said: 0, 12 or None) of the first clock time in ``text``."""
    return _clock_zh(text) if lang == "zh" else _clock_en(text)


def _repeat(text: str) -> str | None:
    return next((name for name, pattern in _REPEAT if pattern.search(text)), None)


def resolve_when(words: str, text: str, lang: str, now: datetime) -> When:
    """When a command said with the time phrase ``words`` (from its clause ``text``) is to run.

    The clock comes from ``words`` alone ("at 7 pm", not the "to 8" of "set the light to 8 at 7 pm");
    the day and the repeat may be anywhere in the clause ("at 11 pm tomorrow", "每天早上七点").
    """
    repeat = _repeat(text)
    after = AFTER[lang].search(words)
    seconds = parse_duration(after.group(0), lang) if after else None
    if seconds:
        return When(None, None, repeat, delay_s=seconds)
    clock = _clock_zh(words) if lang == "zh" else _clock_en(words)
    return _resolve(clock, _day_offset(text, lang, now), repeat, now, morning=False)


def _resolve(clock: tuple[int, int, int | None] | None, offset: int | None, repeat: str | None, now: datetime,
             morning: bool) -> When:
    if clock is None:
        day = (now + timedelta(days=offset)).date() if offset is not None else None
        return When(None, day, repeat)
    hour, minute, period = clock
    base = now.replace(second=0, microsecond=0)
    if offset is not None:
        day_start = base + timedelta(days=offset)
        if period is None and 1 <= hour <= 5 and not morning:  # 明天三点: the afternoon is meant far more often than 3 am
            period = 12
        return When(day_start.replace(hour=_hour(hour, period), minute=minute), None, repeat)
    hours = [_hour(hour, period)] if period is not None or not 1 <= hour < 12 else [hour, hour + 12]
    candidates = [base.replace(hour=h, minute=minute) for h in hours]
    candidates = [c if c > now else c + timedelta(days=1) for c in candidates]
    return When(min(candidates), None, repeat)


_TIME_WORDS_ZH = re.compile(
    rf"(?:大后天|后天|明天|今天|明早|明晚|今晚|(?:下个?)?(?:周|星期|礼拜)[{_WEEKDAYS_ZH}]|每天|每日|工作日|周末)?"
    rf"(?:的)?(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|一早)?(?:{NUM_ZH}(?:点钟?|:)(?:半|一刻|三刻|{NUM_ZH}分?)?)?"
    rf"(?:的时候|以后|之后|后)?")


def strip_time_zh(text: str) -> str:
    """``text`` without its day and clock words (what a reminder is about)."""
    return _TIME_WORDS_ZH.sub("", text)


_TIME_WORDS_EN = re.compile(
    rf"(?<![a-z])(?:at |on |by |for )?(?:(?:half past|quarter past|quarter to) )?(?:\d{{1,2}}(?::\d\d)?|noon|midnight"
    rf"|{_EN}(?: {_EN})?)(?: ?(?:am|pm|o'clock))?(?= |$)(?: (?:tomorrow|today|tonight)(?: morning| evening| afternoon)?)?"
    rf"|(?<![a-z])(?:tomorrow|today|tonight|this (?:morning|afternoon|evening)|in the (?:morning|afternoon|evening)"
    rf"|every day|on weekdays|on weekends|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))(?![a-z])")


def strip_time_en(text: str) -> str:
    return re.sub(r"\s+", " ", _TIME_WORDS_EN.sub(" ", text)).strip()
