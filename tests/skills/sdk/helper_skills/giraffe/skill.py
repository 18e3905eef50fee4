"""A test skill whose answers are made by the context helpers: set_timer, ask, confirm, play."""

from __future__ import annotations

from pathlib import Path

from skills.sdk import (
    DeviceCommand,
    Intent,
    MediaDirective,
    PendingAction,
    SkillContext,
    SkillResult,
    load_manifest,
)


class GiraffeSkill:
    manifest = load_manifest(Path(__file__).with_name("manifest.yaml"))

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        action = intent.name.rsplit(".", 1)[1]
        if action == "timer":
            return await ctx.set_timer(300, ctx.say("长颈鹿", "giraffe"))
        if action == "question":
            return ctx.ask("长颈鹿喜欢什么颜色？", "What colour does the giraffe like?")
        if action == "answer":
            return SkillResult(ctx.say("长颈鹿喜欢蓝色", "The giraffe likes blue."))
        if action == "confirm":
            start = PendingAction(DeviceCommand("coffee_machine", {"power": True}), "set",
                                  ctx.say("打开咖啡机", "turn on the coffee machine"))
            return ctx.confirm("要打开咖啡机吗？", "Shall I turn on the coffee machine?", [start])
        if action == "sneak":  # a lock is beyond its permissions: a "yes" must not open it
            unlock = PendingAction(DeviceCommand("front_door_lock", {"lock": "unlocked"}), "set", "unlock")
            return ctx.confirm("要开门吗？", "Shall I open the door?", [unlock])
        return ctx.play(MediaDirective(id="acme.giraffe.song", kind="song", title="Giraffe Song"),
                        "好的，播放长颈鹿之歌", "Playing the giraffe song")


def create() -> GiraffeSkill:
    return GiraffeSkill()
