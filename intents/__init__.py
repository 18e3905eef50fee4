"""Understanding: normalisation, numbers, the home's vocabulary and the rules.

The public API of the first (rule-based) layer::

    vocab = HomeVocabulary.build(home, devices)
    RuleUnderstander().understand(text, UnderstandingContext(...), vocab) -> Understanding

and the cascade over the whole catalog (rules, then the small catalog model, with slots)::

    Understander().understand(text, ctx, vocab) -> Understanding
"""

from intents.normalize import NormalizedText, detect_lang, normalize, normalize_text
from intents.numbers import Quantity, en_to_number, find_quantity, zh_to_number
from intents.rules import OUT_OF_SCOPE, RuleUnderstander
from intents.types import Intent, IntentSource, Understanding, UnderstandingContext
from intents.understander import Understander
from intents.vocabulary import TYPE_WORDS, HomeVocabulary, Mention, Target

__all__ = [
    "OUT_OF_SCOPE",
    "TYPE_WORDS",
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
    "normalize",
    "normalize_text",
    "zh_to_number",
]
