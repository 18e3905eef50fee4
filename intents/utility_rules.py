"""Timer and reminder requests named by their words, before the model guesses.

The catalog model confuses the timer family on words it rarely saw ("计时器状态" read as cancel,
"1小时计时器状态" and "cancel 5 minute timer" as new timers, "计时器加五分钟" as set): one word
decides these, so rules do. A clause that names a timer is, in this order: more or less time
(``timer.add_time``, with a duration), a pause, a resume, a cancel, a status question
(``timer.query``), or a new timer. "提醒我" with something to be reminded of is a reminder, even
when it starts with a duration ("一个半小时以后提醒我关火"). A scheduled device command is named
by "定时任务"/"scheduled", or by a cancel or a change with a time ("取消晚上十一点关灯的定时",
"cancel the 11 pm lights off", "改成十一点半"): ``schedule.cancel``, ``schedule.change`` or, asked
about, ``schedule.query``; never an alarm, a reminder or a timer, which name themselves. A few
questions are named by their words too: a power ("三的五次方"), a conversion between temperature
scales ("华氏98.6度是多少摄氏度"), a day's date or weekday ("明天星期几"). Anything else is left to
the model.
"""

from __future__ import annotations

import logging
import re

from intents.slots.days import day_said
from intents.slots.time import WHEN_SAID, parse_duration

_LOGGER = logging.getLogger(__name__)


def _en(words: str) -> str:
    return rf"(?<![a-z])(?:{words})(?![a-z])"


TIMER = re.compile(r"计时器|定时器|倒计时|计时|" + _en("timers?|countdowns?"))
#: An alarm or a reminder is not a timer even when "计时" is said beside it.
NOT_TIMER = re.compile(r"闹钟|闹铃|提醒|" + _en("alarms?|remind|reminders?"))
DURATION = re.compile(r"\d|[一二两三四五六七八九十半](?:个)?(?:小时|分钟?|秒|钟头)|" + _en(
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|fifty|sixty|half an?)"
    r"(?: more)? (?:minutes?|mins?|hours?|hrs?|seconds?|secs?)"))
#: More or less time on a running timer (a duration must be said too): less is a negative duration.
ADD_EN = re.compile(_en(r"add(?! an? (?:new )?timer)|adds|extend|extends|give it") + r"|(?<![a-z])more (?:minutes?|seconds?|hours?)")
SUBTRACT_EN = re.compile(_en("subtract|subtracts|minus|shorten|shave|less") + r"|(?<![a-z])(?:take|knock)\b.*\b(?:off|away)(?![a-z])"
                         r"|(?<![a-z])remove\b.*\bfrom(?![a-z])")
SUBTRACT_ZH = re.compile(r"(?:减|减少|减去|缩短|少|扣|去掉)(?:掉|去)?(?:个|一个)?[\d一二两三四五六七八九十半]")
#: An alarm or a timer called off, informally too ("scrap that alarm", "ditch the timer", "闹钟不要了").
CANCEL_EN = ("cancel|stop|delete|remove|clear|kill|turn off|end|get rid of|dismiss|abort|switch off|don't need|"
             "no longer need|scrap|ditch|drop|nix|forget|axe|scratch|call off|trash|bin")
#: (intent, pattern), first match wins.
TIMER_ACTIONS = {
    "zh": (
        ("timer.add_time", re.compile(r"(?:加|多加|再加|延长|增加|添|补)(?:上)?(?:个|一个)?[\d一二两三四五六七八九十半]|"
                                      + SUBTRACT_ZH.pattern)),
        ("timer.pause", re.compile(r"暂停|停一下|先停|停一停")),
        ("timer.resume", re.compile(r"继续|恢复|接着")),
        ("timer.cancel", re.compile(r"取消|关掉|关闭|关了|停止|停掉|停了|删除|删掉|删了|不要|不用|去掉|清除|清空|撤销|作废")),
        ("timer.query", re.compile(r"状态|还剩|剩下|剩余|剩多少|多久|多长时间|几分钟|几秒|什么时候|几个|哪些|查|看看|看一下|怎么样"
                                   r"|进度|还有|到哪|响了吗|有什么|有啥")),
    ),
    "en": (
        ("timer.add_time", re.compile(ADD_EN.pattern + "|" + SUBTRACT_EN.pattern)),
        ("timer.resume", re.compile(_en("resume|unpause|continue|restart|keep going|start .* again"))),
        ("timer.pause", re.compile(_en("pause|hold|freeze"))),
        ("timer.cancel", re.compile(_en(CANCEL_EN))),
        ("timer.query", re.compile(_en("status|left|remaining|how long|how much time|when|check|what's|whats|what|"
                                       "how many|which|list|show|where is|is there|are there|any"))),
    ),
}
_ALARM = re.compile(r"闹钟|闹铃|" + _en("alarms?"))
_ALARM_CANCEL = {"zh": re.compile(r"取消|删除|删掉|删了|不要|不用|去掉|清除|清空|撤销|作废|关掉|关了|关闭|停掉"),
                 "en": re.compile(_en(CANCEL_EN))}
#: A new alarm is asked for, whatever else is said ("set an alarm to stop the music" is no cancel).
_ALARM_SET = re.compile(r"设|定个|定一个|建|加个|加一个|" + _en("set|make|create|add|new|wake me"))


def cancels_an_alarm(text: str, lang: str) -> bool:
    """Whether ``text`` calls off an alarm ("scrap that alarm", "把闹钟删了"); the model misses the informal words."""
    return bool(_ALARM.search(text) and _ALARM_CANCEL[lang].search(text) and not _ALARM_SET.search(text))


_SET = re.compile(r"定|设|开始|来|计时|" + _en("set|start|create|make|timer for|countdown for|put on|give me|need"))
REMIND = {"zh": re.compile(r"提醒我|提醒一下|通知我"), "en": re.compile(_en("remind me|reminder"))}


#: A scheduled task by name; "定时器" is a timer.
SCHEDULED = re.compile(r"定时任务|定时的任务|定时操作|计划任务|定时(?!器)|" + _en("scheduled|schedule|scheduled tasks?"))
#: A clock time ("十一点", "11 pm", "23:30"), or a time counted from now ("十分钟后", "in 10 minutes").
_A_TIME = {"zh": re.compile(r"[\d零一二两三四五六七八九十]+(?:点|:|：)"
                           r"|[\d零一二两三四五六七八九十半个]+(?:小时|钟头|分钟|分|秒)(?:以后|之后|后)"),
           "en": re.compile(_en(r"\d{1,2}(?::\d\d)? ?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d\d|noon|midnight"
                                r"|(?:in|after) \S+ (?:minutes?|mins?|hours?|hrs?)"))}
#: A new time for a task: the change word must come before the clock time ("改成十一点半", "move it to 11:30 pm").
CHANGE = {"zh": re.compile(r"改成|改到|改为|换成|换到|推迟到|提前到|挪到|延后到|推到"),
          "en": re.compile(_en(r"change(?: it)? to|move(?: it)? to|reschedule(?: it)? (?:to|for)|push(?: it)? (?:back )?to"
                               r"|make it|change .+ to|move .+ to|reschedule .+ (?:to|for)"))}
_CANCEL = {"zh": re.compile(r"取消|删除|删掉|删了|不要了|撤销|去掉|清空"),
           "en": re.compile(_en("cancel|delete|remove|clear|drop|forget about|call off"))}
_ASK = {"zh": re.compile(r"哪些|什么|几个|有没有|列出|查|看看|多少|吗|呢"),
        "en": re.compile(_en("what|what's|whats|which|list|show|any|anything|how many|is there|are there|tell me"))}


#: A question about a device's own timer function ("空调有没有定时功能", "how do I cancel the schedule"): the manual's.
_HOW_TO = re.compile(r"功能|怎么|怎样|如何|支持|" + _en("how do|how to|how can|feature|function|support|supports"))


def read_schedule(text: str, lang: str) -> str | None:
    """The schedule.* intent ``text`` names unmistakably, else ``None`` (setting one is a device command with a time)."""
    if TIMER.search(text) or NOT_TIMER.search(text) or _HOW_TO.search(text):
        return None
    change = CHANGE[lang].search(text)
    if change is not None and _A_TIME[lang].search(text, change.end()):
        return "schedule.change"
    named = SCHEDULED.search(text)
    if _CANCEL[lang].search(text) and (named or _A_TIME[lang].search(text)):
        return "schedule.cancel"
    if named and (_ASK[lang].search(text) or not text.replace(named.group(0), "").strip(" ,的我")):
        return "schedule.query"
    return None


#: A timer set for a device command ("set a 10 minute timer to turn off the tv", "can I set a timer to turn off the
#: tv in 10 minutes", "设个十分钟的定时器，到了把电视关掉"): the command is for later, not a timer, and its
#: "turn off" never cancels one. ``dur`` and ``for`` hold the timer's length when it has one.
_TIMER_FOR_A_COMMAND = {
    "en": re.compile(r"^(?:(?:can|could|would|will) (?:i|you|we) |please |i (?:want|need) (?:you )?to |i'd like (?:you )?to "
                     r"|let's |just )*(?:set|start|put on|make|create|use|run)(?: up)?(?: me)? (?:a |an |the |one )?"
                     r"(?P<dur>[^,]*?) ?timer(?P<for> for [^,]*?)?,? (?:to|that will|that'll|which will|so it)"
                     r"(?: will)? (?=(?:turn|switch|shut|open|close|lock|unlock|dim|start|stop|set|put)(?![a-z]))"),
    "zh": re.compile(r"^(?:帮我|给我|请|麻烦)?(?:设|定|开|弄)(?:置|定|个|一个|上)*(?P<dur>[^,，]*?)的?(?:计时器|定时器|倒计时)"
                     r"[,， ]*(?:到了|到时候?|时间到了?|结束(?:以?后|了)?|然后|之后)?(?:就|再)?"
                     r"(?=(?:帮我|给我)?(?:把|关|开|打开|启动|停|调|拉|锁))"),
}


def _later(seconds: float, lang: str) -> str:
    count, unit = ((seconds / 3600, ("hours", "小时")) if seconds % 3600 == 0 else
                   (seconds / 60, ("minutes", "分钟")) if seconds % 60 == 0 else (seconds, ("seconds", "秒")))
    return f"in {count:g} {unit[0]}" if lang == "en" else f"{count:g}{unit[1]}后"


def timed_command(text: str, lang: str) -> str | None:
    """The device command a timer in ``text`` is set for, with the timer's length as its time ("turn off the tv in
    10 minutes"), else ``None``; ``None`` too when no time is said at all (that timer has nothing to count)."""
    m = _TIMER_FOR_A_COMMAND[lang].search(text)
    if m is None:
        return None
    command = text[m.end():].strip(" ,，")
    if WHEN_SAID[lang].search(command):
        return command
    seconds = parse_duration(f"{m.group('dur')} {m.groupdict().get('for') or ''}", lang)
    if not seconds:
        return None
    return f"{command} {_later(seconds, lang)}" if lang == "en" else f"{_later(seconds, lang)}{command}"


_NUM_ZH = r"(?:\d|[零一二两三四五六七八九十百千万亿])"
_NUM_EN = (r"(?:\d|(?<![a-z])(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
           r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
           r"|hundred|thousand|million)(?![a-z]))")
#: A number raised to a power, or its root ("三的五次方", "二的负二次方", "八的立方根", "three to the power of five",
#: "2 to the 10th", "the cube root of 27"): arithmetic, whatever the model makes of words it rarely saw. 平方米 and
#: 立方米 are units.
POWER = {"zh": re.compile(rf"{_NUM_ZH}的?(?:负?{_NUM_ZH}+次(?:方|幂)|平方根|立方根"
                          r"|平方(?!米|公里|千米|厘米|毫米|分米|英|码)|立方(?!米|厘米|分米|英|码))"),
         "en": re.compile(rf"{_NUM_EN} (?:squared|cubed|(?:raised )?to the (?:power|\d+(?:st|nd|rd|th)|second|third|fourth"
                          rf"|fifth|sixth|seventh|eighth|ninth|tenth)|raised to)(?![a-z])"
                          rf"|(?<![a-z])(?:square|cube) root of {_NUM_EN}")}
#: Temperature scales: said with both a number and the other scale, a conversion ("华氏98.6度是多少摄氏度",
#: "摄氏37度是华氏多少度", "98.6 fahrenheit in celsius"), never a thermostat's temperature.
_SCALES = {"zh": (re.compile("华氏"), re.compile("摄氏"), re.compile("开尔文|开氏")),
           "en": tuple(re.compile(_en(w)) for w in ("fahrenheit", "celsius|centigrade", "kelvins?"))}
#: A day's date or weekday asked for ("明天星期几", "下周一是几号", "what day is tomorrow").
_DAY_QUESTION = {"zh": re.compile(r"星期几|周几|礼拜几|几号|几月几|哪一?天|什么日子"),
                 "en": re.compile(_en(r"what day|which day|what date|what's the date|what is the date|what was the date"
                                      r"|what's the day|day of the week|what weekday"))}


def read_question(text: str, lang: str) -> str | None:
    """``calc.evaluate``, ``unit.convert`` or ``time.query`` when ``text`` (one normalised clause) asks one
    unmistakably, else ``None``."""
    if POWER[lang].search(text):
        return "calc.evaluate"
    scales = sum(1 for pattern in _SCALES[lang] if pattern.search(text))
    if scales >= 2 and re.search(_NUM_ZH if lang == "zh" else _NUM_EN, text):
        return "unit.convert"
    if _DAY_QUESTION[lang].search(text) and day_said(text, lang) is not None and not NOT_TIMER.search(text) \
            and not TIMER.search(text):
        return "time.query"
    return None


_DURATION_UNIT_ZH = r"[\d一二两三四五六七八九十半]+(?:个)?(?:小时|分钟|分|秒|钟头)"
_DURATION_UNIT_EN = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|fifty|sixty)" \
                    r"[ -](?:minutes?|mins?|hours?|hrs?|seconds?|secs?)"
#: "cancel the 5 minute one", "取消那个五分钟的": a length said of "one" is a timer's; alarms have clock times.
_CANCEL_BY_LENGTH = {
    "zh": re.compile(rf"(?:取消|删掉|删了|删除|停掉|关掉|不要)(?:掉)?(?:那个|这个)?{_DURATION_UNIT_ZH}的"
                     rf"|{_DURATION_UNIT_ZH}(?:的)?(?:那个|这个)?(?:取消|删掉|删了|停掉|关掉|不要)"),
    "en": re.compile(_en(rf"(?:cancel|stop|kill|delete|remove|scrap|ditch|get rid of) (?:the |that |my )?"
                         rf"{_DURATION_UNIT_EN} one")),
}


def read_utility(text: str, lang: str) -> str | None:
    """The timer, reminder, scheduled-task or question intent ``text`` (one normalised clause) names
    unmistakably, else ``None``."""
    if _TIMER_FOR_A_COMMAND[lang].search(text):
        return "timer.set"  # for a command but with no time: a new timer all the same, never a cancel
    if _CANCEL_BY_LENGTH[lang].search(text) and not NOT_TIMER.search(text):
        return "timer.cancel"
    reminder = REMIND[lang].search(text)
    if reminder is not None and text[reminder.end():].strip(" ,"):
        return "reminder.set"
    scheduled = read_schedule(text, lang)
    if scheduled is not None:
        return scheduled
    if not TIMER.search(text) or NOT_TIMER.search(text):
        return read_question(text, lang)
    for intent, pattern in TIMER_ACTIONS[lang]:
        if pattern.search(text) and (intent != "timer.add_time" or DURATION.search(text)):
            return intent
    return "timer.set" if DURATION.search(text) or _SET.search(text) else None
