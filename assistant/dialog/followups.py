"""Follow-ups: what a turn leaves out comes from the session's last device task.

"把客厅灯调到50%" then "再亮一点" adjusts the same light; "卧室空调开一下" then "调到24度"
sets the bedroom AC; "now turn it off" switches off what was just switched on. Only a turn
that names no device, room or type borrows the previous target, and only devices that can
do what is asked are kept. A manual question that leans on the product just talked about ("扫地机的
尘盒能装多少灰" then "那它的水箱呢", "what about its remote") stays a question about that product.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from assistant.dialog.sessions import Session
from domain.devices import DeviceInfo
from intents.manual_questions import follows_up_on_a_product, leans_on_the_turn_before
from intents.types import Intent

DEVICE_INTENTS = frozenset({"device.turn_on", "device.turn_off", "device.set", "device.adjust", "device.query"})
TARGET_SLOTS = ("device", "devices", "room", "device_type")

#: What "调到50" / "再高一点" means for a device when the turn names no attribute.
PRIMARY_ATTRIBUTE = {
    "light": "brightness",
    "climate": "temperature",
    "water_heater": "temperature",
    "cover": "position",
    "media_player": "volume",
    "fan": "fan_speed",
}

#: A follow-up completed from context is as sure as the turn that set the context.
CONTEXT_CONFIDENCE = 0.9
PRODUCT_QA = "kb.product_qa"
#: Families whose last use decides what a bare "pause it" / "继续" is about.
TIMER_OR_PLAYER = ("timer.", "media.")
#: What a follow-up about the product just talked about may be misread as; ``out_of_scope`` most of all.
_MISREAD_FOLLOW_UPS = frozenset({"out_of_scope", "gen.write", "gen.chat", "kb.general_qa"})
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _attribute(intent: Intent, session: Session, targets: list[DeviceInfo]) -> str | None:
    said = intent.slots.get("attribute")
    if said or intent.name not in ("device.set", "device.adjust"):
        return said
    last = session.last_slots.get("attribute")
    if last and all(last in t.capabilities for t in targets):
        return last
    return PRIMARY_ATTRIBUTE.get(targets[0].type)


def _volume_of_last_device(intent: Intent, session: Session, devices: Mapping[str, DeviceInfo]) -> Intent:
    """"打开电视" then "声音调到三十": the volume of the device just used, not the speaker's own."""
    with_volume = [d for d in session.last_devices if d in devices and "volume" in devices[d].capabilities]
    if not with_volume:
        return intent
    slots = {k: v for k, v in intent.slots.items() if k in ("value", "direction", "amount")}
    name = "device.set" if "value" in slots else "device.adjust"
    return replace(intent, name=name, slots={**slots, "attribute": "volume", "device": with_volume[-1]},
                   confidence=max(intent.confidence, CONTEXT_CONFIDENCE))


def _product_follow_up(intent: Intent, session: Session) -> Intent:
    """"那它的水箱呢" after a question about the vacuum: the manual's, about the session's topic."""
    lang = "zh" if _CJK.search(intent.text) else "en"
    if not follows_up_on_a_product(intent.text, lang, loose=intent.name == "out_of_scope"):
        return intent
    # the knowledge skill takes the product from the session's topic (its ``last_device``)
    return replace(intent, name=PRODUCT_QA, slots={"question": intent.text}, confidence=CONTEXT_CONFIDENCE)




def with_context(intent: Intent, session: Session, devices: Mapping[str, DeviceInfo]) -> Intent:
    """``intent`` with its target (and attribute) filled in from the session, when it names none."""
    if intent.name in _MISREAD_FOLLOW_UPS and session.topic and intent.text:
        return _product_follow_up(intent, session)
    if (intent.name == "device.query" and intent.text and session.last_intent == PRODUCT_QA
            and not any(intent.slots.get(slot) for slot in TARGET_SLOTS) and leans_on_the_turn_before(intent.text)):
        # "那它的电池呢" after a question to the vacuum's manual: the manual's too, not its battery level now
        return replace(intent, name=PRODUCT_QA, slots={"question": intent.text}, confidence=CONTEXT_CONFIDENCE)
    if (intent.name == "media.control" and session.last_intent.startswith("timer.") and "device" not in intent.slots
            and intent.slots.get("action") in ("pause", "resume")):
        # "pause the pasta timer" then "ok unpause it": the timer talked about, not a player
        return replace(intent, name=f"timer.{intent.slots['action']}", slots={},
                       confidence=max(intent.confidence, CONTEXT_CONFIDENCE))
    if intent.name == "media.volume" and session.last_devices:
        return _volume_of_last_device(intent, session, devices)
    if intent.name not in DEVICE_INTENTS or not session.last_devices:
        return intent
    if any(intent.slots.get(slot) for slot in TARGET_SLOTS):
        return intent
    targets = [devices[d] for d in session.last_devices if d in devices]
    if not targets:
        return intent
    slots = dict(intent.slots)
    attribute = _attribute(intent, session, targets)
    if attribute:
        slots["attribute"] = attribute
        if intent.name != "device.query":
            targets = [t for t in targets if attribute in t.capabilities]
            if not targets:
                return intent
    if len(targets) == 1:
        slots["device"] = targets[0].id
    else:
        slots["devices"] = [t.id for t in targets]
    return replace(intent, slots=slots, confidence=max(intent.confidence, CONTEXT_CONFIDENCE))
