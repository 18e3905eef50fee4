"""Device commands said with a time ("十分钟后关掉电视", "turn off the lights at 11 pm", "每天早上七点打开窗帘"):
kept as scheduled tasks in the :class:`Scheduler`, listed, cancelled and moved like alarms.

This skill serves the device intents: one without a ``when`` slot goes straight to the device
skill it wraps; one with it is checked now as the device skill would check it (the device exists,
which one is meant, the change is supported) and kept with its device ids pinned, so "the light"
at 11 pm is the light the user was answered about. A risky change (unlocking, a camera off, a water
heater above 60 °C) is never scheduled: the safety gate holds it for a confirmation that has to be
given when it happens, and nobody is there to give it at 11 pm; the answer says so and nothing is
kept. When one fires, :mod:`skills.utilities.scheduled_firing` runs it through the device skill
again, safety gate and all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from domain.errors import ScheduleError
from intents.slots.time import TIME_HINT, parse_when, resolve_when
from intents.types import Intent
from skills import phrases
from skills.devices.changes import plan_change
from skills.devices.control import what_text
from skills.devices.safety import is_risky_change
from skills.devices.targeting import resolve_targets
from skills.sdk import ActionReport, ActionStatus, Awaiting, Skill, SkillContext, SkillKind, SkillManifest, SkillResult
from skills.utilities.alarms import parse_instant, repeats_at
from skills.utilities.clock import home_clock
from skills.utilities.entries import REPEATS, Entry, first_occurrence, next_occurrence, occurs_on
from skills.utilities.scheduled_words import (
    action_text,
    not_found_text,
    risky_text,
    scheduled_text,
    task_text,
    tasks_text,
    unrun_speech,
    untimed_text,
    which_task_text,
)
from skills.utilities.scheduler import ScheduledSkill, Scheduler

_LOGGER = logging.getLogger(__name__)

KIND = "scheduled"
DEVICE_INTENTS = ("device.turn_on", "device.turn_off", "device.set", "device.adjust")
SCHEDULE_INTENTS = ("schedule.query", "schedule.cancel", "schedule.change")
#: Slots that chose the devices; a scheduled command keeps the chosen ids instead.
_TARGETING = ("device", "devices", "device_type", "room", "scope", "exclude", "when")


def command_slots(slots: Mapping[str, Any], devices: list[str]) -> dict[str, Any]:
    """The slots a scheduled command runs with: what to do, to exactly these devices."""
    return {**{k: v for k, v in slots.items() if k not in _TARGETING}, "devices": devices}


class ScheduledDevices(ScheduledSkill):
    """The device intents (now, or at a time) and the schedule.* intents, around ``devices``."""

    def __init__(self, devices: Skill, scheduler: Scheduler) -> None:
        super().__init__(scheduler)
        self._devices = devices
        self.manifest = SkillManifest(
            name=devices.manifest.name,
            kind=SkillKind.TOOL,
            intents=(*devices.manifest.intents, *SCHEDULE_INTENTS),
            description=devices.manifest.description + " Said with a time, scheduled: listed, cancelled and moved like alarms.",
        )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        if intent.name in DEVICE_INTENTS and not intent.slots.get("when"):
            if TIME_HINT[ctx.lang].search(intent.text or ""):
                # a time was said but not understood ("after lunch", "等会儿"): doing it now would be wrong
                _LOGGER.info("home %s: %s said with a time not understood, nothing done", ctx.home.id, intent.name)
                return SkillResult(untimed_text(ctx))
            return await self._devices.handle(intent, ctx)
        return await super().handle(intent, ctx)

    async def _handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        ctx = home_clock(ctx)
        if intent.name == "schedule.query":
            return SkillResult(tasks_text(await self._scheduler.entries(ctx.home.id, KIND), ctx))
        if intent.name in ("schedule.cancel", "schedule.change"):
            return await self._pick_then(intent, ctx)
        return await self._schedule(intent, ctx)

    # -- scheduling ------------------------------------------------------------------

    async def _schedule(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        words = str(intent.slots.get("when") or "")
        when = resolve_when(words, f"{words} {intent.text}", ctx.lang, ctx.now)
        repeat = when.repeat if when.repeat in REPEATS else None
        if when.delay_s is not None:  # a countdown runs on the scheduler's clock, like a timer, and is said on it
            ctx = replace(ctx, now=self._scheduler.now().astimezone(ctx.now.tzinfo))
            at: datetime | None = ctx.now + timedelta(seconds=when.delay_s)
        else:
            at = when.at
        if at is None:
            return SkillResult(ctx.say("要定在几点？请连同时间再说一遍，比如“每天早上七点打开窗帘”",
                                       "At what time? Say it again with the time, like “open the curtains at 7 am every day”."))
        targets = resolve_targets(intent.name, intent.slots, ctx.devices.devices(), ctx.speaker_room)
        if targets.missing:
            return SkillResult(phrases.not_found_text(what_text(intent, ctx), ctx.lang))
        if targets.ambiguous:
            return SkillResult(phrases.which_one_text(targets.candidates[:8], ctx.lang), awaiting=Awaiting.CLARIFICATION,
                               candidates=tuple(d.id for d in targets.candidates))
        problems, risky = [], []
        for device in targets.devices:
            change = plan_change(intent.name, intent.slots, device, ctx.devices.state(device.id))
            if change.error:
                problems.append(phrases.unsupported_text(device, change.attribute, ctx.lang))
            elif is_risky_change(device, change.changes):
                risky.append(phrases.describe_change(device, dict(change.changes), ctx.lang))
        if risky:
            _LOGGER.info("home %s: refusing to schedule a risky change (%s)", ctx.home.id, ", ".join(risky))
            return SkillResult(risky_text(phrases.names_sep(risky, ctx.lang), ctx),
                               actions=(ActionReport("", f"{intent.name}.schedule", {}, ActionStatus.REJECTED, "risky"),))
        if problems:
            return SkillResult(phrases.compose(problems, ctx.lang, acknowledged=False))
        try:
            self._scheduler.check_instant(at)
            if repeat:
                at = first_occurrence(at, repeat, ctx.now)
            if ctx.now < at <= self._scheduler.now():  # a client clock behind ours: that time of day, next on ours
                at = next_occurrence(at, repeat, self._scheduler.now())
            if at <= ctx.now:
                return SkillResult(ctx.say("这个时间已经过去了，要定在什么时候？", "That time has already passed. When should it be?"))
            return await self._add(intent, list(targets.devices), at, repeat, ctx)
        except ScheduleError as err:
            _LOGGER.info("scheduling %s refused: %s", intent.name, err.message)
            return SkillResult(ctx.say("这个时间定不了，只能定在一年以内", "I can't schedule that time; it has to be within a year"))

    async def _add(self, intent: Intent, devices: list, at: datetime, repeat: str | None, ctx: SkillContext) -> SkillResult:
        content = action_text(intent.name, intent.slots, devices, ctx.lang)
        command = {"intent": intent.name, "slots": command_slots(intent.slots, [d.id for d in devices]), "set_at": time.time()}
        entry = await self._scheduler.add(ctx.home.id, ctx.speaker_id, KIND, at, unrun_speech(content, ctx.lang),
                                          label=content, lang=ctx.lang, repeat=repeat, content=content, command=command)
        if entry is None:
            limit = self._scheduler.max_per_home
            return SkillResult(ctx.say(f"已经有{limit}个定时任务了，先取消一些再定吧",
                                       f"You already have {limit} scheduled tasks; cancel some first"))
        _LOGGER.info("scheduled %s %s in home %s for %s (repeat %s)", intent.name, entry.id, ctx.home.id, at.isoformat(), repeat)
        return SkillResult(phrases.compose([scheduled_text(entry, ctx)], ctx.lang, acknowledged=True), (_report(entry, "set"),))

    # -- listing, cancelling, moving -------------------------------------------------

    async def _pick_then(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        tasks = await self._scheduler.entries(ctx.home.id, KIND)
        slots = intent.slots
        everything = slots.get("scope") == "all"
        chosen = pick(tasks, slots, ctx)
        if not chosen:
            return SkillResult(not_found_text(bool(tasks), ctx))
        cancel = intent.name == "schedule.cancel"
        if len(chosen) > 1 and not (cancel and everything):
            if cancel or _named(slots):
                verb = ("取消", "cancel") if cancel else ("改", "change")
                return SkillResult(which_task_text(chosen, *verb, ctx), awaiting=Awaiting.CLARIFICATION)
            chosen = [max(chosen, key=lambda e: float(e.command.get("set_at") or 0.0))]  # "改成十一点半": the last one set
        if cancel:
            gone = [e for e in chosen if await self._scheduler.remove(e)]
            if not gone:
                return SkillResult(not_found_text(False, ctx))
            said = "；".join(task_text(e, ctx) for e in gone) if ctx.lang == "zh" else "; ".join(task_text(e, ctx) for e in gone)
            return SkillResult(phrases.compose([ctx.say(f"已取消定时任务：{said}", f"cancelled: {said}")], ctx.lang, acknowledged=True),
                               tuple(_report(e, "cancel") for e in gone))
        return await self._move(chosen[0], slots, ctx)

    async def _move(self, entry: Entry, slots: Mapping[str, Any], ctx: SkillContext) -> SkillResult:
        new = said_instant(slots.get("datetime"), ctx)
        if new is None:
            return SkillResult(ctx.say("要改到几点？", "What time should it move to?"), awaiting=Awaiting.CLARIFICATION)
        old = entry.at.astimezone(ctx.now.tzinfo)
        if slots.get("twelve_hour") and old.hour >= 12 > new.hour:  # "改成十一点半" of an evening task: 23:30
            new = new + timedelta(hours=12) if new + timedelta(hours=12) > ctx.now else new
        try:
            self._scheduler.check_instant(new)
            if entry.repeat:
                new = first_occurrence(old.replace(hour=new.hour, minute=new.minute), entry.repeat, ctx.now)
            elif new <= ctx.now:
                return SkillResult(ctx.say("这个时间已经过去了，要改到什么时候？", "That time has already passed. When should it be?"))
            moved = await self._scheduler.update(replace(entry, at=new))
        except ScheduleError as err:
            _LOGGER.info("moving scheduled %s refused: %s", entry.id, err.message)
            return SkillResult(ctx.say("这个时间定不了，只能定在一年以内", "I can't schedule that time; it has to be within a year"))
        speech = ctx.say(f"改好了：{task_text(moved, ctx)}", f"moved: {task_text(moved, ctx)}")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=True), (_report(moved, "change"),))


def pick(tasks: list[Entry], slots: Mapping[str, Any], ctx: SkillContext) -> list[Entry]:
    """The tasks ``slots`` name by device, device type, room, what they do and when they run (all when none is named)."""
    devices = {d.id: d for d in ctx.devices.devices()}

    def targets(entry: Entry) -> list[Any]:
        return [devices[i] for i in entry.command.get("slots", {}).get("devices", ()) if i in devices]

    chosen = tasks
    if slots.get("device"):
        chosen = [e for e in chosen if slots["device"] in entry_devices(e)]
    if slots.get("device_type"):
        chosen = [e for e in chosen if any(d.type == slots["device_type"] for d in targets(e))]
    if slots.get("room"):
        chosen = [e for e in chosen if any(d.room == slots["room"] for d in targets(e))]
    if slots.get("action"):
        chosen = [e for e in chosen if e.command.get("intent") == slots["action"]]
    at = said_instant(slots.get("at"), ctx)
    if at is not None:
        chosen = [e for e in chosen if _at_clock(e, at, ctx) or repeats_at(e, at)]
    return chosen


def said_instant(value: Any, ctx: SkillContext) -> datetime | None:
    """An ISO slot (the rules give one) or the time in words (the LLM planner's: it does not know today's date)."""
    moment = parse_instant(value, ctx)
    if moment is None and isinstance(value, str) and value.strip():
        moment = parse_when(value.strip().lower(), ctx.lang, ctx.now).at
    return moment


def entry_devices(entry: Entry) -> list[str]:
    return [str(i) for i in entry.command.get("slots", {}).get("devices", ())]


def _at_clock(entry: Entry, at: datetime, ctx: SkillContext) -> bool:
    """Whether ``entry`` runs at ``at``'s time of day ("the 11 pm one": whichever day it is on)."""
    local, said = entry.at.astimezone(ctx.now.tzinfo), at.astimezone(ctx.now.tzinfo)
    return (local.hour, local.minute) == (said.hour, said.minute) and (entry.repeat is None or occurs_on(local, entry.repeat))


def _named(slots: Mapping[str, Any]) -> bool:
    return any(slots.get(k) for k in ("device", "device_type", "room", "action", "at"))


def _report(entry: Entry, command: str) -> ActionReport:
    params = {"id": entry.id, "at": entry.at.isoformat(), "repeat": entry.repeat or "", "what": entry.content,
              "intent": str(entry.command.get("intent", "")), "devices": entry_devices(entry)}
    return ActionReport(device=next(iter(entry_devices(entry)), ""), command=f"schedule.{command}", params=params,
                        status=ActionStatus.DONE)
