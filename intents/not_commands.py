"""Utterances that name a device and a change, yet ask the assistant to change nothing.

Three kinds, each read whole before clauses are split (a clause of them alone can look like a
command: "本来红色的" set the strip red):

- the speaker asks leave or advice for what they would do themselves ("can I oil the curtain
  track", "我可以用湿布擦电视吗"): the manual's; "can you…" and "能不能把灯打开" ask the assistant;
- a device's behaviour told ("the curtains move by themselves when I touch them", "窗帘一碰就动"):
  a symptom for the manual;
- a wrong state complained of ("灯带颜色不对，本来红色的变成蓝色了", "it was red and now it's
  blue"): troubleshooting; the colour it should have is not a request to set it.
"""

from __future__ import annotations

import re

#: The assistant is asked for something ("can you", "帮我"): a request, whatever else is said.
_REQUEST_ZH = re.compile(r"帮|请|麻烦|给我|你")
_REQUEST_EN = re.compile(r"(?<![a-z])(?:you|please)(?![a-z])")
#: An order beside a behaviour or a complaint ("每次回家就把灯打开", "颜色不对，换成红色", "it's wrong, set it
#: to red"): a request too. Not beside leave asked: "我可以把窗帘打开吗" is the speaker's own doing.
_ORDER_ZH = re.compile(r"把|[换调改弄设切]成|[调改变换切]回|调到|设为|设置")
_ORDER_EN = re.compile(r"(?:^|, |(?<![a-z])(?:and|then|so) )(?:please )?(?:turn|switch|open|close|set|make|put|start|"
                       r"stop|dim|raise|lower|change|play|shut|lock|unlock|pause|resume|keep)(?![a-z])")

#: "我可以…吗", "我能不能…", "可不可以我…", "要不要我…", "我该不该…": leave or advice for the speaker.
_MAY_I_ZH = re.compile(
    r"我(?:可以|可不可以|能不能|能否|能|该不该|应该|应不应该|需要|需不需要|要不要|是不是(?:应该|要|得|该)|得)|"
    r"(?:可不可以|能不能|要不要|该不该|需不需要)我(?!们)"
)
_ASKED_ZH = re.compile(r"[吗嘛么呢？?]|不(?:能|可以|要|该|需要|应该)|是不是")
#: "can I put oil on…", "is it ok if I…", "do I need to…"; not "can I have/get…", a request said politely.
_MAY_I_EN = re.compile(
    r"^(?:(?:and|so|ok|okay|but|also|um|uh|hey|then),? )?(?:can|could|may|might|should|must|shall) i"
    r"(?! (?:please|just )?(?:get|have|ask)(?![a-z]))(?![a-z])|^(?:should|must) we(?![a-z])|"
    r"(?<![a-z])(?:is it (?:ok|okay|alright|all right|fine|safe|a good idea|bad)(?: for me)? (?:if|to)|"
    r"would it be (?:ok|okay|fine|bad|safe) (?:if|to)|do (?:i|we) (?:need|have) to|am i (?:allowed|supposed) to|"
    r"is it possible for me to)(?![a-z])"
)

#: Behaviour told, not asked for: "by themselves", "every time", "keeps opening", "自己就动", "一碰就开".
_BEHAVIOUR_ZH = re.compile(r"(?<![我你])自己|一(?:碰|摸|按|点|拉|推|动|走|靠近|有人|进|出)[^，,]{0,3}就|每次|每回|老是|总是|动不动|时不时")
_BEHAVIOUR_EN = re.compile(
    r"(?<![a-z])(?:by (?:itself|themselves)|on (?:its|their) own|every time|each time|whenever|"
    r"keeps? (?:on )?[a-z]+ing|always [a-z]+s|randomly|for no reason)(?![a-z])"
)

#: A state that changed when it should not have: "本来红色的变成蓝色了", "it was red and now it's blue".
_CHANGED_ZH = re.compile(r"(?:本来|原来|之前|刚才)(?:是)?[^，,]{0,10}(?:变成|成了|变了)|怎么(?:又|突然|就)?(?:变成|成了|变)[^，,]*了")
_CHANGED_EN = re.compile(
    r"(?<![a-z])(?:was|were|used to be) [a-z' ]{1,24}?,? (?:and|but) (?:now|then) (?:it's|it is|they're|they are|"
    r"its|it|they|is|are|turned|went|became|changed)(?![a-z])|(?<![a-z])changed (?:from [a-z]+ )?to [a-z]+ by itself"
)
#: "颜色不对", "the colour is wrong": said of a device, its state complained of.
_WRONG_ZH = re.compile(r"不对|不太对|不正常")
_WRONG_EN = re.compile(
    r"(?<![a-z])(?:(?:is|are|looks?|seems?) (?:all |totally |completely )?wrong|wrong colou?r|"
    r"(?:isn't|is not|aren't|are not|doesn't look|don't look|doesn't seem) right|not right)(?![a-z])"
)


def _requests(text: str, lang: str, *, orders: bool = True) -> bool:
    asks = (_REQUEST_ZH if lang == "zh" else _REQUEST_EN).search(text)
    return bool(asks or (orders and (_ORDER_ZH if lang == "zh" else _ORDER_EN).search(text)))


def asks_leave(text: str, lang: str) -> bool:
    """Whether ``text`` (normalised) asks if the speaker may or should do something themselves."""
    lowered = text.lower().strip()
    if lang == "zh":
        return bool(_MAY_I_ZH.search(lowered) and _ASKED_ZH.search(lowered)) and not _requests(lowered, lang, orders=False)
    return bool(_MAY_I_EN.search(lowered)) and not _requests(lowered, lang, orders=False)


def tells_behaviour(text: str, lang: str) -> bool:
    """Whether ``text`` tells what a device does on its own or again and again (a symptom)."""
    lowered = text.lower().strip()
    behaviour = _BEHAVIOUR_ZH if lang == "zh" else _BEHAVIOUR_EN
    return bool(behaviour.search(lowered)) and not _requests(lowered, lang)


def tells_a_change(text: str, lang: str) -> bool:
    """Whether ``text`` complains that a state changed from what it was ("本来红色的变成蓝色了")."""
    lowered = text.lower().strip()
    changed = _CHANGED_ZH if lang == "zh" else _CHANGED_EN
    return bool(changed.search(lowered)) and not _requests(lowered, lang)


def complains_of_a_state(text: str, lang: str) -> bool:
    """Whether ``text`` says a state is wrong ("颜色不对", "isn't right"), or changed when it should not."""
    lowered = text.lower().strip()
    wrong = _WRONG_ZH if lang == "zh" else _WRONG_EN
    return tells_a_change(text, lang) or (bool(wrong.search(lowered)) and not _requests(lowered, lang))


def asks_no_change(text: str, lang: str, *, names_a_device: bool) -> bool:
    """Whether the whole of ``text`` is about a device without asking to change it: leave asked,
    behaviour told or a wrong state complained of. A change told ("it was red and now it's blue")
    needs no device named; the rest do."""
    if tells_a_change(text, lang):
        return True
    return names_a_device and (asks_leave(text, lang) or tells_behaviour(text, lang) or complains_of_a_state(text, lang))
