"""How the clauses of one utterance are read, and how their readings settle into one turn.

A clause is a rules frame or a model prediction (:class:`Reading`). Read together, some readings are
not requests of their own: thanks beside a request, a feeling that only says why, a clause of a
product question, answer words beside a request, a complaint before the order that fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from intents import lexicon as lx
from intents.frame import Frame, dedupe
from intents.manual_questions import describes_a_fault
from intents.not_commands import complains_of_a_state
from intents.numbers import find_quantity
from intents.rules import OUT_OF_SCOPE
from intents.types import Intent
from intents.vocabulary import HomeVocabulary, Mention

PRODUCT_QA = "kb.product_qa"
#: What a clause beside a product question can be without being a request of its own ("空调显示E8，是不是坏了",
#: "the ac is showing H1, is it broken"): the whole utterance is then the one question.
_NOT_REQUESTS = frozenset({"", OUT_OF_SCOPE, PRODUCT_QA, "kb.general_qa", "gen.chat", "time.query"})


@dataclass(frozen=True)
class Prediction:
    """The model's choice for a clause (the classifier's own type stays behind the lazy import), or the
    utility rules' (``by_rules``: "计时器加五分钟" needs no model)."""

    intent: str
    confidence: float
    out_of_scope: bool
    by_rules: bool = False


@dataclass(frozen=True)
class Reading:
    """One clause as understood: a rules frame, or the model's prediction, or nothing (None both);
    both for the speaker's own volume, which a device named just before takes over."""

    text: str
    frame: Frame | None = None
    prediction: Prediction | None = None

    @property
    def is_command(self) -> bool:
        return self.frame is not None or self.prediction is not None

    @property
    def name(self) -> str:
        return self.frame.action if self.frame is not None else self.prediction.intent if self.prediction else ""


def dialog_word(text: str, lang: str) -> str | None:
    """The dialog intent ``text`` says as a whole ("好的", "never mind", "算了吧"), or None."""
    compact = text.strip(" ,")
    compact = compact.replace(" ", "") if lang == "zh" else compact
    return next((name for name, pattern in lx.DIALOG if pattern.search(compact)), None)


#: When one turn says several answer words, the most cautious one is the answer: a "no" anywhere is a no.
_DIALOG_CAUTION = ("dialog.deny", "dialog.cancel", "dialog.confirm")


def settle_dialog(intents: list[Intent]) -> list[Intent]:
    """One answer per turn. Answer words alone, or a yes with the pending action echoed ("确定，关吧",
    "对，开吧", "yes, go ahead"), are one answer, the most cautious said. Beside a request that names
    its target, an answer word only leads into it ("算了，还是关了吧", "actually no, turn it off", "行了，我
    睡觉去了"): the request is the turn, and a yes said on the way never confirms a pending action."""
    answers = [i for i in intents if i.name in _DIALOG_CAUTION]
    if not answers or len(intents) == 1:
        return intents
    rest = [i for i in intents if i.name not in _DIALOG_CAUTION]
    echoes = all(i.name in ("device.turn_on", "device.turn_off") and not _TARGETED.intersection(i.slots) for i in rest)
    said = {i.name for i in answers}
    if all(i.name == OUT_OF_SCOPE for i in rest) or (echoes and said == {"dialog.confirm"}):
        wanted = next(name for name in _DIALOG_CAUTION if name in said)
        return [next(i for i in answers if i.name == wanted)]
    return rest


_TARGETED = frozenset({"device", "devices", "device_type", "room"})


def without_trailing_thanks(text: str) -> str:
    """"desk lamp on pls thx" asks for the lamp; "ok thanks" stays a reply (never a bare "ok" to a pending unlock)."""
    bare = lx.TRAILING_THANKS_EN.sub("", text).strip(" ,")
    if bare == text or not bare or any(pattern.search(bare) for _, pattern in lx.DIALOG):
        return text
    return bare


def without_courtesy(readings: list[Reading]) -> list[Reading]:
    """"麻烦你把窗帘拉开，谢谢啊": the thanks belongs to the request; alone, "谢谢" is still chat."""
    kept = [r for r in readings if not lx.COURTESY.match(r.text.strip(" ,"))]
    return kept if kept and len(kept) < len(readings) else readings


def without_reasons(readings: list[Reading]) -> list[Reading]:
    """"净化器先关一下吧，太吵了": a feeling beside a command to a named device says why; it is not a
    second command to whatever else could make it better (the TV's volume)."""
    def unnamed_feeling(r: Reading) -> bool:
        return r.frame is not None and bool(r.frame.extra.get("feeling")) and not (r.frame.devices or r.frame.rooms)

    if not any(r.frame is not None and r.frame.has_target and not unnamed_feeling(r) for r in readings):
        return readings
    return [r for r in readings if not unnamed_feeling(r)]


def as_one_question(readings: list[Reading], text: str, lang: str) -> list[Reading]:
    """A product question split into clauses that request nothing else is one question, asked whole.
    Beside a fault told ("the curtains quit responding after I opened and closed them a bunch of times"),
    only a command the rules read is a request: the model's guess at a fragment ("a bunch of times" as
    arithmetic) is not."""
    if len(readings) < 2 or not any(r.name == PRODUCT_QA for r in readings):
        return readings
    fault = describes_a_fault(text, lang)

    def asks_nothing_else(r: Reading) -> bool:
        if r.name in _NOT_REQUESTS or r.name.startswith("dialog.") or unspecific_query(r.frame):
            return True
        return fault and r.frame is None and r.prediction is not None and not r.prediction.by_rules

    if all(asks_nothing_else(r) for r in readings):
        return [Reading(text, prediction=Prediction(PRODUCT_QA, 0.9, False, by_rules=True))]
    return readings


def order_after_complaint(readings: list[Reading], lang: str, vocab: HomeVocabulary) -> list[Reading]:
    """"灯带颜色不对，换成红色": the order that follows a complaint acts on the device complained of, and the
    complaint itself asks for nothing more."""
    kept: list[Reading] = []
    for reading in readings:
        last = kept[-1] if kept else None
        order = reading.frame
        if (last is not None and last.name == PRODUCT_QA and order is not None and not order.has_target
                and order.action.startswith("device.") and complains_of_a_state(last.text, lang)):
            mentions = vocab.find(last.text)
            devices = tuple(m.id for m in mentions if m.kind == "device")
            types = tuple(m.id for m in mentions if m.kind == "type")
            if devices or types:
                rooms = order.rooms or tuple(m.id for m in mentions if m.kind == "room")
                kept[-1] = replace(reading, frame=replace(order, devices=devices, types=types, rooms=rooms))
                continue
        kept.append(reading)
    return kept


def unspecific_query(frame: Frame | None) -> bool:
    """"扫地机能钻进去吗": a question about a device that asks for none of its states."""
    return frame is not None and frame.action == "device.query" and frame.attribute is None


TARGET_KINDS = ("device", "type", "room")


def named_targets(mentions: list[Mention], kind_before: Frame, vocab: HomeVocabulary) -> Frame:
    """``kind_before`` aimed at the devices, types and rooms of ``mentions`` instead. A room alone ("我是说客厅的",
    "and the kitchen") keeps the kind of device ``kind_before`` was for."""
    devices, types, rooms = (dedupe(m.id for m in mentions if m.kind == kind) for kind in TARGET_KINDS)
    if not (devices or types):
        kinds = (vocab.device_type(d) for d in kind_before.devices)
        types = kind_before.types or dedupe(k for k in kinds if k)
    return replace(kind_before, devices=devices, types=types, rooms=rooms)


def with_repairs(readings: list[Reading], again: str, vocab: HomeVocabulary) -> list[Reading]:
    """``readings`` with the repair ``again`` applied to the last one ("is the telly on right now... the tv I
    mean", "打开卧室灯，我是说客厅灯", "set it to 20, no wait, 23"): the command's target, or the value it sets,
    said again. It is not a request of its own; naming nothing ("I mean it"), it only insists."""
    last = readings[-1] if readings else None
    if last is None or last.frame is None:
        return readings
    mentions = [m for m in vocab.find(again) if m.kind in TARGET_KINDS]
    value = find_quantity(again)
    frame = last.frame
    if mentions:
        frame = named_targets(mentions, frame, vocab)
    elif value is not None and frame.value is not None and frame.action == "device.set":
        frame = replace(frame, value=value.number)
    return [*readings[:-1], replace(last, frame=frame)]


def without_stated_states(readings: list[Reading]) -> list[Reading]:
    """"灯一直亮着，帮我关掉", "the tv is on, turn it off": a state said beside an order is its reason, not a
    question of its own; said alone ("the tv is still on?"), it is the question."""
    orders = [r for r in readings if r.frame is not None and r.frame.action.startswith("device.")
              and r.frame.action != "device.query"]
    if not orders:
        return readings
    kept: list[Reading] = []
    stated: Frame | None = None
    for r in readings:
        if r.frame is not None and r.frame.extra.get("state_said"):
            stated = r.frame
            continue
        if stated is not None and r.frame is not None and r in orders and not r.frame.has_target:
            r = replace(r, frame=r.frame.with_targets(stated))  # "…亮着，帮我关掉": that light
        kept.append(r)
    return kept
