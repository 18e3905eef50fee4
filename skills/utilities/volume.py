"""media.volume: the speaking device's own volume ("声音大一点" said to a speaker means that speaker).

The speaker is not a device in the gateway, so this skill keeps each speaker's current
volume itself, in the state store (kind ``volume``, per home and speaker, starting from
the home file's ``volume``) so a restart or another instance knows it, and reports the
change as an action for the runtime to pass to the speaker.
"""

from __future__ import annotations

import logging

from intents.types import Intent
from skills import phrases
from skills.devices.slot_values import number_slot
from skills.sdk import ActionReport, ActionStatus, Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult
from skills.state import Record, StateOptions, StateStore, open_store

_LOGGER = logging.getLogger(__name__)

STEP = 10
MINIMUM, MAXIMUM = 0, 100
DEFAULT_VOLUME = 50

#: The store kind of speaker volumes (key: the speaker id).
KIND = "volume"

class VolumeSkill:
    """Sets and steps the volume of the speaker that heard the request."""

    manifest = SkillManifest(
        name="volume",
        kind=SkillKind.TOOL,
        intents=("media.volume",),
        description="The speaking device's own volume: up, down, or to a value 0-100.",
    )

    def __init__(self, store: StateStore | None = None) -> None:
        """``store`` defaults to an in-memory one (volumes then last as long as the process)."""
        self._store = store if store is not None else open_store(StateOptions())

    async def volume(self, ctx: SkillContext) -> int:
        """The speaker's current volume as this skill knows it."""
        stored = await self._store.get(ctx.home.id, KIND, ctx.speaker_id)
        if stored is not None:
            return int(stored.value["volume"])
        speaker = ctx.home.speakers.get(ctx.speaker_id)
        return speaker.volume if speaker is not None else DEFAULT_VOLUME

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        slots = intent.slots
        current = await self.volume(ctx)
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
        await self._store.put(Record(ctx.home.id, KIND, ctx.speaker_id, {"volume": target}))
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
