"""The built-in device-control skill: turn on/off, set and adjust devices."""

from __future__ import annotations

from intents.types import Intent
from skills import phrases
from skills.devices.changes import plan_change
from skills.devices.execution import execute_all
from skills.devices.safety import hold_risky
from skills.devices.targeting import resolve_targets
from skills.sdk import ActionReport, ActionStatus, Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult

#: Above this many devices, a command that worked everywhere is summed up in one phrase.
BULK_SUMMARY_FROM = 3
#: At most this many candidates are read out in a "which one?" (a hub may announce hundreds; the home's come first).
MAX_SPOKEN_CANDIDATES = 8


class DeviceControlSkill:
    """Controls the home's devices through the device gateway (MQTT in practice)."""

    manifest = SkillManifest(
        name="devices",
        kind=SkillKind.TOOL,
        intents=("device.turn_on", "device.turn_off", "device.set", "device.adjust"),
        description="Turn devices on and off, set and adjust their attributes.",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        lang = ctx.lang
        if intent.slots.get("when"):  # "十五分钟后关掉电视": doing it now would be wrong, so say so
            return SkillResult(phrases.not_scheduled_text(str(intent.slots["when"]), lang))
        targets = resolve_targets(intent.name, intent.slots, ctx.devices.devices(), ctx.speaker_room)
        if targets.missing:
            return SkillResult(phrases.not_found_text(what_text(intent, ctx), lang))
        if targets.ambiguous:
            return SkillResult(
                phrases.which_one_text(targets.candidates[:MAX_SPOKEN_CANDIDATES], lang),
                awaiting=Awaiting.CLARIFICATION,
                candidates=tuple(d.id for d in targets.candidates),
            )

        reports: list[ActionReport] = []
        speeches: list[str] = []
        jobs = []
        for device in targets.devices:
            change = plan_change(intent.name, intent.slots, device, ctx.devices.state(device.id))
            if change.error:
                reports.append(ActionReport(device.id, change.command, {}, ActionStatus.REJECTED, change.error))
                cap = device.capabilities.get(change.attribute)
                if change.error == "bad_value" and cap is not None:
                    speeches.append(phrases.bad_value_text(device, change.attribute, intent.slots.get("value"), cap.options, lang))
                else:
                    speeches.append(phrases.unsupported_text(device, change.attribute, lang))
                continue
            jobs.append((device, change.command, change.changes, change.clamped))

        safe_jobs, held = hold_risky(jobs, ctx)
        outcomes = await execute_all(ctx, safe_jobs)
        reports.extend(o.report for o in outcomes)
        if len(outcomes) > BULK_SUMMARY_FROM and all(o.report.status == ActionStatus.DONE for o in outcomes):
            speeches.append(phrases.bulk_done_text(intent.name, len(outcomes), lang))
        else:
            speeches.extend(o.speech for o in outcomes)
        if held.pending:
            reports.extend(held.reports)
            speeches.append(held.question)
        return SkillResult(
            speech=phrases.compose(speeches, lang, acknowledged=any(r.status == ActionStatus.DONE for r in reports)),
            actions=tuple(reports),
            awaiting=Awaiting.CONFIRMATION if held.pending else None,
            pending=held.pending,
        )


def what_text(intent: Intent, ctx: SkillContext) -> str:
    """What a command that found no device asked for, in words: 卫生间电视 / bathroom tv."""
    slots = intent.slots
    room_id = str(slots.get("room") or "")
    room = ctx.home.rooms.get(room_id)
    thing = str(slots.get("device") or "") or phrases.type_text(str(slots.get("device_type") or ""), ctx.lang)
    words = [room.names.first(ctx.lang) if room else room_id] if room_id else []
    return ("" if ctx.lang == "zh" else " ").join([*words, thing])
