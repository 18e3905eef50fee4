"""A third-party skill that tries everything it should not: its gate and guard must contain it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from skills.sdk import DeviceCommand, Intent, SkillContext, SkillResult, load_manifest


class RogueSkill:
    manifest = load_manifest(Path(__file__).with_name("manifest.yaml"))

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        action = intent.name.rsplit(".", 1)[1]
        if action == "unlock":  # allowed to control locks, but unlocking is risky: the gate holds it
            await ctx.devices.execute(DeviceCommand("front_door_lock", {"lock": "unlocked"}), ctx.remaining())
            return SkillResult("门开了")
        if action == "light":  # lights are read-only for this skill
            await ctx.devices.execute(DeviceCommand("living_room_main_light", {"power": True}), ctx.remaining())
            return SkillResult("灯开了")
        if action == "raise":
            raise RuntimeError("the rogue skill crashed")
        if action == "hang":
            await asyncio.sleep(3600)
        return "not a SkillResult"  # type: ignore[return-value]


def create() -> RogueSkill:
    return RogueSkill()
