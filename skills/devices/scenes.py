"""The built-in scene skill: runs a scene's device actions together."""

from __future__ import annotations

from intents.types import Intent
from skills import phrases
from skills.devices.execution import execute_all
from skills.devices.safety import hold_risky
from skills.sdk import ActionStatus, Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult


class SceneSkill:
    manifest = SkillManifest(
        name="scenes",
        kind=SkillKind.TOOL,
        intents=("scene.activate",),
        description="Activate a scene of the home (sleep, away, movie...).",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        scene = ctx.home.scenes.get(str(intent.slots.get("scene") or ""))
        if scene is None:
            return SkillResult(phrases.not_found_text(str(intent.slots.get("scene") or ctx.say("这个场景", "that scene")), ctx.lang))
        known = {d.id: d for d in ctx.devices.devices()}
        jobs = []
        missing = []
        for action in scene.actions:
            for device_id in ctx.home.expand_target(action.target):
                device = known.get(device_id)
                if device is None:
                    missing.append(device_id)
                else:
                    jobs.append((device, "set", action.changes, ""))
        safe_jobs, held = hold_risky(jobs, ctx)
        outcomes = await execute_all(ctx, safe_jobs)
        failed = [o for o in outcomes if o.report.status != ActionStatus.DONE]
        name = scene.names.first(ctx.lang)
        if failed or missing:
            detail = [o.speech for o in failed] + [phrases.not_found_text(m, ctx.lang) for m in missing]
            head = ctx.say(f"{name}已执行，但有{len(detail)}项没有完成", f"{name} ran, but {len(detail)} step(s) did not complete")
            speech = phrases.compose([head, *detail], ctx.lang, acknowledged=False)
        else:
            speech = ctx.say(f"好的，已开启{name}", f"OK, {name} is on")
        if held.pending:
            speech = phrases.compose([speech, held.question], ctx.lang, acknowledged=False)
        return SkillResult(
            speech=speech,
            actions=tuple(o.report for o in outcomes) + held.reports,
            awaiting=Awaiting.CONFIRMATION if held.pending else None,
            pending=held.pending,
        )
