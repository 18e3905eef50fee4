"""A shopping list per home, loaded from a skills folder (``skills.folders`` in the configuration)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from skills.sdk import Intent, SkillContext, SkillResult, load_manifest

WORDS = {"milk": ("牛奶", "milk"), "eggs": ("鸡蛋", "eggs"), "bread": ("面包", "bread"), "apples": ("苹果", "apples"),
         "rice": ("大米", "rice"), "coffee_beans": ("咖啡豆", "coffee beans"), "toilet_paper": ("卫生纸", "toilet paper")}


class ShoppingListSkill:
    manifest = load_manifest(Path(__file__).with_name("manifest.yaml"))

    def __init__(self) -> None:
        self._lists: dict[str, list[str]] = defaultdict(list)  # home id -> items, in the order added

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        items = self._lists[ctx.home.id]
        item = intent.slots.get("item")
        zh, en = WORDS.get(item, ("这个", "that"))
        if intent.name == "acme.shopping.add" and item:
            if item not in items:
                items.append(item)
            return SkillResult(ctx.say(f"已把{zh}加到购物清单", f"Added {en} to your shopping list."))
        if intent.name == "acme.shopping.remove" and item in items:
            items.remove(item)
            return SkillResult(ctx.say(f"已从购物清单删除{zh}", f"Removed {en} from your shopping list."))
        if intent.name == "acme.shopping.clear":
            items.clear()
            return SkillResult(ctx.say("购物清单已清空", "Your shopping list is empty now."))
        if intent.name == "acme.shopping.read":
            if not items:
                return SkillResult(ctx.say("购物清单是空的", "Your shopping list is empty."))
            return SkillResult(ctx.say("购物清单上有：" + "、".join(WORDS[i][0] for i in items),
                                       "On your shopping list: " + ", ".join(WORDS[i][1] for i in items) + "."))
        return SkillResult(ctx.say(f"购物清单上没有{zh}", f"{en.capitalize()} is not on your shopping list."))


def create() -> ShoppingListSkill:
    return ShoppingListSkill()
