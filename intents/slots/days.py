"""Days said relative to today: 明天, 后天, 昨天, 三天后, 下周一, "the day after tomorrow", "next monday".

A question about a day ("明天星期几", "下周一是几号") and the day of an alarm ("下周一早上七点叫我") read
them here. A day is kept as it was said, a count of days or a weekday in a week, and resolved against the
request's clock only when used (:meth:`DaySaid.days_from`), so a slot never carries a stale date. Weeks
start on Monday: on a Tuesday "下周一" is six days away, "周一" (the next Monday) six as well, "这周一" yesterday.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeGuard

from intents.numbers import en_to_number, zh_to_number

_LOGGER = logging.getLogger(__name__)

#: Farthest a day may be from today, in days or weeks (a slot from an LLM is checked against these).
MAX_DAYS = 3660
MAX_WEEKS = 520

_ZH_NAMED = (("大前天", -3), ("前天", -2), ("昨天", -1), ("昨日", -1), ("今天", 0), ("今日", 0), ("今早", 0), ("今晚", 0),
             ("大后天", 3), ("后天", 2), ("明天", 1), ("明日", 1), ("明早", 1), ("明晚", 1))
_ZH_WEEKDAYS = "一二三四五六日天"
_ZH_COUNT = re.compile(r"(?:过)?(?P<n>\d+|[零一二两三四五六七八九十百]+)个?(?P<u>天|星期|礼拜|周)"
                       r"(?P<dir>以后|之后|后|以前|之前|前)?")
_ZH_WEEKDAY = re.compile(rf"(?P<week>(?:下|上)+|这|本)?个?(?:周|星期|礼拜)(?P<wd>[{_ZH_WEEKDAYS}])")

_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN_NAMED = (("day before yesterday", -2), ("day after tomorrow", 2), ("yesterday", -1), ("tomorrow", 1),
             ("tmrw", 1), ("today", 0), ("tonight", 0), ("this morning", 0), ("this afternoon", 0), ("this evening", 0))
_EN_NUM = r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty"
_EN_COUNT = re.compile(rf"(?<![a-z])(?:(?P<in>in|after) )?(?P<n>{_EN_NUM}) (?P<u>days?|weeks?)"
                       r"(?P<dir> ago| from (?:now|today)| later| before| earlier)?(?![a-z])")
_EN_WEEKDAY = re.compile(rf"(?<![a-z])(?:(?P<week>next|last|this|coming) )?(?P<wd>{'|'.join(_EN_WEEKDAYS)})s?(?![a-z])")


@dataclass(frozen=True)
class DaySaid:
    """A day said relative to today.

    ``days``: how many days from today (明天 1, 昨天 -1, "in 3 days" 3); or ``weekday`` (0 = Monday)
    in ``week``, counted from this one (下周 1, 上周 -1, 这周 0; ``None``: the next such day, today included).
    """

    days: int | None = None
    weekday: int | None = None
    week: int | None = None

    def days_from(self, today: date) -> int:
        """How many days from ``today`` the day said is (negative: in the past)."""
        if self.weekday is None:
            return self.days or 0
        if self.week is None:
            return (self.weekday - today.weekday()) % 7
        return 7 * self.week + self.weekday - today.weekday()

    @property
    def is_today(self) -> bool:
        return self.weekday is None and not self.days

    def slots(self) -> dict[str, int]:
        """The slots of a ``time.query`` that carry this day."""
        if self.weekday is None:
            return {"days": self.days or 0}
        return {"weekday": self.weekday} | ({} if self.week is None else {"week": self.week})

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> DaySaid | None:
        """The day in ``slots`` (from :meth:`slots`, or an LLM's plan), or ``None`` when none or out of range."""
        days, weekday, week = slots.get("days"), slots.get("weekday"), slots.get("week")
        if _whole(weekday) and 0 <= weekday <= 6 and (week is None or (_whole(week) and abs(week) <= MAX_WEEKS)):
            return cls(weekday=weekday, week=week)
        if _whole(days) and abs(days) <= MAX_DAYS:
            return cls(days=days)
        if any(v is not None for v in (days, weekday, week)):
            _LOGGER.info("a day that cannot be: days=%r weekday=%r week=%r", days, weekday, week)
        return None


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def day_said(text: str, lang: str) -> DaySaid | None:
    """The day ``text`` (a normalised clause) names relative to today, or ``None`` if it names none."""
    return _zh_day(text) if lang == "zh" else _en_day(text)


def _zh_day(text: str) -> DaySaid | None:
    for m in _ZH_COUNT.finditer(text):
        n = zh_to_number(m.group("n")) if not m.group("n").isdigit() else float(m.group("n"))
        if n is not None and n <= MAX_DAYS and (m.group("dir") or m.group(0).startswith("过")):
            days = int(n) * (1 if m.group("u") == "天" else 7)
            return DaySaid(days=-days if "前" in (m.group("dir") or "") else days)
    for word, days in _ZH_NAMED:
        if word in text:
            return DaySaid(days=days)
    named = _ZH_WEEKDAY.search(text)
    if named:
        said = named.group("week") or ""
        week = None if not said else 0 if said in ("这", "本") else said.count("下") - said.count("上")
        return DaySaid(weekday=min(_ZH_WEEKDAYS.index(named.group("wd")), 6), week=week)
    return None


def _en_day(text: str) -> DaySaid | None:
    for m in _EN_COUNT.finditer(text):
        n = float(m.group("n")) if m.group("n").isdigit() else en_to_number(m.group("n"))
        if n is not None and n <= MAX_DAYS and (m.group("in") or m.group("dir")):
            days = int(n) * (7 if m.group("u").startswith("week") else 1)
            return DaySaid(days=-days if (m.group("dir") or "").strip() in ("ago", "before", "earlier") else days)
    for word, days in _EN_NAMED:
        if re.search(rf"(?<![a-z]){word}(?![a-z])", text):
            return DaySaid(days=days)
    named = _EN_WEEKDAY.search(text)
    if named:
        week = {"next": 1, "last": -1}.get(named.group("week") or "")
        return DaySaid(weekday=_EN_WEEKDAYS.index(named.group("wd")), week=week)
    return None
