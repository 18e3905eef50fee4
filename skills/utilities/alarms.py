"""Alarms and reminders: wall-clock instants per home, fired by the :class:`Scheduler`.

The understanding layer resolves "明天早上七点" against the request clock into an ISO
datetime with its UTC offset; this skill checks it, keeps it and says it back in the
request's words ("明天早上7点" / "7:00 AM tomorrow"). Reminders have no intents of their
own to list or cancel them, so alarm.query mentions them and alarm.cancel falls back to
a reminder at exactly the named time.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from domain.errors import ScheduleError
from intents.types import Intent
from skills import phrases
from skills.sdk import ActionReport, ActionStatus, Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult
from skills.utilities.clock import clock_text, home_clock, when_text
from skills.utilities.entries import REPEATS, Entry, first_occurrence, next_occurrence, occurs_on
from skills.utilities.scheduler import ScheduledSkill

_LOGGER = logging.getLogger(__name__)

REPEAT_WORDS = {"daily": ("每天", "every day"), "weekdays": ("工作日", "on weekdays"), "weekends": ("周末", "on weekends")}

#: alarm.query names at most this many of each kind.
LIST_AT_MOST = 5


def parse_instant(value: Any, ctx: SkillContext) -> datetime | None:
    """An aware datetime from an ISO slot; a missing offset is taken as the request clock's."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and "T" in value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ctx.now.tzinfo)


def parse_day(value: Any) -> date | None:
    if isinstance(value, str) and "T" not in value:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def alarm_when(entry: Entry, ctx: SkillContext) -> str:
    """每天早上7点 / 7:00 AM every day, or 明天早上7点 / 7:00 AM tomorrow for a one-off."""
    local = entry.at.astimezone(ctx.now.tzinfo)
    if entry.repeat:
        zh, en = REPEAT_WORDS[entry.repeat]
        return ctx.say(f"{zh}{clock_text(local, 'zh')}", f"{clock_text(local, 'en')} {en}")
    return when_text(local, ctx.now.date(), ctx.lang)


def _ring_speech(at: datetime, label: str, lang: str) -> str:
    clock = clock_text(at, lang, exact=True)
    if lang == "zh":
        return f"现在是{clock}，{label}闹钟响了" if label else f"现在是{clock}，闹钟响了"
    return f"It's {clock}. Your {label} alarm is ringing" if label else f"It's {clock}. This is your alarm"


def _remind_speech(content: str, lang: str) -> str:
    return f"提醒你：{content}" if lang == "zh" else f"Reminder: {content}"


class AlarmSkill(ScheduledSkill):
    """alarm.set / alarm.cancel / alarm.query / reminder.set on one shared :class:`Scheduler`."""

    manifest = SkillManifest(
        name="alarms",
        kind=SkillKind.TOOL,
        intents=("alarm.set", "alarm.cancel", "alarm.query", "reminder.set"),
        description="Alarms (one-off or repeating) and reminders per home, rung on the speaker they were set from.",
    )

    async def _handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        slots = intent.slots
        ctx = home_clock(ctx)
        try:
            if intent.name == "alarm.set":
                return await self._set_alarm(slots, ctx)
            if intent.name == "reminder.set":
                return await self._set_reminder(slots, ctx)
        except ScheduleError as err:
            _LOGGER.info("%s refused: %s", intent.name, err.message)
            return SkillResult(ctx.say("这个时间定不了，只能定在一年以内", "I can't set that time; it has to be within a year"))
        if intent.name == "alarm.cancel":
            return await self._cancel(slots.get("datetime"), ctx)
        return await self._query(ctx)

    async def _set_alarm(self, slots: Any, ctx: SkillContext) -> SkillResult:
        at = parse_instant(slots.get("datetime"), ctx)
        if at is None:
            return SkillResult(ctx.say("闹钟要定在几点？", "What time should the alarm be for?"), awaiting=Awaiting.CLARIFICATION)
        self._scheduler.check_instant(at)  # before any day arithmetic: a clock near year 9999 would overflow it
        repeat = slots.get("repeat") or None
        if repeat is not None and repeat not in REPEATS:
            _LOGGER.info("alarm.set with unknown repeat %r: setting a one-off alarm", repeat)
            repeat = None
        if repeat:
            at = first_occurrence(at, repeat, ctx.now)
        elif at <= ctx.now:
            return SkillResult(ctx.say("这个时间已经过去了，要定在什么时候？", "That time has already passed. When should the alarm be?"),
                               awaiting=Awaiting.CLARIFICATION)
        label = str(slots.get("label") or "").strip()
        if any(a.at == at and a.repeat == repeat for a in await self._scheduler.entries(ctx.home.id, "alarm")):
            probe = Entry("", ctx.home.id, ctx.speaker_id, "alarm", at, "", repeat=repeat)
            when = alarm_when(probe, ctx)
            return SkillResult(ctx.say(f"{when}已经有一个闹钟了", f"You already have an alarm for {when}"))
        entry = await self._scheduler.add(ctx.home.id, ctx.speaker_id, "alarm", at, _ring_speech(at, label, ctx.lang),
                                    label=label, lang=ctx.lang, repeat=repeat)
        if entry is None:
            return SkillResult(self._full_text("闹钟", "alarms", ctx))
        _LOGGER.info("alarm %s set in home %s for %s (repeat %s)", entry.id, ctx.home.id, at.isoformat(), repeat)
        when = alarm_when(entry, ctx)
        speech = ctx.say(f"{when}的{label}闹钟定好了", f"{label + ' ' if label else ''}alarm set for {when}")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), (_report(entry, "alarm.set"),))

    async def _set_reminder(self, slots: Any, ctx: SkillContext) -> SkillResult:
        at = parse_instant(slots.get("datetime"), ctx)
        content = str(slots.get("content") or "").strip()
        if at is None:
            what = f"什么时候提醒你{content}？" if content else "什么时候提醒你？"
            return SkillResult(ctx.say(what, "When should I remind you?"), awaiting=Awaiting.CLARIFICATION)
        if not content:
            return SkillResult(ctx.say("要提醒你什么事？", "What should I remind you about?"), awaiting=Awaiting.CLARIFICATION)
        if at <= ctx.now:
            passed = ctx.say("这个时间已经过去了，要在什么时候提醒你？", "That time has already passed. When should I remind you?")
            return SkillResult(passed, awaiting=Awaiting.CLARIFICATION)
        entry = await self._scheduler.add(ctx.home.id, ctx.speaker_id, "reminder", at, _remind_speech(content, ctx.lang),
                                    label=content, lang=ctx.lang, content=content)
        if entry is None:
            return SkillResult(self._full_text("提醒", "reminders", ctx))
        when = when_text(at.astimezone(ctx.now.tzinfo), ctx.now.date(), ctx.lang)
        speech = ctx.say(f"{when}提醒你{content}", f"I'll remind you at {when}: {content}")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), (_report(entry, "reminder.set"),))

    async def _cancel(self, raw: Any, ctx: SkillContext) -> SkillResult:
        alarms = await self._scheduler.entries(ctx.home.id, "alarm")
        skipped: list[Entry] = []
        if raw in (None, ""):
            chosen = alarms[:1]
        elif (day := parse_day(raw)) is not None:
            on_day = [a for a in alarms if a.at.astimezone(ctx.now.tzinfo).date() == day]
            chosen = [a for a in on_day if not a.repeat]
            skipped = [a for a in on_day if a.repeat]
        elif (at := parse_instant(raw, ctx)) is not None:
            chosen = [a for a in alarms if a.at == at or repeats_at(a, at)]
            if not chosen:
                chosen = [r for r in await self._scheduler.entries(ctx.home.id, "reminder") if r.at == at]
        else:
            return SkillResult(ctx.say("要取消哪一天或几点的闹钟？", "Which alarm should I cancel?"), awaiting=Awaiting.CLARIFICATION)
        if not chosen and not skipped:
            return SkillResult(ctx.say("没有找到这个时间的闹钟" if alarms else "你还没有定闹钟",
                                       "I couldn't find an alarm at that time" if alarms else "You have no alarms set"))
        speeches, reports = [], []
        for entry in chosen:
            await self._scheduler.remove(entry)
            reports.append(_report(entry, f"{entry.kind}.cancel"))
            when = alarm_when(entry, ctx)
            if entry.kind == "reminder":
                speeches.append(ctx.say(f"{when}的提醒（{entry.content}）已取消", f"the reminder at {when} ({entry.content}) is cancelled"))
            else:
                speeches.append(ctx.say(f"{when}的闹钟已取消", f"the alarm for {when} is cancelled"))
        for entry in skipped:
            when = alarm_when(entry, ctx)
            moved = await self._scheduler.update(replace(entry, at=next_occurrence(entry.at, entry.repeat, entry.at)))
            reports.append(_report(moved, "alarm.skip"))
            skip_zh, skip_en = f"{when}的闹钟这次不响了，以后照常", f"the alarm for {when} will skip that day, then ring as usual"
            speeches.append(ctx.say(skip_zh, skip_en))
        return SkillResult(phrases.compose(speeches, ctx.lang, acknowledged=True), tuple(reports))

    async def _query(self, ctx: SkillContext) -> SkillResult:
        alarms = await self._scheduler.entries(ctx.home.id, "alarm")
        reminders = await self._scheduler.entries(ctx.home.id, "reminder")
        if not alarms and not reminders:
            return SkillResult(ctx.say("你还没有定闹钟", "You have no alarms set"))
        zh = ctx.lang == "zh"
        if alarms:
            listed = listing([alarm_when(a, ctx) for a in alarms], ctx.lang)
            first = f"你有{len(alarms)}个闹钟：{listed}" if zh else f"You have {count_text(len(alarms), 'alarm')}: {listed}."
        else:
            first = "你没有定闹钟" if zh else "You have no alarms set."
        if not reminders:
            return SkillResult(first)
        listed = listing([f"{alarm_when(r, ctx)}{'，' if zh else ', '}{r.content}" for r in reminders], ctx.lang)
        if zh:
            second = f"{'还' if alarms else '不过'}有{len(reminders)}个提醒：{listed}"
        else:
            second = f"You {'also ' if alarms else ''}have {count_text(len(reminders), 'reminder')}: {listed}."
        return SkillResult(f"{first}。{second}" if zh else f"{first} {second}")

    def _full_text(self, zh: str, en: str, ctx: SkillContext) -> str:
        limit = self._scheduler.max_per_home
        return ctx.say(f"已经有{limit}个{zh}了，先取消一些再定吧", f"You already have {limit} {en}; cancel some first")


def repeats_at(alarm: Entry, at: datetime) -> bool:
    """Whether a repeating ``alarm`` rings at ``at`` (same time of day, on a day it repeats)."""
    local = at.astimezone(alarm.at.tzinfo)
    return bool(alarm.repeat) and (alarm.at.hour, alarm.at.minute) == (local.hour, local.minute) and occurs_on(local, alarm.repeat)


def count_text(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def listing(items: list[str], lang: str) -> str:
    shown, more = items[:LIST_AT_MOST], len(items) - LIST_AT_MOST
    if lang == "zh":
        return "；".join(shown) + (f"；还有{more}个" if more > 0 else "")
    if more > 0:
        return "; ".join(shown) + f"; and {more} more"
    return shown[0] if len(shown) == 1 else "; ".join(shown[:-1]) + "; and " + shown[-1]


def _report(entry: Entry, command: str) -> ActionReport:
    params = {"id": entry.id, "at": entry.at.isoformat(), "repeat": entry.repeat or "", "label": entry.label}
    return ActionReport(device=entry.speaker_id, command=command, params=params, status=ActionStatus.DONE)
