"""Understanding as the pipeline uses it: the engine plus each home's vocabulary.

The engine is the cascade of intents/understander.py (rules first, the small catalog
model for the rest of the catalog), then, for what it leaves out of scope, the third-party
skills' matcher (skills/kit/matcher.py) when skills are installed. The vocabulary (rooms, device
names and aliases, scenes) is built from the devices the bridge has discovered and rebuilt only
when that set changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.devices import DeviceInfo
from domain.home import Home
from intents import HomeVocabulary, RuleUnderstander, Understander
from intents.types import USABLE_CONFIDENCE, Understanding, UnderstandingContext
from skills.kit.matcher import SkillMatcher


class HomeUnderstanding:
    def __init__(self, engine: Understander | RuleUnderstander | None = None, *,
                 usable: float = USABLE_CONFIDENCE) -> None:
        """``usable``: the confidence below which a reading asks for the fallback (``llm.usable``)."""
        # the cascade (rules, then the catalog model) unless a caller chooses the rules alone
        self._engine = engine or Understander(usable=usable)
        warm = getattr(self._engine, "warm", None)
        if warm is not None:  # the model loads at start-up, never inside a request's latency budget
            warm()
        self._vocabularies: dict[str, tuple[tuple[DeviceInfo, ...], HomeVocabulary]] = {}
        #: The installed third-party skills' intents, asked only about what the engine leaves out of scope.
        self.skills: SkillMatcher | None = None

    def vocabulary(self, home: Home, devices: Sequence[DeviceInfo]) -> HomeVocabulary:
        key = tuple(devices)
        cached = self._vocabularies.get(home.id)
        # the bridge hands out the same tuple until its devices change: identity is the cheap test
        if cached is None or (cached[0] is not key and cached[0] != key):
            cached = (key, HomeVocabulary.build(home, devices))
            self._vocabularies[home.id] = cached
        return cached[1]

    def understand(
        self, text: str, home: Home, devices: Sequence[DeviceInfo], ctx: UnderstandingContext
    ) -> Understanding:
        vocabulary = self.vocabulary(home, devices)
        understanding = self._engine.understand(text, ctx, vocabulary)
        return self.skills.reconsider(understanding, vocabulary) if self.skills else understanding
