"""Understanding third-party intents from their manifests' sample utterances.

The built-in model is not retrained for a skill: a second small model (the project's
:class:`~intents.model.classifier.IntentClassifier`) is trained, in seconds, on the installed
skills' samples against a sample of the catalog's own training utterances labelled ``builtin``
or ``out_of_scope``. It is asked after the built-in understanding, never over the rules' reading,
and takes over the catalog model's reading only when it is sure the utterance is a skill's (the
closed-world catalog model gives "add bread to the list" to timer.add_time with 0.89): since it
learned the catalog's utterances as not a skill's, installing a skill does not take the built-in
skills' requests (tests/skills/sdk measure it on the held-out split). Custom slot values (the
manifest's value lists and synonyms) and numbers are replaced by a placeholder before matching, so
"make 4 lattes" reads like the sample "make two americanos".
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from types import MappingProxyType
from typing import Any

from intents.model.classifier import IntentClassifier
from intents.normalize import normalize
from intents.numbers import find_quantity
from intents.slots.time import parse_duration
from intents.training.catalog_data import training_examples
from intents.training.fit import ClassifierTrainer
from intents.types import Intent, IntentSource, Understanding
from intents.vocabulary import HomeVocabulary
from skills.kit.manifest import BuiltinSlotType, SkillManifest, SlotType

#: A skill intent is taken for what the built-in understanding left out of scope with at least this
#: confidence, and over one of the catalog model's readings (never the rules') with at least ``OVERRULE``.
MIN_CONFIDENCE = 0.35
OVERRULE = 0.6
OUT_OF_SCOPE = "out_of_scope"
#: How many times each sample counts in training.
SAMPLE_WEIGHT = 3
#: Catalog utterances per language the matcher learns as not a skill's (a sample keeps retraining in seconds).
OTHERS_PER_LANG = 800
#: The class of every built-in intent's examples: the matcher never answers one of those.
BUILTIN = "builtin"
_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零一二两三四五六七八九十百]+|(?<![a-z])(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|a couple of|a few)(?![a-z])")


class SkillMatcher:
    """Third-party intents by their samples; ``negatives`` are utterances that are none of them."""

    def __init__(self, manifests: Sequence[SkillManifest],
                 others: Mapping[str, Sequence[tuple[str, str]]] = MappingProxyType({})) -> None:
        self._values: list[tuple[str, str]] = sorted(  # (surface, type), longest surface first
            ((word.lower(), t.name) for m in manifests for t in m.slot_types.values() for v in t.values for word in v.synonyms),
            key=lambda item: -len(item[0]))
        self._slots = {spec.name: (m, spec.slots) for m in manifests for spec in m.specs}
        self._samples = tuple((spec.name, text) for m in manifests for spec in m.specs
                              for texts in spec.samples.values() for text in texts)
        #: By language: whether an utterance is a skill's at all (against the catalog's), then which skill intent.
        self._models: dict[str, tuple[IntentClassifier, IntentClassifier | None]] = {}
        for lang in ("zh", "en"):
            samples = [(self._text(t, lang), spec.name) for m in manifests for spec in m.specs for t in spec.samples.get(lang, ())]
            if not samples:
                continue
            # a skill brings tens of samples against hundreds of others: weigh them up by repetition
            labelled = samples * SAMPLE_WEIGHT + [(self._text(t, lang), label) for t, label in others.get(lang, ())]
            if len({label for _, label in labelled}) < 2:
                continue
            which = _fitted(lang, samples) if len({label for _, label in samples}) > 1 else None
            self._models[lang] = (_fitted(lang, labelled), which)

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(self._slots)

    def _delexicalised(self, text: str) -> str:
        for surface, kind in self._values:
            text = text.replace(surface, f" {kind} ")
        return _NUMBER.sub(" 3 ", text)

    def samples(self) -> tuple[tuple[str, str], ...]:
        """Every sample utterance learned, with its intent: ``(intent, text)``."""
        return self._samples

    def _text(self, text: str, lang: str) -> str:
        return self._delexicalised(normalize(text, lang).text)

    def match(self, text: str, lang: str) -> tuple[str, float]:
        """The skill intent ``text`` (normalised) asks for, or ``out_of_scope``, with the confidence that it is a skill's."""
        models = self._models.get(lang)
        if models is None:
            return OUT_OF_SCOPE, 0.0
        whether, which = models
        features = self._delexicalised(text)
        [prediction] = whether.predict([features])
        if prediction.out_of_scope or prediction.intent not in self._slots:
            return OUT_OF_SCOPE, prediction.confidence
        # the confidence that the utterance is some skill's: the skill intents' probabilities together
        probabilities = whether.predict_proba([features])[0]
        classes = _classes(whether)
        skill_share = float(sum(p for c, p in zip(classes, probabilities) if c in self._slots))
        if which is None:
            return prediction.intent, skill_share
        # both models vote: the one that told the skills from the catalog (its skill share renormalised) and
        # the one that learned only the skills' samples (2 more of 322 held-out samples right than the latter alone)
        among = dict(zip(_classes(which), which.predict_proba([features])[0]))
        votes = {c: p / skill_share + among.get(c, 0.0) for c, p in zip(classes, probabilities) if c in self._slots}
        return max(votes, key=lambda c: votes[c]), skill_share

    def reconsider(self, understanding: Understanding, vocabulary: HomeVocabulary | None = None) -> Understanding:
        """``understanding`` with its reading replaced by a skill intent when one matches well enough."""
        if len(understanding.intents) != 1:
            return understanding  # several commands: the built-in skills' (a skill serves one clause)
        heard = understanding.intents[0]
        if heard.source is IntentSource.RULES and heard.name != OUT_OF_SCOPE:
            return understanding  # the rules' exact reading (a device, a timer) is never overruled
        text = understanding.normalized_text
        name, score = self.match(text, understanding.lang)
        if name == OUT_OF_SCOPE or score < (MIN_CONFIDENCE if heard.name == OUT_OF_SCOPE else OVERRULE):
            return understanding
        manifest, slots = self._slots[name]
        intent = Intent(name, self.slots(text, understanding.lang, manifest, slots, vocabulary), round(score, 3),
                        IntentSource.EDGE_MODEL, text)
        return replace(understanding, intents=(intent,), needs_fallback=False)

    def slots(self, text: str, lang: str, manifest: SkillManifest, wanted: Mapping[str, str],
              vocabulary: HomeVocabulary | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        mentions = vocabulary.find(text) if vocabulary is not None else []
        for slot, kind in wanted.items():
            value: Any = None
            if kind in manifest.slot_types:
                value = _custom(text, manifest.slot_types[kind])
            elif kind == BuiltinSlotType.NUMBER:
                quantity = find_quantity(text)
                value = quantity.number if quantity is not None else None
            elif kind == BuiltinSlotType.DURATION:
                value = parse_duration(text, lang)
            elif kind in (BuiltinSlotType.ROOM, BuiltinSlotType.DEVICE):
                value = next((m.id for m in mentions if m.kind == kind), None)
            if value is not None:
                found[slot] = value
        return found


def _classes(model: IntentClassifier) -> list[str]:
    return [str(c) for c in (model.classes_ if model.classes_ is not None else ())]  # fitted: never None


def _fitted(lang: str, labelled: Sequence[tuple[str, str]]) -> IntentClassifier:
    trainer = ClassifierTrainer(lang=lang, oos_threshold=0.0, C=2.0)  # its classes decide, not a tuned threshold
    return trainer.fit([t for t, _ in labelled], [label for _, label in labelled], OUT_OF_SCOPE)


@cache
def catalog_others() -> Mapping[str, Sequence[tuple[str, str]]]:
    """The catalog model's training utterances by language, labelled ``out_of_scope`` or ``builtin``:
    what the matcher learns is not a skill's (read once: every reload trains against them)."""
    others = {}
    for lang in ("zh", "en"):
        examples = [(e.text, OUT_OF_SCOPE if e.intent == OUT_OF_SCOPE else BUILTIN) for e in training_examples(lang)]
        others[lang] = tuple(random.Random(0).sample(examples, min(OTHERS_PER_LANG, len(examples))))
    return MappingProxyType(others)


def _custom(text: str, slot_type: SlotType) -> str | None:
    """The value whose longest synonym occurs in ``text``."""
    best: tuple[int, str] | None = None
    for value in slot_type.values:
        for word in value.synonyms:
            if word.lower() in text and (best is None or len(word) > best[0]):
                best = (len(word), value.value)
    return best[1] if best else None
