"""How scheduled device commands are said, in Mandarin and English: what one does ("关掉客厅主灯"),
when it runs, and the answers to setting, listing, cancelling and firing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.devices import DeviceInfo
from skills import phrases
from skills.sdk import SkillContext
from skills.utilities.alarms import alarm_when, count_text, listing
from skills.utilities.entries import Entry

#: The verbs of a switch, per language; covers open and close.
_SWITCH = {("device.turn_on", "zh"): "打开", ("device.turn_off", "zh"): "关掉",
           ("device.turn_on", "en"): "turn on", ("device.turn_off", "en"): "turn off"}
_COVER_EN = {"device.turn_on": "open", "device.turn_off": "close"}


def action_text(intent: str, slots: Mapping[str, Any], devices: Sequence[DeviceInfo], lang: str) -> str:
    """What the command does to ``devices``: 关掉客厅主灯 / turn off the living room main light."""
    names = phrases.names_of(devices, lang)
    if intent in ("device.turn_on", "device.turn_off"):
        if lang == "en" and all(d.type == "cover" for d in devices):
            return f"{_COVER_EN[intent]} {names}"
        return f"{_SWITCH[intent, lang]}{names}" if lang == "zh" else f"{_SWITCH[intent, lang]} {names}"
    attribute = str(slots.get("attribute") or "")
    if intent == "device.set" and attribute == "lock":
        return phrases.describe_change(devices[0], {"lock": slots.get("value")}, lang) if slots.get("value") == "unlocked" \
            else (f"锁上{names}" if lang == "zh" else f"lock {names}")
    what = phrases.attribute_text(attribute, lang)
    if intent == "device.set":
        value = phrases.value_text(attribute, slots.get("value"), lang)
        return f"把{names}的{what}调到{value}" if lang == "zh" else f"set {names} {what} to {value}"
    up = slots.get("direction") == "up"
    if lang == "zh":
        return f"把{names}的{what}调{'高' if up else '低'}"
    return f"turn {names} {what} {'up' if up else 'down'}"


def task_text(entry: Entry, ctx: SkillContext) -> str:
    """今天晚上11点关掉客厅主灯 / turn off the living room main light at 11:00 PM today."""
    when = alarm_when(entry, ctx)
    return ctx.say(f"{when}{entry.content}", f"{entry.content} at {when}")


def scheduled_text(entry: Entry, ctx: SkillContext) -> str:
    return ctx.say(f"已定时：{task_text(entry, ctx)}", f"I've scheduled it: {task_text(entry, ctx)}")


def tasks_text(entries: Sequence[Entry], ctx: SkillContext) -> str:
    """The home's scheduled commands, soonest first."""
    if not entries:
        return ctx.say("现在没有定时任务", "Nothing is scheduled.")
    listed = listing([task_text(e, ctx) for e in entries], ctx.lang)
    return ctx.say(f"你有{len(entries)}个定时任务：{listed}", f"You have {count_text(len(entries), 'scheduled task')}: {listed}.")


def which_task_text(entries: Sequence[Entry], verb_zh: str, verb_en: str, ctx: SkillContext) -> str:
    listed = listing([task_text(e, ctx) for e in entries], ctx.lang)
    return ctx.say(f"有{len(entries)}个定时任务：{listed}。要{verb_zh}哪一个？",
                   f"There are {len(entries)} scheduled tasks: {listed}. Which one should I {verb_en}?")


def not_found_text(any_at_all: bool, ctx: SkillContext) -> str:
    if any_at_all:
        return ctx.say("没有找到这个定时任务", "I couldn't find that scheduled task")
    return ctx.say("现在没有定时任务", "Nothing is scheduled")


def risky_text(description: str, ctx: SkillContext) -> str:
    """Why a risky change is never scheduled: nobody would be there to confirm it when it runs."""
    return ctx.say(f"{description}有安全风险，需要当场确认，不能定时执行，这次也没有执行。到时候再跟我说吧",
                   f"I can't schedule that: {description} needs your confirmation at the moment it happens, "
                   "so I didn't schedule or do it. Ask me again then.")


def untimed_text(ctx: SkillContext) -> str:
    """A device command said with a time that was not understood: nothing is done now, the user says it again."""
    return ctx.say("我没听懂要在什么时候做，所以现在什么都没改。请连同时间再说一遍，比如“十分钟后关掉电视”或“晚上十一点关灯”",
                   "I didn't get when you want that done, so I haven't changed anything. Say it again with the time, "
                   "like “turn off the tv in 10 minutes” or “turn off the lights at 11 pm”.")


def unrun_speech(content: str, lang: str) -> str:
    """What an instance that cannot run scheduled commands says when one falls due (never silence)."""
    if lang == "zh":
        return f"定时任务（{content}）到时间了，但没有执行"
    return f"The scheduled task ({content}) is due but was not carried out"


def done_speech(content: str, lang: str) -> str:
    return f"已按计划{content}" if lang == "zh" else f"Done as scheduled: {content}"


def failed_speech(content: str, why: str, lang: str) -> str:
    """A scheduled command that did not run as planned, and why (the device's own answer)."""
    why = why.removeprefix(phrases.ACKNOWLEDGEMENTS[0]).removeprefix(phrases.ACKNOWLEDGEMENTS[1])
    if lang == "zh":
        return f"定时任务（{content}）没有完成：{why}"
    return f"The scheduled task ({content}) was not carried out: {why}"


def late_speech(content: str, lang: str) -> str:
    if lang == "zh":
        return f"定时任务（{content}）错过了时间，为了安全没有补做"
    return f"The scheduled task ({content}) missed its time, so to be safe it was not done late"
