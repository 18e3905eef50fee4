"""time.query, and how the assistant says times and dates (shared with alarms and reminders).

The answer comes from ``ctx.now``, the request's clock: a speaker in Shanghai asking a
server in Frankfurt must hear Shanghai time.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta

from intents.slots.days import DaySaid
from intents.types import Intent
from skills.sdk import SkillContext, SkillKind, SkillManifest, SkillResult

_LOGGER = logging.getLogger(__name__)

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def home_clock(ctx: SkillContext) -> SkillContext:
    """``ctx`` with a ``now`` that has a UTC offset: a clock without one is read in the home's zone.

    A naive clock must never reach the scheduler: compared with aware instants, it raises.
    """
    if ctx.now.tzinfo is not None and ctx.now.utcoffset() is not None:
        return ctx
    return replace(ctx, now=ctx.now.replace(tzinfo=ctx.home.zone))


def _period_zh(hour: int) -> str:
    """The part of the day Mandarin speakers put before a 12-hour time."""
    if hour < 5:
        return "凌晨"
    if hour < 9:
        return "早上"
    if hour < 11:
        return "上午"
    if hour < 13:
        return "中午"
    if hour < 18:
        return "下午"
    return "晚上"


def clock_text(moment: datetime, lang: str, exact: bool = False) -> str:
    """早上7点 / 晚上8点05分 / 7:00 AM / 8:05 PM; ``exact`` says 8点整 on the hour (for "what time is it")."""
    hour, minute = moment.hour, moment.minute
    if lang == "zh":
        twelve = hour if hour <= 12 else hour - 12
        tail = f"{minute:02d}分" if minute else ("整" if exact else "")
        return f"{_period_zh(hour)}{twelve}点{tail}"
    twelve = hour % 12 or 12
    return f"{twelve}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def date_text(day: date, lang: str, weekday: bool = True) -> str:
    """12月1日，星期二 / Tuesday, December 1."""
    if lang == "zh":
        text = f"{day.month}月{day.day}日"
        return f"{text}，{WEEKDAYS_ZH[day.weekday()]}" if weekday else text
    text = f"{MONTHS_EN[day.month - 1]} {day.day}"
    return f"{WEEKDAYS_EN[day.weekday()]}, {text}" if weekday else text


def when_text(moment: datetime, today: date, lang: str) -> str:
    """An instant relative to ``today``: 明天早上7点 / 7:00 AM tomorrow / 12月3日 星期四 早上7点."""
    days = (moment.date() - today).days
    clock = clock_text(moment, lang)
    if lang == "zh":
        named = {0: "今天", 1: "明天", 2: "后天"}.get(days)
        day = named or f"{date_text(moment.date(), lang, weekday=False)}{WEEKDAYS_ZH[moment.weekday()]}"
        return f"{day}{clock}"
    day = {0: "today", 1: "tomorrow"}.get(days) or f"on {date_text(moment.date(), lang)}"
    return f"{clock} {day}"


class ClockSkill:
    """Tells the time, the date or the weekday."""

    manifest = SkillManifest(
        name="clock",
        kind=SkillKind.TOOL,
        intents=("time.query",),
        description="Tells the current time, date or weekday from the request's clock.",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        what = str(intent.slots.get("what") or "time").lower()
        now = ctx.now
        said = DaySaid.from_slots(intent.slots) or DaySaid(days=0)
        day = now.date() + timedelta(days=said.days_from(now.date()))
        zh_day, en_day = _day_words(said, day, now.date())
        if what == "date":
            named = said.weekday is None  # "下周一是12月7日": the weekday was said already
            return SkillResult(ctx.say(f"{zh_day}是{date_text(day, 'zh', named)}", f"{en_day} {date_text(day, 'en', named)}"))
        if what == "weekday":
            return SkillResult(ctx.say(f"{zh_day}是{WEEKDAYS_ZH[day.weekday()]}", f"{en_day} {WEEKDAYS_EN[day.weekday()]}"))
        if what != "time":
            _LOGGER.debug("time.query with what=%r: answering the time", what)
        return SkillResult(ctx.say(f"现在是{clock_text(now, 'zh', exact=True)}", f"It's {clock_text(now, 'en')}"))


_ZH_DAYS = {0: "今天", 1: "明天", 2: "后天", 3: "大后天", -1: "昨天", -2: "前天", -3: "大前天"}
_EN_DAYS = {0: "today", 1: "tomorrow", 2: "the day after tomorrow", -1: "yesterday", -2: "the day before yesterday"}


def _day_words(said: DaySaid, day: date, today: date) -> tuple[str, str]:
    """How the answer names the day asked about, in zh ("下周一", "明天") and in en with its verb ("Tomorrow is",
    "Yesterday was")."""
    offset = (day - today).days
    if said.weekday is not None:
        week = said.week
        ahead = "" if week is None else "这" if week == 0 else ("下" if week > 0 else "上") * abs(week)
        zh = f"{ahead}周{'一二三四五六日'[said.weekday]}"
        name = WEEKDAYS_EN[said.weekday]
        en = ({None: name, 0: f"this {name}", 1: f"next {name}", -1: f"last {name}"}.get(week)
              or f"{name} {abs(week or 0)} weeks {'from now' if (week or 0) > 0 else 'ago'}")
    else:
        zh = _ZH_DAYS.get(offset) or f"{abs(offset)}天{'后' if offset > 0 else '前'}"
        en = _EN_DAYS.get(offset) or (f"{offset} days from now" if offset > 0 else f"{-offset} days ago")
    return zh, f"{en[0].upper()}{en[1:]} {'was' if offset < 0 else 'is'}"
