"""Timers: set, cancel and ask about countdowns kept per home in the :class:`Scheduler`.

A timer is a duration, not an instant: it counts on the scheduler's monotonic clock
from the moment it is set, and rings on the home's notification bus when it is done.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import Any

from intents.types import Intent
from skills import phrases
from skills.devices.slot_values import number_slot
from skills.sdk import ActionReport, ActionStatus, Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult
from skills.utilities.scheduler import Entry, Scheduler

_LOGGER = logging.getLogger(__name__)

#: Longer than a day is an alarm, not a timer.
MAX_DURATION_S = 24 * 3600

#: A query lists at most this many timers by name; the rest are counted.
LIST_AT_MOST = 5


def seconds_slot(value: Any) -> float | None:
    """A positive number of seconds from a slot, else ``None``."""
    number = number_slot(value)
    return number if number is not None and number > 0 else None


def duration_text(seconds: float, lang: str, adjective: bool = False) -> str:
    """1小时30分钟 / 1分30秒 / 1 hour 30 minutes; ``adjective`` gives "10 minute" (as in "10 minute timer")."""
    total = max(1, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if lang == "zh":
        parts = [f"{hours}小时" if hours else "", f"{minutes}{'分' if secs else '分钟'}" if minutes else "", f"{secs}秒" if secs else ""]
        return "".join(parts)
    words = []
    for count, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")):
        if count:
            words.append(f"{count} {unit}" + ("" if adjective or count == 1 else "s"))
    return " ".join(words)


def timer_name(entry: Entry, lang: str) -> str:
    """煮鸡蛋计时器 / 10分钟的计时器 ; the pasta timer / the 10 minute timer."""
    if entry.label:
        return f"{entry.label}计时器" if lang == "zh" else f"the {entry.label} timer"
    return f"{duration_text(entry.duration, 'zh')}的计时器" if lang == "zh" else f"the {duration_text(entry.duration, 'en', True)} timer"


def done_speech(duration: float, label: str, lang: str) -> str:
    """What the speaker says when the timer rings."""
    if lang == "zh":
        return f"{label}计时器时间到了" if label else f"{duration_text(duration, 'zh')}的计时器时间到了"
    return f"Your {label} timer is done" if label else f"Your {duration_text(duration, 'en', True)} timer is done"


class TimerSkill:
    """timer.set / timer.cancel / timer.query on one shared :class:`Scheduler`."""

    manifest = SkillManifest(
        name="timers",
        kind=SkillKind.TOOL,
        intents=("timer.set", "timer.cancel", "timer.query"),
        description="Countdown timers per home that ring on the speaker they were set from.",
    )

    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        label = str(intent.slots.get("label") or "").strip()
        if intent.name == "timer.set":
            return self._set(intent.slots.get("duration"), label, ctx)
        timers = self._scheduler.entries(ctx.home.id, "timer")
        if label:
            timers = [t for t in timers if t.label.casefold() == label.casefold()]
        if intent.name == "timer.cancel":
            return self._cancel(timers, label, intent.slots.get("scope") == "all", ctx)
        return self._query(timers, label, ctx)

    def _set(self, raw: Any, label: str, ctx: SkillContext) -> SkillResult:
        seconds = seconds_slot(raw)
        if seconds is None:
            return SkillResult(ctx.say("要定多长时间的计时器？", "How long should the timer be?"), awaiting=Awaiting.CLARIFICATION)
        if seconds > MAX_DURATION_S:
            too_long = ctx.say("计时器最长可以定24小时，更久的可以定个闹钟", "Timers run for up to 24 hours; for longer, set an alarm")
            return SkillResult(too_long)
        entry = self._scheduler.add(
            ctx.home.id, ctx.speaker_id, "timer", ctx.now + timedelta(seconds=seconds),
            done_speech(seconds, label, ctx.lang), label=label, lang=ctx.lang, duration=seconds,
        )
        if entry is None:
            limit = self._scheduler.max_per_home
            return SkillResult(ctx.say(f"已经有{limit}个计时器了，先取消一些再定吧", f"You already have {limit} timers; cancel some first"))
        _LOGGER.info("timer %d set in home %s for %.0f s", entry.id, ctx.home.id, seconds)
        length_zh, length_en = duration_text(seconds, "zh"), duration_text(seconds, "en", True)
        speech = ctx.say(f"{length_zh}的{label}计时器开始了", f"{length_en} {label + ' ' if label else ''}timer started")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), (_report(entry, "set"),))

    def _cancel(self, timers: list[Entry], label: str, everything: bool, ctx: SkillContext) -> SkillResult:
        if not timers:
            return SkillResult(_none_text(label, ctx))
        if len(timers) > 1 and not everything and not label:
            count = len(timers)
            which_zh = f"现在有{count}个计时器，要取消哪一个？还是全部取消？"
            which_en = f"You have {count} timers. Which one should I cancel, or all of them?"
            return SkillResult(ctx.say(which_zh, which_en), awaiting=Awaiting.CLARIFICATION)
        for timer in timers:
            self._scheduler.remove(timer.id)
        reports = tuple(_report(t, "cancel") for t in timers)
        if len(timers) == 1:
            name = timer_name(timers[0], ctx.lang)
            speech = ctx.say(f"{name}已取消", f"{name} is cancelled")
        else:
            speech = ctx.say(f"{len(timers)}个计时器都已取消", f"all {len(timers)} timers are cancelled")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), reports)

    def _query(self, timers: list[Entry], label: str, ctx: SkillContext) -> SkillResult:
        if not timers:
            return SkillResult(_none_text(label, ctx))
        left = [(timer_name(t, ctx.lang), self._left(t, ctx.lang)) for t in timers[:LIST_AT_MOST]]
        if len(timers) == 1:
            name, time_left = left[0]
            return SkillResult(ctx.say(f"{name}还剩{time_left}", f"{name[0].upper()}{name[1:]} has {time_left} left"))
        more = len(timers) - len(left)
        if ctx.lang == "zh":
            listed = "，".join(f"{name}还剩{time_left}" for name, time_left in left)
            return SkillResult(f"现在有{len(timers)}个计时器：{listed}" + (f"，还有{more}个" if more else ""))
        listed = "; ".join(f"{name} has {time_left} left" for name, time_left in left)
        return SkillResult(f"You have {len(timers)} timers: {listed}" + (f"; and {more} more" if more else ""))

    def _left(self, entry: Entry, lang: str) -> str:
        remaining = self._scheduler.remaining(entry)
        if remaining < 1:
            return "不到1秒" if lang == "zh" else "less than a second"
        return duration_text(remaining, lang)


def _none_text(label: str, ctx: SkillContext) -> str:
    if label:
        return ctx.say(f"没有找到{label}计时器", f"I couldn't find a {label} timer")
    return ctx.say("现在没有计时器", "You have no timers running")


def _report(entry: Entry, command: str) -> ActionReport:
    params = {"id": entry.id, "duration": entry.duration, "label": entry.label, "at": entry.at.isoformat()}
    return ActionReport(device=entry.speaker_id, command=f"timer.{command}", params=params, status=ActionStatus.DONE)
