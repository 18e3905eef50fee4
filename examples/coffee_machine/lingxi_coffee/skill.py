"""Make coffee: switch the coffee machine's plug on and say what is brewing.

The manifest (manifest.yaml) lets the skill control switches' power only, and makes more than
three cups at once wait for a confirmation turn; Lingxi's gate enforces both.
"""

from __future__ import annotations

from pathlib import Path

from skills.sdk import CommandStatus, DeviceCommand, Intent, SkillContext, SkillResult, load_manifest

NAMES = {"americano": ("美式", "americano"), "latte": ("拿铁", "latte"), "espresso": ("意式浓缩", "espresso"),
         "cappuccino": ("卡布奇诺", "cappuccino")}


class CoffeeSkill:
    manifest = load_manifest(Path(__file__).with_name("manifest.yaml"))

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        if intent.name == "acme.coffee.menu":
            return SkillResult(ctx.say("我会做美式、拿铁、意式浓缩和卡布奇诺",
                                       "I can make americano, latte, espresso and cappuccino."))
        machine = next((d for d in ctx.devices.devices() if "coffee" in d.id), None)
        if machine is None:
            return SkillResult(ctx.say("家里没有找到咖啡机", "I couldn't find a coffee machine in your home."))
        cups = int(intent.slots.get("cups", 1))
        zh, en = NAMES[intent.slots.get("drink", "americano")]
        result = await ctx.devices.execute(DeviceCommand(machine.id, {"power": True}), ctx.remaining())
        if result.status is not CommandStatus.DONE:
            return SkillResult(ctx.say("咖啡机没有响应", "The coffee machine did not respond."))
        return SkillResult(ctx.say(f"好的，正在做{cups}杯{zh}", f"OK, making {cups} {en}{'s' if cups > 1 else ''}."))
