"""media.volume: the speaking device's own volume ("声音大一点" said to a speaker means that speaker).

The speaker is not a device in the gateway, so this skill keeps each speaker's current
volume itself (per home and speaker, starting from the home file's ``volume``) and
reports the change as an action for the runtime to pass to the speaker.
"""

from __future__ import annotations

import logging

from intents.types import Intent
from skills import phrases
from skills.devices.slot_values import number_slot
from skills.sdk import ActionReport, ActionStatus, Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult

_LOGGER = logging.getLogger(__name__)

STEP = 10
MINIMUM, MAXIMUM = 0, 100
DEFAULT_VOLUME = 50



class VolumeSkill:
    """Sets and steps the volume of the speaker that heard the request."""

    manifest = SkillManifest(
        name="volume",
        kind=SkillKind.TOOL,
        intents=("media.volume",),
        description="The speaking device's own volume: up, down, or to a value 0-100.",
    )

    def __init__(self) -> None:
        self._volumes: dict[tuple[str, str], int] = {}

    def volume(self, ctx: SkillContext) -> int:
        """The speaker's current volume as this skill knows it."""
        key = (ctx.home.id, ctx.speaker_id)
        if key not in self._volumes:
            speaker = ctx.home.speakers.get(ctx.speaker_id)
            self._volumes[key] = speaker.volume if speaker is not None else DEFAULT_VOLUME
        return self._volumes[key]

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        slots = intent.slots
        current = self.volume(ctx)
        direction = str(slots.get("direction") or "").lower()
        value = number_slot(slots.get("value"))
        if value is not None:
            wanted = value
        elif direction in ("up", "down"):
            amount = number_slot(slots.get("amount"))
            step = abs(amount) if amount is not None and amount != 0 else STEP
            wanted = current + step if direction == "up" else current - step
        elif slots.get("value") not in (None, ""):
            return SkillResult(ctx.say("音量可以设成0到100之间的数", "Volume goes from 0 to 100"), awaiting=Awaiting.CLARIFICATION)
        else:
            return SkillResult(ctx.say("音量要调大还是调小？", "Should I turn the volume up or down?"), awaiting=Awaiting.CLARIFICATION)
        target = int(round(min(MAXIMUM, max(MINIMUM, wanted))))
        clamped = "max" if wanted > MAXIMUM else "min" if wanted < MINIMUM else ""
        report = ActionReport(device=ctx.speaker_id, command="set", params={"volume": target}, status=ActionStatus.DONE)
        self._volumes[(ctx.home.id, ctx.speaker_id)] = target
        _LOGGER.info("volume of %s in home %s: %d -> %d", ctx.speaker_id, ctx.home.id, current, target)
        if clamped and current == target:
            edge = ctx.say("最大" if clamped == "max" else "最小", "maximum" if clamped == "max" else "minimum")
            speech = ctx.say(f"音量已经是{edge}了（{target}）", f"the volume is already at its {edge}, {target}")
        elif clamped:
            edge_zh, edge_en = ("最高", "maximum") if clamped == "max" else ("最低", "minimum")
            speech = ctx.say(f"音量已调到{edge_zh} {target}", f"volume set to its {edge_en}, {target}")
        else:
            speech = ctx.say(f"音量已调到{target}", f"volume set to {target}")
        return SkillResult(phrases.compose([speech], ctx.lang, acknowledged=not (clamped and current == target)), (report,))
