"""English typos and ASR slips in command words and the home's names, put right before the rules read them.

Mandarin slips are matched at the pinyin level (vocabulary.py); English needs the same care: "turn of
the bedrom light", "trun off the kitchn light", "the livingroom curtains". A word is corrected only when
it is not a word people commonly say (en_words.py, the home's own names and the command words) and
exactly one home or command word lies within a small edit distance (transpositions count as one edit;
one edit up to seven letters, two from eight). Words glued together or split apart ("livingroom",
"bed room") are joined to the home's names. What no correction reaches stays as it was: the rules then
name it in the answer instead of dropping it (a misheard room is never silently the speaker's room).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from intents import lexicon, manual_questions, numbers, utility_rules
from intents.en_words import WORDS
from intents.slots import time as time_slots
from intents.slots import utility as utility_slots
from intents.vocabulary import TYPE_WORDS, HomeVocabulary

_LOGGER = logging.getLogger(__name__)

#: Words the rules act on, beyond the home's names.
_COMMANDS = ("turn switch power open close shut lights light lamp lamps curtains curtain blinds temperature brightness "
             "volume timer timers alarm cancel pause resume dim brighter darker lock unlock door degrees please bedroom "
             "kitchen living bathroom balcony study hallway entrance purifier vacuum heater television conditioner")
COMMAND_WORDS = frozenset(_COMMANDS.split()) | {"start", "stop", "make", "set", "humidity", "battery"} | {
    name for name, _ in lexicon.COLOR_VALUES}
#: Spellings people write on purpose, and ASR's homophones, that no edit distance reaches.
_VARIANTS = {"lite": "light", "lites": "lights", "nite": "night", "rom": "room", "rooom": "room"}
#: Short slips of the power phrase that a word-by-word correction cannot see ("of" is a word).
_PHRASES = ((re.compile(r"(?<![a-z])(turn|switch|shut|power)\s+of(?![a-z])"), r"\1 off"),
            # ASR hears "living room" as words of its own
            (re.compile(r"(?<![a-z])(?:live in|leaving|livin) room(?![a-z])"), "living room"))
_TOKEN = re.compile(r"[a-z]+")
MIN_LENGTH = 4


@dataclass(frozen=True)
class _Targets:
    words: frozenset[str]  # single words a slip may be corrected to
    joined: dict[str, str]  # "livingroom" -> "living room"
    split: dict[tuple[str, str], str]  # ("bed", "room") -> "bedroom"


_CACHE: WeakKeyDictionary[HomeVocabulary, _Targets] = WeakKeyDictionary()


def _rule_words() -> frozenset[str]:
    """Every English word the rules' own patterns spell ("halfway", "dimmer"): known, never "corrected"."""
    modules = (lexicon, numbers, utility_rules, time_slots, utility_slots, manual_questions)
    sources = [v.pattern for m in modules for v in vars(m).values() if isinstance(v, re.Pattern)]
    sources += [p.pattern for m in modules for v in vars(m).values() if isinstance(v, (tuple, dict))
                for p in _patterns(v)]
    return frozenset(w for source in sources for w in re.findall(r"[a-z]{3,}", source))


def _patterns(value) -> list[re.Pattern[str]]:
    items = value.values() if isinstance(value, dict) else value
    found: list[re.Pattern[str]] = []
    for item in items:
        if isinstance(item, re.Pattern):
            found.append(item)
        elif isinstance(item, (tuple, dict)):
            found.extend(_patterns(item))
    return found


RULE_WORDS = _rule_words()


def _targets(vocab: HomeVocabulary) -> _Targets:
    cached = _CACHE.get(vocab)
    if cached is None:
        phrases = {s for s in vocab.surfaces if s.isascii()} | {w for ws in TYPE_WORDS.values() for w in ws if w.isascii()}
        words = {w for p in phrases for w in _TOKEN.findall(p)} | COMMAND_WORDS
        joined = {p.replace(" ", ""): p for p in phrases if " " in p}
        split = {(w[:i], w[i:]): w for w in words for i in range(3, len(w) - 2) if w[:i] in WORDS and w[i:] in WORDS}
        cached = _Targets(frozenset(words), joined, split)
        _CACHE[vocab] = cached
    return cached


def is_known_word(word: str, vocab: HomeVocabulary) -> bool:
    """Whether ``word`` is common English, a home name's word or a command word (plural ``s`` too)."""
    targets = _targets(vocab)
    return any(w in WORDS or w in RULE_WORDS or w in targets.words for w in (word, word.removesuffix("s")))


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment), or ``limit + 1`` beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _closest(word: str, words: frozenset[str]) -> str | None:
    limit = 1 if len(word) <= 7 else 2
    best: list[tuple[int, str]] = []
    for candidate in words:
        # slips keep the first letter (or swap the first two): "trun", "bedrom", "kichen"
        if len(candidate) < MIN_LENGTH or not (candidate[0] == word[0] or candidate[:2] == word[1::-1]):
            continue
        d = distance(word, candidate, limit)
        if d <= limit:
            best.append((d, candidate))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # two equally close words: a guess, not a correction
    return best[0][1]


def correct_en(text: str, vocab: HomeVocabulary) -> str:
    """``text`` (normalised English) with slips of command words and the home's names put right."""
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    targets = _targets(vocab)
    tokens = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.endswith(",") and len(token) > 1:  # "the kitchen lite, on": the word, then its comma
            out.append(correct_en(token[:-1], vocab) + ",")
            i += 1
            continue
        pair = (token, tokens[i + 1]) if i + 1 < len(tokens) else None
        if pair in targets.split:
            out.append(targets.split[pair])
            i += 2
            continue
        if token in _VARIANTS:
            out.append(_VARIANTS[token])
        elif token in targets.joined:
            out.append(targets.joined[token])
        elif len(token) >= MIN_LENGTH and token.isalpha() and not is_known_word(token, vocab):
            fixed = _closest(token, targets.words)
            if fixed is not None:
                _LOGGER.debug("spelling: %r -> %r", token, fixed)
            out.append(fixed or token)
        else:
            out.append(token)
        i += 1
    return " ".join(out)
