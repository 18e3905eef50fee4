"""The skills one instance serves: the built-in tool skills, and those that open data or models.

Content and knowledge keep indexes and per-home history in the data folder; generation writes
through the LLM tiers the router already holds. Their manifests are known before they open, so
the LLM planner's schema lists every served intent from the start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path

from assistant.routing.llm_tiers import LlmFallback
from skills.content import ContentSkill
from skills.devices.control import DeviceControlSkill
from skills.devices.query import DeviceQuerySkill
from skills.devices.scenes import SceneSkill
from skills.generation import GenerationSkill, TextTier
from skills.out_of_scope import OutOfScopeSkill
from skills.sdk import Skill, SkillManifest, SkillRegistry
from skills.utilities.alarms import AlarmSkill
from skills.utilities.calculator import CalculatorSkill
from skills.utilities.clock import ClockSkill
from skills.utilities.scheduler import Scheduler
from skills.utilities.timers import TimerSkill
from skills.utilities.units import UnitConversionSkill
from skills.utilities.volume import VolumeSkill

_LOGGER = logging.getLogger(__name__)

#: Skills the runtime opens with a data folder or the LLM tiers.
OPENED: tuple[SkillManifest, ...] = (ContentSkill.manifest, GenerationSkill.manifest)


def builtin_skills(scheduler: Scheduler, opened: Sequence[Skill] = ()) -> SkillRegistry:
    return SkillRegistry([
        DeviceControlSkill(), DeviceQuerySkill(), SceneSkill(),
        TimerSkill(scheduler), AlarmSkill(scheduler), ClockSkill(), CalculatorSkill(), UnitConversionSkill(), VolumeSkill(),
        *opened,
        OutOfScopeSkill(),
    ])


def served_intents(skills: SkillRegistry) -> tuple[str, ...]:
    """Every intent the instance serves, the opened skills' included even before they open."""
    names = [n for m in (*skills.manifests(), *OPENED) for n in m.intents]
    return tuple(dict.fromkeys(names))


def text_tiers(fallback: LlmFallback) -> list[TextTier]:
    """The LLM tiers that can write, in the order generation tries them (the cloud first)."""
    return [TextTier(name, backend, name == "cloud") for name, backend in fallback.backends().items()]


async def open_skills(data_dir: Path, fallback: LlmFallback, stack: AsyncExitStack) -> list[Skill]:
    """Content (catalogue, players, history) and generation, closed with ``stack``."""
    content = await ContentSkill.open(None, data_dir / "content")
    stack.callback(content.close)
    return [content, GenerationSkill(text_tiers(fallback))]
