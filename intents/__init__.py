"""Understanding: normalisation, numbers, the home's vocabulary and the rules.

The public API of the first (rule-based) layer::

    vocab = HomeVocabulary.build(home, devices)
    RuleUnderstander().understand(text, UnderstandingContext(...), vocab) -> Understanding

and the cascade over the whole catalog (rules, then the small catalog model, with slots)::

    Understander().understand(text, ctx, vocab) -> Understanding

The names are imported on first use (:mod:`domain.lazy`), so ``import intents.types`` alone stays
cheap. ``normalize()`` is not among them: it would shadow its own module, :mod:`intents.normalize`.
"""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from intents.normalize import NormalizedText, detect_lang, normalize_text
    from intents.numbers import Quantity, en_to_number, find_quantity, zh_to_number
    from intents.rules import OUT_OF_SCOPE, RuleUnderstander
    from intents.types import USABLE_CONFIDENCE, Intent, IntentSource, Understanding, UnderstandingContext
    from intents.understander import Understander
    from intents.vocabulary import TYPE_WORDS, HomeVocabulary, Mention, Target

__all__ = [
    "OUT_OF_SCOPE",
    "TYPE_WORDS",
    "USABLE_CONFIDENCE",
    "HomeVocabulary",
    "Intent",
    "IntentSource",
    "Mention",
    "NormalizedText",
    "Quantity",
    "RuleUnderstander",
    "Target",
    "Understander",
    "Understanding",
    "UnderstandingContext",
    "detect_lang",
    "en_to_number",
    "find_quantity",
    "normalize_text",
    "zh_to_number",
]

__getattr__ = lazy_exports(__name__, {
    "normalize": ["NormalizedText", "detect_lang", "normalize_text"],
    "numbers": ["Quantity", "en_to_number", "find_quantity", "zh_to_number"],
    "rules": ["OUT_OF_SCOPE", "RuleUnderstander"],
    "types": ["USABLE_CONFIDENCE", "Intent", "IntentSource", "Understanding", "UnderstandingContext"],
    "understander": ["Understander"],
    "vocabulary": ["TYPE_WORDS", "HomeVocabulary", "Mention", "Target"],
})
