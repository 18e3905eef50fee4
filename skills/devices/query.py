"""The built-in device-query skill: reads device state (as last reported over MQTT)."""

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


def _reading(device: DeviceInfo, attribute: str, state: Mapping[str, Any]) -> tuple[str, Any] | None:
    if device.type in ("climate", "water_heater") and MEASURED.get(attribute) in state:
        attribute = MEASURED[attribute]
    if attribute in state:
        return attribute, state[attribute]
    return None


def _sentence(device: DeviceInfo, attribute: str, value: Any, lang: str) -> str:
    name = phrases.name_of(device, lang)
    text = phrases.value_text(attribute, value, lang)
    if attribute == "power":
        return f"{name}{text}" if lang == "zh" else f"{name} is {text}"
    if attribute == "lock":
        return f"{name}{text}" if lang == "zh" else f"{name} is {value}"
    word = phrases.attribute_text(attribute, lang)
    return f"{name}{word}是{text}" if lang == "zh" else f"{name} {word} is {text}"


class DeviceQuerySkill:
    manifest = SkillManifest(
        name="device_query",
        kind=SkillKind.TOOL,
        intents=("device.query",),
        description="Answer questions about the state of devices.",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        targets = resolve_targets(intent.name, intent.slots, ctx.devices.devices(), ctx.speaker_room)
        if targets.missing:
            return SkillResult(phrases.not_found_text(str(intent.slots.get("attribute") or intent.slots.get("device") or ""), ctx.lang))
        sentences = []
        for device in targets.devices:
            attribute = str(intent.slots.get("attribute") or DEFAULT_ATTRIBUTE.get(device.type, "power"))
            reading = _reading(device, attribute, ctx.devices.state(device.id))
            if reading is None:
                zh, en = phrases.name_of(device, "zh"), phrases.name_of(device, "en")
                sentences.append(ctx.say(f"{zh}还没有报告状态", f"{en} has not reported its state yet"))
            else:
                sentences.append(_sentence(device, *reading, ctx.lang))
        return SkillResult(phrases.compose(sentences, ctx.lang, acknowledged=False))
