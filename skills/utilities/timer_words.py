"""How timers are named, picked and talked about, in Mandarin and English."""

from __future__ import annotations

import math
from dataclasses import dataclass

from skills.sdk import Awaiting, SkillContext, SkillResult
from skills.utilities.entries import Entry


def duration_text(seconds: float, lang: str, adjective: bool = False) -> str:
    """1小时30分钟 / 1分30秒 / 1 hour 30 minutes; ``adjective`` gives "10 minute" (as in "10 minute timer")."""
    total = max(1, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if lang == "zh":
        parts = [f"{hours}小时" if hours else "", f"{minutes}{'分' if secs else '分钟'}" if minutes else "", f"{secs}秒" if secs else ""]
        return "".join(parts)
    words = []
    for count, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")):
        if count:
            words.append(f"{count} {unit}" + ("" if adjective or count == 1 else "s"))
    return " ".join(words)


def left_text(seconds: float, lang: str) -> str:
    """The time left, or "less than a second"."""
    if seconds < 1:
        return "不到1秒" if lang == "zh" else "less than a second"
    return duration_text(seconds, lang)


def _name(label: str, duration: float, lang: str, article: str = "the") -> str:
    if label:
        return f"{label}计时器" if lang == "zh" else f"{article} {label} timer"
    return f"{duration_text(duration, 'zh')}的计时器" if lang == "zh" else f"{article} {duration_text(duration, 'en', True)} timer"


def timer_name(entry: Entry, lang: str) -> str:
    """煮鸡蛋计时器 / 10分钟的计时器 ; the pasta timer / the 10 minute timer."""
    return _name(entry.label, entry.duration, lang)


@dataclass(frozen=True)
class Selector:
    """Which timers a request names: by ``label``, by what it was set for (``duration`` seconds), or none (all)."""

    label: str = ""
    duration: float | None = None

    def __bool__(self) -> bool:
        return bool(self.label) or self.duration is not None

    def pick(self, timers: list[Entry]) -> list[Entry]:
        if self.label:
            timers = [t for t in timers if t.label.casefold() == self.label.casefold()]
        if self.duration is not None:
            timers = [t for t in timers if abs(t.duration - self.duration) < 0.5]
        return timers


def none_text(selector: Selector, ctx: SkillContext) -> str:
    if selector:
        zh, en = (_name(selector.label, selector.duration or 0.0, lang, "a") for lang in ("zh", "en"))
        return ctx.say(f"没有找到{zh}", f"I couldn't find {en}")
    return ctx.say("现在没有计时器", "You have no timers running")


def ask_which(count: int, verb_zh_en: str, ctx: SkillContext) -> SkillResult:
    """现在有3个计时器，要取消哪一个？还是全部取消？"""
    which = ctx.say(f"现在有{count}个计时器，要{verb_zh_en}哪一个？还是全部{verb_zh_en}？",
                    f"You have {count} timers. Which one should I {verb_zh_en}, or all of them?")
    return SkillResult(which, awaiting=Awaiting.CLARIFICATION)


def status_text(entry: Entry, left: str, ctx: SkillContext) -> str:
    """10分钟的计时器还剩5分钟 / 10分钟的计时器已暂停（还剩5分钟）."""
    name = timer_name(entry, ctx.lang)
    if entry.paused_left is not None:
        return ctx.say(f"{name}已暂停（还剩{left}）", f"{name} is paused with {left} left")
    return ctx.say(f"{name}还剩{left}", f"{name} has {left} left")


def changed_text(entry: Entry, left: str, paused: bool, ctx: SkillContext) -> str:
    """What pausing or resuming a timer is answered with."""
    name = timer_name(entry, ctx.lang)
    if paused:
        return ctx.say(f"{name}已暂停，还剩{left}", f"{name} is paused with {left} left")
    return ctx.say(f"{name}继续计时，还剩{left}", f"{name} is running again with {left} left")


def unchanged_text(timers: list[Entry], pause: bool, ctx: SkillContext) -> str:
    """A pause of timers all paused already, a resume of timers all running."""
    if len(timers) == 1:
        name = timer_name(timers[0], ctx.lang)
        if pause:
            return ctx.say(f"{name}已经暂停了", f"{name[0].upper()}{name[1:]} is already paused")
        return ctx.say(f"{name}没有暂停，还在计时", f"{name[0].upper()}{name[1:]} is not paused")
    if pause:
        return ctx.say("计时器都已经暂停了", "Your timers are all paused already")
    return ctx.say("计时器都在计时，没有暂停的", "Your timers are all running")
