"""The honest answer when nothing built in or installed can serve a request."""

from __future__ import annotations

from intents.types import Intent
from skills.sdk import SkillContext, SkillKind, SkillManifest, SkillResult


class OutOfScopeSkill:
    manifest = SkillManifest(
        name="out_of_scope",
        kind=SkillKind.TOOL,
        intents=("out_of_scope",),
        description="Says honestly that the request is not supported; never acts.",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        if intent.slots.get("reason") == "not_understood":  # nothing understood it in time (assistant/fallback.py)
            return SkillResult(ctx.say("抱歉，我没听懂，能换个说法吗？", "Sorry, could you say that another way?"))
        return SkillResult(ctx.say("抱歉，这个我还不会。你可以让我控制家里的设备或者开启场景。",
                                   "Sorry, I can't help with that yet. I can control your home's devices and scenes."))
