"""The understanding cascade: rules, then the small catalog model, clause by clause.

Rules stay first because they are exact where it matters (device ids, values, safety) and
cost microseconds; the catalog model (catalog_model.py) names everything else, with a
calibrated confidence; the extractor of the chosen intent fills its slots. A clause neither
can claim confidently becomes ``out_of_scope`` with ``needs_fallback`` for the LLM planner:
never a guessed action. The model may overrule a rules reading when it is very sure the
clause is not a device command at all ("下午三点提醒我关空调" is a reminder, "what does error
E1 on the air conditioner mean" is a manual question).

Several commands in one utterance are split at the connectors of lexicon.py where each side
is a command on its own; "和/and" split only between different intents or device commands,
so "播放周杰伦和林俊杰的歌" stays one request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from intents import lexicon as lx
from intents.clause import read_clause
from intents.frame import Frame, mask
from intents.manual_questions import (
    about_a_product,
    asks_if_it_can,
    asks_what_if,
    asks_what_it_can_do,
    refers_to_a_product,
)
from intents.model.catalog import CatalogModel, load_catalog
from intents.model.encoder_vote import second_opinion, shipped_vote
from intents.normalize import normalize
from intents.not_commands import asks_no_change, complains_of_a_state
from intents.numbers import find_quantity
from intents.readings import (
    PRODUCT_QA,
    TARGET_KINDS,
    Prediction,
    Reading,
    as_one_question,
    dialog_word,
    named_targets,
    order_after_complaint,
    settle_dialog,
    unspecific_query,
    with_repairs,
    without_courtesy,
    without_reasons,
    without_stated_states,
    without_trailing_thanks,
)
from intents.rules import OUT_OF_SCOPE, RuleUnderstander, intents_of_frames
from intents.slots.content import audio_slots, control_slots, music_slots, product_slots, video_slots, write_slots
from intents.slots.measure import time_slots, unit_slots, volume_slots
from intents.slots.schedule import schedule_slots
from intents.slots.utility import alarm_slots, calc_slots, reminder_slots, timer_slots
from intents.spelling import correct_en
from intents.types import USABLE_CONFIDENCE, Intent, IntentSource, Understanding, UnderstandingContext
from intents.utility_rules import TIMER, cancels_an_alarm, read_utility, timed_command
from intents.vocabulary import HomeVocabulary

_LOGGER = logging.getLogger(__name__)

#: Below this the model's intent is not trusted on its own (out_of_scope + fallback).
MIN_CONFIDENCE = 0.5
#: The model overrules a rules reading only above this.
OVERRULE_CONFIDENCE = 0.85
#: Longer (normalised) utterances go to the fallback unread, like the rules do.
MAX_CHARS = 200
_RULE_FAMILIES = ("device.", "scene.", "dialog.")
TIMER_INTENTS = ("timer.set", "timer.cancel", "timer.query", "timer.status", "timer.pause", "timer.resume", "timer.add_time")
#: Words that make a clause a utility request whatever device it names ("提醒我关空调", "stop all timers in the kitchen").
_UTILITY_WORDS = re.compile(r"提醒|闹钟|闹铃|计时|定时器|倒计时|(?<![a-z])(?:remind|reminders?|alarms?|timers?|countdowns?)(?![a-z])")
#: What may overrule a rules reading of a question about a named device: "what does error E1 on the air
#: conditioner mean" is the manual's, "what's on the TV" the player's; never a timer or a unit conversion.
#: Attributes that are readings of a sensor, never a time ("现在几度").
_READINGS = frozenset({"temperature", "humidity", "pm25", "battery"})
_QUERY_OVERRULERS = frozenset({"kb.product_qa", "media.now_playing"})
#: Timer intents whose words ("pause", "继续") are the player's too.
_PLAYER_OR_TIMER = frozenset({"timer.pause", "timer.resume"})
_QUESTION = re.compile(r"怎么|怎样|如何|多久|为什么|为啥|什么意思|是什么|哪里|"
                       r"(?<![a-z])(?:how|why|what does|what is|where|when)(?![a-z])")
_PLAY_VERB = re.compile(r"^(?:please |can you |could you )?(?:play|put on|stream)(?![a-z])|"
                        r"^(?:请|帮我|给我)?(?:播放|放一?[首个部集段]|来一?[首个部段]|我想(?:听|看))")
_JOINING = re.compile(r"^\s*,?\s*(?:和|并|以及|还有|and)\s*$")
#: Memoised clause predictions kept at most (cleared when full).
MEMO_SIZE = 4096
#: Connectors that also join parts of one request ("一个半小时" is not, "an hour and a half" is;
#: "乘以四再加五"): a split there must beat reading the whole.
_WEAK = re.compile(r"^\s*,?\s*(?:和|并|以及|还有|再|而且|,|and)?\s*$")


SlotFiller = Callable[[str, str, datetime, HomeVocabulary], dict]


def _timer_filler(intent: str) -> SlotFiller:
    return lambda t, lang, now, v: timer_slots(t, lang, intent)


_SLOTS: dict[str, SlotFiller] = {
    **{name: _timer_filler(name) for name in TIMER_INTENTS},
    "alarm.set": lambda t, lang, now, v: alarm_slots(t, lang, "alarm.set", now),
    "alarm.cancel": lambda t, lang, now, v: alarm_slots(t, lang, "alarm.cancel", now),
    "alarm.query": lambda t, lang, now, v: {},
    "reminder.set": lambda t, lang, now, v: reminder_slots(t, lang, now),
    "schedule.cancel": lambda t, lang, now, v: schedule_slots(t, lang, "schedule.cancel", now, v),
    "schedule.change": lambda t, lang, now, v: schedule_slots(t, lang, "schedule.change", now, v),
    "schedule.query": lambda t, lang, now, v: {},
    "calc.evaluate": lambda t, lang, now, v: calc_slots(t, lang),
    "unit.convert": lambda t, lang, now, v: unit_slots(t, lang),
    "time.query": lambda t, lang, now, v: time_slots(t, lang),
    "media.volume": lambda t, lang, now, v: volume_slots(t, lang),
    "media.play_music": lambda t, lang, now, v: music_slots(t, lang),
    "media.play_video": lambda t, lang, now, v: video_slots(t, lang),
    "media.play_audio": lambda t, lang, now, v: audio_slots(t, lang),
    "media.control": lambda t, lang, now, v: control_slots(t, lang, v),
    "gen.write": lambda t, lang, now, v: write_slots(t, lang),
    "gen.chat": lambda t, lang, now, v: {},
    "media.now_playing": lambda t, lang, now, v: {},
    "kb.product_qa": lambda t, lang, now, v: product_slots(t, v),
    "kb.general_qa": lambda t, lang, now, v: {"question": t},
}


def fill_slots(intent: str, text: str, lang: str, now: datetime, vocab: HomeVocabulary) -> dict:
    """The slots of a model-named ``intent`` in the normalised clause ``text``."""
    filler = _SLOTS.get(intent)
    return filler(text, lang, now, vocab) if filler else {}


class Understander:
    """Rules + catalog model + slot extractors; the same ``understand`` as :class:`RuleUnderstander`.

    ``usable``: below this confidence (or out of scope) an understanding also asks for the fallback;
    the rules' own threshold when ``rules`` is given.
    """

    def __init__(self, model: CatalogModel | None = None, rules: RuleUnderstander | None = None,
                 usable: float = USABLE_CONFIDENCE) -> None:
        self._model = model
        self._rules = rules or RuleUnderstander(usable)
        self.usable = self._rules.usable
        self._memo: dict[tuple[str, str], Prediction] = {}

    def warm(self) -> None:
        """Load the model now (a service does this at start, not inside its first request's budget)."""
        _ = self.model
        shipped_vote()

    @property
    def model(self) -> CatalogModel:
        if self._model is None:
            self._model = load_catalog()
        return self._model

    def understand(self, text: str, ctx: UnderstandingContext, vocabulary: HomeVocabulary) -> Understanding:
        try:
            return self._understand(text if isinstance(text, str) else "", ctx, vocabulary)
        except Exception:  # one odd utterance must never fail a request: the fallback gets it
            _LOGGER.exception("understanding failed on %r", (text or "")[:200] if isinstance(text, str) else text)
            return _out_of_scope(text if isinstance(text, str) else "", ctx.lang or "zh")

    def _understand(self, text: str, ctx: UnderstandingContext, vocab: HomeVocabulary) -> Understanding:
        norm = normalize(text, ctx.lang)
        if not norm.text or len(norm.text) > MAX_CHARS:
            return _out_of_scope(norm.text, norm.lang)
        if norm.lang == "en":
            norm = replace(norm, text=correct_en(norm.text, vocab))
        if norm.lang == "en":
            norm = replace(norm, text=without_trailing_thanks(norm.text))
            opener = lx.OPENERS_EN.match(norm.text)
            if opener is not None:  # "ok resume", "right, I'm off to bed": the words after the opener
                norm = replace(norm, text=norm.text[opener.end():])
        repeated = _repeat_order(norm.text, norm.lang, ctx, vocab)
        if repeated:
            return Understanding(tuple(repeated), norm.lang, norm.text)
        if dialog_word(norm.text.replace(",", " "), norm.lang) or lx.CURRENCY_CONVERSION.search(norm.text):
            return self._rules.understand(text, ctx, vocab)
        command = timed_command(norm.text, norm.lang)
        if command is not None and _names_a_device(command, vocab):
            norm = replace(norm, text=command)  # "set a timer to turn off the tv in 10 minutes": the tv's, for later
        named = _names_a_device(norm.text, vocab)
        if (asks_what_if(norm.text, norm.lang) and named) or (
                not _UTILITY_WORDS.search(norm.text) and read_utility(norm.text, norm.lang) is None
                and asks_no_change(norm.text, norm.lang, names_a_device=named)):
            # "turning the tv off and on again, does that reset it", "can I oil the curtain track", "本来红色的
            # 变成蓝色了": one question, whatever its clauses say
            readings = [Reading(norm.text, prediction=Prediction(PRODUCT_QA, 0.9, False, by_rules=True))]
        else:
            said, again = _repaired(norm.text, norm.lang, vocab)
            if norm.lang == "zh" and lx.STARTS_WITH_POWER_ZH.search(said):
                said = lx.VERB_RESTART_ZH.sub(",", said)  # "打开空调关掉空调": two orders
            readings = without_stated_states(without_reasons(without_courtesy(self._split(said, norm.lang, vocab))))
            readings = as_one_question(readings, norm.text, norm.lang)
            readings = order_after_complaint(readings, norm.lang, vocab)
            readings = with_repairs(readings, again, vocab) if again else readings
        now = ctx.now or datetime.now().astimezone()
        intents: list[Intent] = []
        frames: list[Frame] = []
        for reading in readings:
            # "音量调到三十" is the speaker's own volume, unless a device was just named ("打开电视然后…")
            if reading.frame is not None and (reading.prediction is None or frames):
                frames.append(reading.frame)
                continue
            if frames:
                intents.extend(intents_of_frames(frames, vocab, IntentSource.RULES, ctx.speaker_room))
                frames = []
            intents.append(self._model_intent(reading, norm.lang, now, vocab))
        if frames:
            intents.extend(intents_of_frames(frames, vocab, IntentSource.RULES, ctx.speaker_room))
        intents = settle_dialog(intents)
        if not intents:
            return _out_of_scope(norm.text, norm.lang)
        fallback = any(i.name == OUT_OF_SCOPE or i.confidence < self.usable for i in intents)
        return Understanding(tuple(intents), norm.lang, norm.text, needs_fallback=fallback)

    # -- clauses -------------------------------------------------------------------------------------

    def _predict(self, texts: list[str], lang: str) -> list[Prediction]:
        """Model predictions, batched and memoised (splitting reads the same pieces more than once)."""
        todo = list(dict.fromkeys(t for t in texts if (lang, t) not in self._memo))
        if todo:
            if len(self._memo) > MEMO_SIZE:
                self._memo.clear()
            for text, raw in zip(todo, self.model.predict_many(todo, lang)):
                name, confidence = raw.intent, raw.confidence
                if lang == "en":  # the fine-tuned encoder decides where the sparse model is unsure
                    name, confidence = second_opinion(text, name, confidence)
                self._memo[(lang, text)] = Prediction(name, confidence, raw.out_of_scope and name == raw.intent)
        return [self._memo[(lang, t)] for t in texts]

    def _read(self, text: str, lang: str, vocab: HomeVocabulary, follows: bool = False) -> Reading:
        text = text.strip(" ,")
        if not text:
            return Reading(text)
        said = dialog_word(text, lang)
        if said is not None:  # "确定，关吧", "nah, don't bother": each clause's answer word, as said alone
            return Reading(text, prediction=Prediction(said, 0.95, False, by_rules=True))
        utility = read_utility(text, lang) or ("alarm.cancel" if cancels_an_alarm(text, lang) else None)
        named = _names_a_device(text, vocab)
        if about_a_product(text, lang) and (named or (utility is None and refers_to_a_product(text))) and not (
                named and lx.READING_SAYS_TEXT.search(text)):
            # "空调的适用面积是多少", "它的滤网多久换", "扫地机最多能设几个定时", "窗帘电机的红灯一直闪":
            # the manual's, never the device's state, a timer, or a command to it
            return Reading(text, prediction=Prediction(PRODUCT_QA, 0.9, False, by_rules=True))
        if utility is not None:
            return Reading(text, prediction=Prediction(utility, 0.95, False, by_rules=True))
        frame = None if _UTILITY_WORDS.search(text) else read_clause(text, lang, vocab, follows)
        if frame is not None and frame.has_target and frame.action.startswith("device.") and (
                asks_if_it_can(text, lang) or (unspecific_query(frame) and asks_what_it_can_do(text, lang))):
            # "扫地机能不能拖地", "扫地机能钻进去吗": what the device can do, never a command to it
            return Reading(text, prediction=Prediction(PRODUCT_QA, 0.9, False, by_rules=True))
        if (frame is not None and (frame.action == "scene.activate" or frame.extra.get("player"))) or (
                frame is not None and frame.has_target and frame.action != "device.query" and not _QUESTION.search(text)):
            return Reading(text, frame=frame)  # a command to a named device: the rules are exact, skip the model
        prediction = self._predict([text], lang)[0]
        if prediction.intent.startswith("media.play_") and _PLAY_VERB.match(text):
            # "play the shawshank redemption": a title the model never saw still asks to play something;
            # the content skill finds it, or says honestly that it is not there
            prediction = replace(prediction, confidence=max(prediction.confidence, MIN_CONFIDENCE), out_of_scope=False)
        if lx.NOW_PLAYING.search(text):
            prediction = Prediction("media.now_playing", 0.95, False, by_rules=True)
        if prediction.intent == "unit.convert" and find_quantity(text) is None and lx.READING_WORDS.search(text):
            prediction = Prediction(OUT_OF_SCOPE, 0.0, True)  # "温度是多少": nothing to convert, a reading
        if prediction.intent == "time.query" and not lx.TIME_WORDS.search(text):
            prediction = Prediction(OUT_OF_SCOPE, 0.0, True)  # "is it raining outside": nothing about the time
        if prediction.intent in _PLAYER_OR_TIMER and not TIMER.search(text):
            # "pause it", "resume": the player's, unless a timer is named ("pause the timer" is read above)
            prediction = replace(prediction, intent="media.control")
        if prediction.intent.startswith("dialog.") and complains_of_a_state(text, lang) and not any(
                pattern.search(text.replace(" ", "") if lang == "zh" else text) for _, pattern in lx.DIALOG):
            # "灯带颜色不对": a state complained of, not "不对" said to a question
            prediction = Prediction(PRODUCT_QA, 0.9, False, by_rules=True)
        in_scope = not prediction.out_of_scope and prediction.confidence >= MIN_CONFIDENCE
        other = in_scope and not prediction.intent.startswith(_RULE_FAMILIES)
        if frame is None:
            # a device/scene intent the rules could not read has no targets: not a command of its own
            return Reading(text, prediction=prediction if other or (prediction.intent.startswith("dialog.") and in_scope)
                           else None)
        if _targetless_volume(frame):
            return Reading(text, frame=frame, prediction=Prediction("media.volume", max(prediction.confidence, 0.9), False))
        if prediction.intent == "kb.general_qa" and (frame.devices or frame.types):
            # a question about one of this home's devices is about that product ("洗衣机最高脱水转速是多少")
            prediction = replace(prediction, intent="kb.product_qa")
        if frame.action == "device.query" and frame.attribute in _READINGS and prediction.intent == "time.query":
            return Reading(text, frame=frame)  # "这屋里现在几度": degrees are a reading, never the time
        if frame.action == "device.query" and frame.extra.get("says"):
            return Reading(text, frame=frame)  # "what does the thermometer say": its reading, not its manual
        if frame.action == "device.query" and (frame.has_target or frame.extra.get("back")) and (
                prediction.intent not in _QUERY_OVERRULERS or (prediction.intent == PRODUCT_QA and frame.attribute)):
            # a question about a named device is its state, never a timer; one that names a state it has
            # ("what's the volume on the tv") is not the manual's unless the manual rules above said so
            return Reading(text, frame=frame)
        # "turn it down", "how do I open the lock", "门锁没电了怎么开": the model may say what else it is
        loose = not frame.has_target or frame.action == "device.query" or bool(_QUESTION.search(text))
        if other and (loose or prediction.confidence >= OVERRULE_CONFIDENCE):
            return Reading(text, prediction=prediction)
        if not frame.has_target and frame.attribute is None and frame.action in ("device.set", "device.adjust") \
                and prediction.out_of_scope:
            return Reading(text)  # "订一张高铁票" is not "higher"; "now turn it off" stays (a follow-up)
        return Reading(text, frame=frame)

    def _split(self, text: str, lang: str, vocab: HomeVocabulary) -> list[Reading]:
        pieces: list[str] = []
        glue: list[str] = []
        pos = 0
        for m in lx.CONNECTORS[lang].finditer(text):
            if m.end() > m.start() and m.start() > pos:
                pieces.append(text[pos:m.start()])
                glue.append(m.group(0))
                pos = m.end()
        pieces.append(text[pos:])
        readings: list[Reading] = []
        if glue:
            self._predict([p.strip(" ,") for p in pieces] + [text], lang)  # one batched model call
        current = self._read(pieces[0], lang, vocab)
        for connector, piece in zip(glue, pieces[1:]):
            nxt = self._read(piece, lang, vocab, follows=True)
            if _splits(current, nxt, connector) and self._better_apart(current, nxt, connector, lang):
                readings.append(current)
                current = nxt
            else:
                current = self._read(current.text + connector + piece, lang, vocab)
        readings.append(current)
        return readings

    def _better_apart(self, left: Reading, right: Reading, connector: str, lang: str) -> bool:
        """Split only where each piece is surer than the whole: "计时器还有多久响" and "an hour and a
        half" stay whole, "关灯然后定个计时器" splits (commands to named devices always do)."""
        if not _WEAK.match(connector) or any(r.frame is not None and r.frame.has_target for r in (left, right)):
            return True
        if left.name != right.name and all(r.prediction is not None and r.prediction.by_rules for r in (left, right)):
            return True  # "半小时后提醒我收衣服，再定个二十分钟的计时器": two requests the rules name apart
        joined = (left.text + connector + right.text).strip(" ,")
        if read_utility(joined, lang) is not None and not all(read_utility(r.text, lang) for r in (left, right)):
            return False  # "remind me … in an hour and a half": one reminder, not a reminder and "a half"
        whole = self._predict([joined], lang)[0]
        if whole.out_of_scope or whole.intent.startswith(_RULE_FAMILIES):
            return True
        sure = min(_sureness(r) for r in (left, right))
        return sure > whole.confidence + 0.02

    def _model_intent(self, reading: Reading, lang: str, now: datetime, vocab: HomeVocabulary) -> Intent:
        p = reading.prediction
        if p is None or p.intent.startswith(_RULE_FAMILIES[:2]):
            # nothing confident, or a device/scene command the rules could not read: no made-up targets
            confidence = p.confidence if p is not None else 0.0
            return Intent(OUT_OF_SCOPE, {}, min(confidence, self.usable - 0.01), IntentSource.EDGE_MODEL, reading.text)
        slots = fill_slots(p.intent, reading.text, lang, now, vocab)
        source = IntentSource.RULES if p.by_rules else IntentSource.EDGE_MODEL
        return Intent(p.intent, slots, round(p.confidence, 4), source, reading.text)


#: Orders an elliptical turn repeats on other devices ("and the kitchen one").
_REPEATABLE = frozenset({"device.turn_on", "device.turn_off"})


def _repeat_order(text: str, lang: str, ctx: UnderstandingContext, vocab: HomeVocabulary) -> list[Intent]:
    """"turn off the living room light" then "and the kitchen one" / "还有厨房的": the same order on the devices
    named; "and the kitchen" names a room, so the order goes to the kind of device it was for."""
    if ctx.last_order is None or ctx.last_order[0] not in _REPEATABLE or not lx.ELLIPSIS_MARK.search(text):
        return []
    action, used = ctx.last_order
    found = [m for m in vocab.find(text) if m.kind in TARGET_KINDS]
    if not found or not lx.ELLIPSIS[lang].match(mask(text, found, TARGET_KINDS)):
        return []
    frame = named_targets(found, Frame(action, text, devices=used), vocab)
    return intents_of_frames([frame], vocab, IntentSource.RULES, ctx.speaker_room)


def _repaired(text: str, lang: str, vocab: HomeVocabulary) -> tuple[str, str]:
    """``text`` split before a repair ("打开卧室灯，我是说客厅灯"; "is the telly on... the tv I mean", where the
    target comes before the words), or ``(text, "")``. The repair is read against what came before it."""
    repair = lx.REPAIR.search(text)
    if repair is None or not repair.start():
        return text, ""
    said, again = text[:repair.start()], text[repair.start():]
    if not (any(m.kind in ("device", "type", "room") for m in vocab.find(again)) or find_quantity(again)):
        cuts = [m.start() for m in lx.CONNECTORS[lang].finditer(said) if m.start() > 0]
        if not cuts:
            return text, ""
        said, again = said[:cuts[-1]], said[cuts[-1]:].strip(" ,") + " " + again
    return said, again


def _names_a_device(text: str, vocab: HomeVocabulary) -> bool:
    return any(mention.kind in ("device", "type") for mention in vocab.find(text))


def _targetless_volume(frame: Frame) -> bool:
    """声音大一点 / 音量调到三十 with no device named: the speaking device's own volume (media.volume)."""
    return frame.action in ("device.set", "device.adjust") and frame.attribute == "volume" and not frame.has_target


def _sureness(reading: Reading) -> float:
    if reading.frame is not None:
        return 1.0 if reading.frame.has_target else 0.5
    return reading.prediction.confidence if reading.prediction is not None else 0.0


def _splits(left: Reading, right: Reading, connector: str) -> bool:
    if not (left.is_command and right.is_command):
        return False
    if _JOINING.match(connector):
        return left.frame is not None or right.frame is not None or left.name != right.name
    return True


def _out_of_scope(text: str, lang: str) -> Understanding:
    intent = Intent(OUT_OF_SCOPE, {}, 0.0, IntentSource.EDGE_MODEL, text)
    return Understanding((intent,), lang or "zh", text, needs_fallback=True)
