"""The built-in device-query skill: reads device state (as last reported over MQTT).

A question never acts. "热水器设的多少度" (``target_temperature``) reads the set point, "客厅多少度"
the measured temperature; "哪个灯开着" / "how many lights are on" (several devices, power) answers with
the ones that are on instead of reading out every light.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.devices import DeviceInfo
from intents.types import Intent
from skills import phrases
from skills.devices.targeting import resolve_targets
from skills.sdk import SkillContext, SkillKind, SkillManifest, SkillResult

#: What a query without an attribute reports, by device type.
DEFAULT_ATTRIBUTE = {"lock": "lock", "cover": "position", "vacuum": "status", "sensor": "temperature"}

#: A "temperature" question about a thermostat means the room's measured temperature.
MEASURED = {"temperature": "current_temperature"}
#: The set point asked for by name ("设的多少度", "what is it set to"): read as the device's own temperature.
SET_POINT = "target_temperature"
#: How a water heater's measured temperature is said (it is the water's, not the room's).
WATER = {"current_temperature": ("水温", "water temperature"), "temperature": ("设定温度", "set temperature")}


def _reading(device: DeviceInfo, attribute: str, state: Mapping[str, Any]) -> tuple[str, Any] | None:
    if attribute == SET_POINT:
        attribute = "temperature"
    elif device.type in ("climate", "water_heater") and MEASURED.get(attribute) in state:
        attribute = MEASURED[attribute]
    if attribute in state:
        return attribute, state[attribute]
    return None


def _sentence(device: DeviceInfo, attribute: str, value: Any, lang: str) -> str:
    name = phrases.name_of(device, lang)
    text = phrases.value_text("temperature" if attribute == "current_temperature" else attribute, value, lang)
    if attribute == "power":
        return f"{name}{text}" if lang == "zh" else f"{name} is {text}"
    if attribute == "lock":
        return f"{name}{text}" if lang == "zh" else f"{name} is {value}"
    zh, en = WATER[attribute] if device.type == "water_heater" and attribute in WATER else (
        phrases.attribute_text(attribute, "zh"), phrases.attribute_text(attribute, "en"))
    return f"{name}{zh}是{text}" if lang == "zh" else f"{name} {en} is {text}"


def _missing(slots: Mapping[str, Any], ctx: SkillContext) -> str:
    """What was asked for and is not here: "室外的温度" (no outdoor sensor), else the attribute or device."""
    what = str(slots.get("attribute") or slots.get("device") or "")
    room = str(slots.get("room") or "")
    if room and slots.get("attribute"):
        word = phrases.attribute_text(what, ctx.lang)
        known = ctx.home.rooms.get(room)
        if known is not None:  # "how humid is it in the bedroom": none there, though the living room has one
            room = known.names.first(ctx.lang)
            return f"{room}的{word}" if ctx.lang == "zh" else f"the {word} in the {room}"
        return f"{room}的{word}" if ctx.lang == "zh" else f"the {word} {room}"
    return what


def _which_on(devices: tuple[DeviceInfo, ...], ctx: SkillContext) -> str:
    """"哪个灯开着": the devices that are on, or that none is."""
    on = [d for d in devices if ctx.devices.state(d.id).get("power") is True]
    if not on:
        return ctx.say("都关着，没有开着的", "None of them is on")
    return ctx.say(f"开着的有{len(on)}个：{phrases.names_of(on, 'zh')}",
                   f"{len(on)} {'is' if len(on) == 1 else 'are'} on: {phrases.names_of(on, 'en')}")


class DeviceQuerySkill:
    manifest = SkillManifest(
        name="device_query",
        kind=SkillKind.TOOL,
        intents=("device.query",),
        description="Answer questions about the state of devices.",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        slots = dict(intent.slots)
        if slots.get("attribute") == SET_POINT:
            slots["attribute"] = "temperature"  # which devices: those with a temperature to set
        targets = resolve_targets(intent.name, slots, ctx.devices.devices(), ctx.speaker_room)
        if targets.missing:
            return SkillResult(phrases.not_found_text(_missing(slots, ctx), ctx.lang))
        devices = targets.devices or targets.candidates
        if len(devices) > 1 and intent.slots.get("attribute") == "power":
            return SkillResult(_which_on(devices, ctx))
        sentences = []
        for device in devices:
            attribute = str(intent.slots.get("attribute") or DEFAULT_ATTRIBUTE.get(device.type, "power"))
            reading = _reading(device, attribute, ctx.devices.state(device.id))
            if reading is None:
                zh, en = phrases.name_of(device, "zh"), phrases.name_of(device, "en")
                sentences.append(ctx.say(f"{zh}还没有报告状态", f"{en} has not reported its state yet"))
            else:
                sentences.append(_sentence(device, *reading, ctx.lang))
        return SkillResult(phrases.compose(sentences, ctx.lang, acknowledged=False))
