"""The skills one instance serves: the built-in tool skills, and those that open data or models.

Content and knowledge keep indexes and per-home history in the data folder; generation writes
through the LLM tiers the router already holds. Their manifests are known before they open, so
the LLM planner's schema lists every served intent from the start. Third-party skills (entry points
and ``skills.folders``) join behind the gate of skills/kit/gate.py, after the built-in ones, so
they can never take a built-in intent; :func:`skill_generation` finds them again on a reload.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from pathlib import Path

from assistant.app.config import SkillOptions
from assistant.routing.llm_tiers import LlmFallback
from domain.errors import invalid_argument
from intents.llm.schema import Served
from intents.types import Intent, IntentSource
from skills.content import ContentSkill
from skills.devices.control import DeviceControlSkill
from skills.devices.query import DeviceQuerySkill
from skills.devices.scenes import SceneSkill
from skills.generation import GenerationSkill, TextTier
from skills.kit.discovery import from_entry_points, from_folders, install
from skills.kit.matcher import SkillMatcher, catalog_others
from skills.kit.provider import ProvidedContent, Providers
from skills.kit.reload import Generation, RemoteSkills, build_generation, planner_intents, third_party
from skills.knowledge import KnowledgeBase, KnowledgeSkill, LlmComposer
from skills.out_of_scope import OutOfScopeSkill
from skills.sdk import SetTimer, Skill, SkillContext, SkillManifest, SkillRegistry, SkillResult
from skills.search import SearchError, open_backend
from skills.utilities.alarms import AlarmSkill
from skills.utilities.calculator import CalculatorSkill
from skills.utilities.clock import ClockSkill
from skills.utilities.scheduled import ScheduledDevices
from skills.utilities.scheduler import Scheduler
from skills.utilities.timers import TimerSkill
from skills.utilities.units import UnitConversionSkill
from skills.utilities.volume import VolumeSkill

_LOGGER = logging.getLogger(__name__)

#: Skills the runtime opens with a data folder or the LLM tiers.
OPENED: tuple[SkillManifest, ...] = (ContentSkill.manifest, KnowledgeSkill.manifest, GenerationSkill.manifest)


def builtin_skills(scheduler: Scheduler, opened: Sequence[Skill] = (), third_party: Sequence[Skill] = ()) -> SkillRegistry:
    timers, providers = TimerSkill(scheduler), Providers()
    registry = SkillRegistry([
        ScheduledDevices(DeviceControlSkill(), scheduler), DeviceQuerySkill(), SceneSkill(),
        timers, AlarmSkill(scheduler), ClockSkill(), CalculatorSkill(), UnitConversionSkill(), VolumeSkill(scheduler.store),
        *(ProvidedContent(s, providers) if s.manifest.name == ContentSkill.manifest.name else s for s in opened),
        OutOfScopeSkill(),
    ])
    install(registry, third_party, timer_seam(timers), providers)
    return registry


def timer_seam(timers: TimerSkill) -> SetTimer:
    """``ctx.set_timer`` of a third-party skill: the built-in timer.set on its context (its home and speaker)."""

    async def set_timer(ctx: SkillContext, seconds: float, label: str) -> SkillResult:
        asked = Intent("timer.set", {"duration": seconds, "label": label}, 1.0, IntentSource.RULES, "")
        return await timers.handle(asked, ctx)

    return set_timer


def third_party_skills(options: SkillOptions) -> list[Skill]:
    """The skills of installed packages (``lingxi.skills`` entry points) and of ``skills.folders``."""
    return [*(from_entry_points() if options.entry_points else ()), *from_folders(options.folders)]


def remote_skills(options: SkillOptions) -> RemoteSkills:
    """The skills of ``skills.remote``, asked for their manifests at start and on every reload
    (:class:`~skills.kit.reload.RemoteSkills`: one that does not answer is left out with an error line)."""
    if any(not r.name or not r.address for r in options.remote):
        raise invalid_argument("skills.remote: every remote skill needs a name and an address")
    return RemoteSkills(options.remote)


def skill_generation(scheduler: Scheduler, opened: Sequence[Skill], options: SkillOptions,
                     remote: Sequence[Skill]) -> Generation:
    """The skills to serve now, third-party ones found again (the ``remote`` ones as they described
    themselves just now), with their matcher (seconds of training)."""
    return build_generation(lambda: [*third_party_skills(options), *remote], lambda found: builtin_skills(scheduler, opened, found),
                            lambda manifests: SkillMatcher(manifests, catalog_others()))


def served_intents(skills: SkillRegistry) -> tuple[Served, ...]:
    """Every intent the instance serves, the opened skills' included even before they open; the
    third-party ones with their slots and samples (the LLM planner's schema and prompt show them)."""
    described = {i.name: i for m in third_party(skills) for i in planner_intents(m)}
    names = [n for m in (*skills.manifests(), *OPENED) for n in m.intents]
    return tuple(described.get(n, n) for n in dict.fromkeys(names))


def text_tiers(fallback: LlmFallback) -> list[TextTier]:
    """The LLM tiers that can write, in the order generation tries them (the cloud first)."""
    return [TextTier(name, backend, name == "cloud") for name, backend in fallback.backends().items()]


async def open_knowledge(data_dir: Path, search_url: str = "") -> KnowledgeBase:
    """The knowledge base in ``data_dir/knowledge`` (the shipped manuals indexed on first start):
    on Elasticsearch when a URL is configured and answers, else on the embedded index."""
    folder = data_dir / "knowledge"
    if search_url:
        base = KnowledgeBase(folder, backend=open_backend(folder, search_url))
        try:
            await base.start()
            return base
        except SearchError as err:
            await base.close()
            _LOGGER.warning("search: Elasticsearch at %s unavailable (%s); answering from the embedded index", search_url, err)
    base = KnowledgeBase(folder, backend=open_backend(folder, ""))
    await base.start()
    return base


class OpenedOnFirstUse:
    """A skill whose indexes open on its first request, or at start when preloaded.

    Opening the catalogue and the manuals costs seconds of CPU on a fresh data folder; an
    instance that never hears a content or knowledge request (most test runs) never pays it.
    """

    def __init__(self, manifest: SkillManifest, opener: Callable[[], Awaitable[Skill]]) -> None:
        self.manifest = manifest
        self._opener = opener
        self._opening: asyncio.Future[Skill] | None = None

    def open(self) -> asyncio.Future[Skill]:
        if self._opening is None:
            self._opening = asyncio.ensure_future(self._opener())
        return self._opening

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        skill = await asyncio.shield(self.open())
        return await skill.handle(intent, ctx)

    async def reset_home(self, home_id: str) -> None:
        """Put what the skill keeps for a home back to nothing, if it has opened and keeps anything."""
        if self._opening is not None and self._opening.done() and not self._opening.cancelled() \
                and self._opening.exception() is None:
            reset = getattr(self._opening.result(), "reset_home", None)
            if reset is not None:
                await reset(home_id)

    async def close(self) -> None:
        """Stop an opening still under way (its own clean-up runs with the runtime's stack)."""
        if self._opening is not None and not self._opening.done():
            self._opening.cancel()
            await asyncio.gather(self._opening, return_exceptions=True)


async def open_skills(
    data_dir: Path, search_url: str, fallback: LlmFallback, stack: AsyncExitStack, preload: bool
) -> list[Skill]:
    """Content (catalogue, players, history), knowledge (manuals) and generation, closed with ``stack``."""

    async def content() -> Skill:
        skill = await ContentSkill.open(None, data_dir / "content")
        stack.callback(skill.close)
        return skill

    async def knowledge() -> Skill:
        base = await open_knowledge(data_dir, search_url)
        stack.push_async_callback(base.close)
        tiers = text_tiers(fallback)  # none configured: extractive answers, nothing waited for
        return KnowledgeSkill(base, LlmComposer(tiers) if tiers else None)

    opened = [OpenedOnFirstUse(ContentSkill.manifest, content), OpenedOnFirstUse(KnowledgeSkill.manifest, knowledge)]
    for skill in opened:
        stack.push_async_callback(skill.close)
        if preload:
            skill.open()
    return [*opened, GenerationSkill(text_tiers(fallback))]
