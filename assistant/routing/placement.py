"""Where each task of a turn runs, once routing has decided: here, or already done by the upstream.

An instance plays a :class:`Role`. A ``cloud`` instance, and any instance asked with
``plan_only`` (an edge forwarding to it), carries out no tool task: devices, scenes and the
utilities belong to the caller, who runs them through its own skills and safety gate, so
the cloud never reaches a home's devices. On the edge, the tasks its upstream answered
(content, generation, ...) are not run again: their answer is replayed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import invalid_argument
from intents.types import Intent
from skills.sdk import Skill, SkillContext, SkillKind, SkillManifest, SkillRegistry, SkillResult


class Role(StrEnum):
    """An instance's deployment role (``role`` in the configuration)."""

    BOTH = "both"  # one instance in one process plays both roles (the default)
    EDGE = "edge"  # in the home: devices, rules, the small model, utilities; may name an upstream
    CLOUD = "cloud"  # never acts in a home: every request is planned only

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text)
        except ValueError:
            raise invalid_argument(f"role must be one of {', '.join(cls)}, not {text!r}") from None


#: The manifest of an upstream's replayed answer (the task's own skill may not exist here).
UPSTREAM_MANIFEST = SkillManifest("upstream", SkillKind.GENERATION, (), "What the upstream instance answered")


@dataclass(frozen=True)
class Placement:
    """Which of a turn's tasks this instance carries out.

    ``plan_only``: tool tasks are planned here, not run (the caller runs them);
    ``answered``: intents the upstream already answered, with ``upstream``, what it said for them.
    """

    plan_only: bool = False
    answered: frozenset[str] = frozenset()
    upstream: SkillResult = field(default_factory=lambda: SkillResult(""))

    def registry(self, skills: SkillRegistry) -> SkillRegistry:
        """The skills of this turn: ``skills``, less what runs elsewhere."""
        if not self.plan_only and not self.answered:
            return skills
        return _PlacedRegistry(skills, self)


class _Planned:
    """A tool task left to the caller: no action, no words."""

    def __init__(self, manifest: SkillManifest) -> None:
        self.manifest = manifest

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        return SkillResult("")


class _Answered:
    """The upstream's answer, said once however many of its tasks this turn has (its speech covers them all)."""

    manifest = UPSTREAM_MANIFEST

    def __init__(self, result: SkillResult) -> None:
        self._result: SkillResult | None = result

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        result, self._result = self._result, None
        return result or SkillResult("")


class _PlacedRegistry(SkillRegistry):
    def __init__(self, skills: SkillRegistry, placement: Placement) -> None:
        super().__init__()
        self._skills = skills
        self._placement = placement
        self._answered = _Answered(placement.upstream)

    def skill_for(self, intent_name: str) -> Skill | None:
        if intent_name in self._placement.answered:
            return self._answered
        skill = self._skills.skill_for(intent_name)
        if skill is not None and self._placement.plan_only and skill.manifest.kind is SkillKind.TOOL:
            return _Planned(skill.manifest)
        return skill

    def manifests(self) -> list[SkillManifest]:
        return self._skills.manifests()
