"""Timers: set, cancel, pause, resume, lengthen and ask about countdowns kept per home in the :class:`Scheduler`.

A timer is a duration: it rings that long after it was set (plus what was added, minus
what was taken off, not counting the time it spent paused) on the home's notification
bus. A timer is named by its label ("the pasta timer") or by what it was set for ("the 5
minute timer"): both select it for every intent but timer.add_time, whose ``duration``
slot is the time to add (negative to take off).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from domain.errors import ScheduleError
from intents.types import Intent
from skills import phrases
from skills.devices.slot_values import number_slot
from skills.sdk import ActionReport, ActionStatus, Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult
from skills.utilities.entries import Entry
from skills.utilities.scheduler import ScheduledSkill
from skills.utilities.timer_words import (
    Selector,
    ask_which,
    changed_text,
    duration_text,
    left_text,
    none_text,
    status_text,
    timer_name,
    unchanged_text,
)

_LOGGER = logging.getLogger(__name__)

#: Longer than a day is an alarm, not a timer.
MAX_DURATION_S = 24 * 3600

#: A query lists at most this many timers by name; the rest are counted.
LIST_AT_MOST = 5


def seconds_slot(value: Any) -> float | None:
    """A positive number of seconds from a slot, else ``None``."""
    number = number_slot(value)
    return number if number is not None and number > 0 else None


def done_speech(duration: float, label: str, lang: str) -> str:
    """What the speaker says when the timer rings."""
    if lang == "zh":
        return f"{label}计时器时间到了" if label else f"{duration_text(duration, 'zh')}的计时器时间到了"
    return f"Your {label} timer is done" if label else f"Your {duration_text(duration, 'en', True)} timer is done"


def _selector(slots: Mapping[str, Any], by_duration: bool) -> Selector:
    # "name" is what the understanding layer may call the label of the newer timer intents
    label = str(slots.get("label") or slots.get("name") or "").strip()
    return Selector(label, seconds_slot(slots.get("duration")) if by_duration else None)


class TimerSkill(ScheduledSkill):
    """The timer.* intents on one shared :class:`Scheduler`."""

    manifest = SkillManifest(
        name="timers",
        kind=SkillKind.TOOL,
        intents=("timer.set", "timer.cancel", "timer.query", "timer.status", "timer.pause", "timer.resume", "timer.add_time"),
        description="Countdown timers per home that ring on the speaker they were set from; pause, resume, add or take off time.",
    )

    async def _handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        slots = intent.slots
        if intent.name == "timer.set":
            return await self._set(slots.get("duration"), _selector(slots, False).label, ctx)
        everything = slots.get("scope") == "all"
        selector = _selector(slots, intent.name != "timer.add_time")
        timers = selector.pick(await self._scheduler.entries(ctx.home.id, "timer"))
        if not timers:
            return SkillResult(none_text(selector, ctx))
        if intent.name == "timer.cancel":
            return await self._cancel(timers, selector, everything, ctx)
        if intent.name in ("timer.pause", "timer.resume"):
            return await self._pause(timers, selector, everything, intent.name == "timer.pause", ctx)
        if intent.name == "timer.add_time":
            return await self._add_time(timers, selector, number_slot(slots.get("duration")), ctx)
        return self._query(timers, ctx)

    async def _set(self, raw: Any, label: str, ctx: SkillContext) -> SkillResult:
        seconds = seconds_slot(raw)
        if seconds is None:
            return SkillResult(ctx.say("要定多长时间的计时器？", "How long should the timer be?"), awaiting=Awaiting.CLARIFICATION)
        if seconds > MAX_DURATION_S:
            too_long = ctx.say("计时器最长可以定24小时，更久的可以定个闹钟", "Timers run for up to 24 hours; for longer, set an alarm")
            return SkillResult(too_long)
        # the scheduler's clock, not the request's: a client clock far off (or in year 9999) must not move a countdown
        at = (self._scheduler.now() + timedelta(seconds=seconds)).astimezone(ctx.home.zone)
        entry = await self._scheduler.add(ctx.home.id, ctx.speaker_id, "timer", at, done_speech(seconds, label, ctx.lang),
                                          label=label, lang=ctx.lang, duration=seconds)
        if entry is None:
            limit = self._scheduler.max_per_home
            return SkillResult(ctx.say(f"已经有{limit}个计时器了，先取消一些再定吧", f"You already have {limit} timers; cancel some first"))
        _LOGGER.info("timer %s set in home %s for %.0f s", entry.id, ctx.home.id, seconds)
        length_zh, length_en = duration_text(seconds, "zh"), duration_text(seconds, "en", True)
        speech = ctx.say(f"{length_zh}的{label}计时器开始了", f"{length_en} {label + ' ' if label else ''}timer started")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), (_report(entry, "set"),))

    async def _cancel(self, timers: list[Entry], selector: Selector, everything: bool, ctx: SkillContext) -> SkillResult:
        if len(timers) > 1 and not everything and not selector:
            return ask_which(len(timers), ctx.say("取消", "cancel"), ctx)
        cancelled = [t for t in timers if await self._scheduler.remove(t)]
        if not cancelled:  # rang (or was cancelled elsewhere) while we spoke
            return SkillResult(none_text(selector, ctx))
        reports = tuple(_report(t, "cancel") for t in cancelled)
        if len(cancelled) == 1:
            name = timer_name(cancelled[0], ctx.lang)
            speech = ctx.say(f"{name}已取消", f"{name} is cancelled")
        else:
            speech = ctx.say(f"{len(cancelled)}个计时器都已取消", f"all {len(cancelled)} timers are cancelled")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), reports)

    async def _pause(self, timers: list[Entry], selector: Selector, everything: bool, pause: bool, ctx: SkillContext) -> SkillResult:
        todo = [t for t in timers if (t.paused_left is None) == pause]
        if not todo:
            return SkillResult(unchanged_text(timers, pause, ctx))
        if len(todo) > 1 and not everything and not selector:
            return ask_which(len(todo), ctx.say("暂停" if pause else "继续", "pause" if pause else "resume"), ctx)
        now, changed = self._scheduler.now(), []
        for timer in todo:
            left = max(1.0, self._scheduler.remaining(timer))
            moved = replace(timer, paused_left=left) if pause else replace(timer, at=now + timedelta(seconds=left), paused_left=None)
            changed.append(await self._scheduler.update(moved))
        speeches = [changed_text(t, left_text(self._scheduler.remaining(t), ctx.lang), pause, ctx) for t in changed]
        return SkillResult(phrases.compose(speeches, ctx.lang, acknowledged=True),
                           tuple(_report(t, "pause" if pause else "resume") for t in changed))

    async def _add_time(self, timers: list[Entry], selector: Selector, delta: float | None, ctx: SkillContext) -> SkillResult:
        if delta is None or delta == 0 or not math.isfinite(delta):
            return SkillResult(ctx.say("要加或减多长时间？", "How much time should I add or take off?"), awaiting=Awaiting.CLARIFICATION)
        if len(timers) > 1 and not selector:
            return ask_which(len(timers), ctx.say("调整", "change"), ctx)
        timer = timers[0]
        name, amount = timer_name(timer, ctx.lang), duration_text(abs(delta), ctx.lang)
        left = self._scheduler.remaining(timer) + delta
        if left < 1:
            now_left = left_text(self._scheduler.remaining(timer), ctx.lang)
            return SkillResult(ctx.say(f"{name}只剩{now_left}了，减不了{amount}", f"{name[0].upper()}{name[1:]} has only {now_left} left"))
        if left > MAX_DURATION_S:
            return SkillResult(ctx.say("计时器最长可以定24小时", "Timers run for up to 24 hours"))
        if timer.paused_left is not None:
            changed = replace(timer, paused_left=left)
        else:
            changed = replace(timer, at=timer.at + timedelta(seconds=delta))
        try:
            changed = await self._scheduler.update(changed)
        except ScheduleError:
            _LOGGER.exception("timer %s of home %s could not be changed by %.0f s", timer.id, ctx.home.id, delta)
            return SkillResult(ctx.say("这个计时器改不了", "I can't change that timer"))
        said = left_text(self._scheduler.remaining(changed), ctx.lang)
        if delta > 0:
            speech = ctx.say(f"{name}加了{amount}，还剩{said}", f"added {amount} to {name}, {said} left")
        else:
            speech = ctx.say(f"{name}减了{amount}，还剩{said}", f"took {amount} off {name}, {said} left")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), (_report(changed, "add_time"),))

    def _query(self, timers: list[Entry], ctx: SkillContext) -> SkillResult:
        said = [status_text(t, left_text(self._scheduler.remaining(t), ctx.lang), ctx) for t in timers[:LIST_AT_MOST]]
        if len(timers) == 1:
            return SkillResult(said[0] if ctx.lang == "zh" else said[0][0].upper() + said[0][1:])
        more = len(timers) - len(said)
        if ctx.lang == "zh":
            return SkillResult(f"现在有{len(timers)}个计时器：" + "，".join(said) + (f"，还有{more}个" if more else ""))
        return SkillResult(f"You have {len(timers)} timers: " + "; ".join(said) + (f"; and {more} more" if more else ""))


def _report(entry: Entry, command: str) -> ActionReport:
    params = {"id": entry.id, "duration": entry.duration, "label": entry.label, "at": entry.at.isoformat(),
              "paused": entry.paused_left is not None}
    return ActionReport(device=entry.speaker_id, command=f"timer.{command}", params=params, status=ActionStatus.DONE)
