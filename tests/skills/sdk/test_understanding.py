"""Installing skills must not take the built-in skills' requests, and a skill's own utterances must be
understood from its manifest's samples (issue 14). Measured with the catalog model's held-out split
and a held-out quarter of the example skills' samples."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from domain.devices import DeviceInfo
from domain.home import load_demo_home
from intents import HomeVocabulary, Understander
from intents.training.catalog_eval import evaluate
from intents.types import Understanding, UnderstandingContext
from skills.kit.discovery import from_folders
from skills.kit.matcher import SkillMatcher, catalog_others
from skills.sdk import SkillManifest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = [ROOT / "examples" / "coffee_machine", ROOT / "examples" / "shopping_list"]
NOW = datetime(2026, 3, 2, 9, 0).astimezone()


@pytest.fixture(scope="module")
def understander() -> Understander:
    return Understander()


@pytest.fixture(scope="module")
def vocabulary() -> HomeVocabulary:
    home = load_demo_home()
    return HomeVocabulary.build(home, [DeviceInfo.from_home(d) for d in home.devices.values()])


@pytest.fixture(scope="module")
def manifests() -> list[SkillManifest]:
    return [s.manifest for s in from_folders(EXAMPLES)]


@pytest.fixture(scope="module")
def matcher(manifests) -> SkillMatcher:
    return SkillMatcher(manifests, catalog_others())


class WithSkills:
    """The built-in understanding, then the skills' matcher, as HomeUnderstanding runs them."""

    def __init__(self, understander: Understander, matcher: SkillMatcher) -> None:
        self._understander = understander
        self._matcher = matcher

    def understand(self, text: str, ctx: UnderstandingContext, vocabulary: HomeVocabulary) -> Understanding:
        return self._matcher.reconsider(self._understander.understand(text, ctx, vocabulary), vocabulary)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_installing_the_examples_keeps_the_built_in_accuracy(understander, vocabulary, matcher, lang):
    before = evaluate(understander, vocabulary, lang)
    after = evaluate(WithSkills(understander, matcher), vocabulary, lang)
    assert after.intent_accuracy >= before.intent_accuracy - 0.005, [m for m in after.misses if m not in before.misses]


def _without_every_fourth(manifest: SkillManifest, fold: int) -> tuple[SkillManifest, list[tuple[str, str, str]]]:
    kept, held = [], []
    for spec in manifest.specs:
        samples = {lang: tuple(t for i, t in enumerate(texts) if i % 4 != fold) for lang, texts in spec.samples.items()}
        held += [(t, lang, spec.name) for lang, texts in spec.samples.items() for i, t in enumerate(texts) if i % 4 == fold]
        kept.append(dataclasses.replace(spec, samples=samples))
    return dataclasses.replace(manifest, specs=tuple(kept)), held


def test_held_out_samples_of_the_examples_are_understood(understander, vocabulary, manifests):
    others = catalog_others()
    right = total = 0
    for fold in range(4):
        parts = [_without_every_fourth(m, fold) for m in manifests]
        matcher = SkillMatcher([m for m, _ in parts], others)
        for text, lang, intent in (h for _, held in parts for h in held):
            understanding = matcher.reconsider(understander.understand(text, UnderstandingContext(lang=lang, now=NOW), vocabulary),
                                               vocabulary)
            right += [i.name for i in understanding.intents] == [intent]
            total += 1
    # the issue's goal; 0.96 measured (309/322) with the examples' samples of 22-33 per intent and language
    # (0.89 of 210 with 12-25, and the matcher's second model alone)
    assert right / total >= 0.95


@pytest.mark.parametrize(("text", "lang", "slots"), [
    ("来四杯拿铁", "zh", {"drink": "latte", "cups": 4}),
    ("make two cappuccinos", "en", {"drink": "cappuccino", "cups": 2}),
    ("把卫生纸加到购物清单", "zh", {"item": "toilet_paper"}),
])
def test_slots_come_from_the_manifests_types(understander, vocabulary, matcher, text, lang, slots):
    understanding = matcher.reconsider(understander.understand(text, UnderstandingContext(lang=lang, now=NOW), vocabulary),
                                       vocabulary)
    assert [dict(i.slots) for i in understanding.intents] == [slots]
