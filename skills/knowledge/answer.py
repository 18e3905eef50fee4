"""Extractive answers: the sentence or table row that answers, spoken in the request's language,
with its source; or an honest "not found" when no passage speaks of what was asked.

A passage answers when it covers the question's concepts (:class:`.query.Concept`: the words
left once device names and question words are gone, with their glossary synonyms and
translations): at least half of them by weight. What the question asks for (:mod:`.asked`)
counts as one more strong concept, covered by a figure in the asked kind's units (“能装多少”
by “400 毫升”); a question for the most or the least prefers the largest or smallest such figure
(the total, not a sub-limit), and a yes/no question about a feature is answered only by a
passage naming that feature. Before that, a question most of whose strong concepts (things,
codes, numbers) the searched manuals never mention, or whose kind of figure they never print
(a price, a noise level), is not answered at all.
The fact is spoken as found: a manual in the other language is quoted, with its source named,
never translated by rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from skills.search.analysis import normalise

from .base import Passage
from .glossary import mentions
from .query import Concept, QueryPlan, subject_of
from .signals import head_of, match, signals_in

__all__ = ["Answer", "choose", "coverage", "not_found", "speak", "unspoken"]

#: Below this share of the question's concepts, a passage does not answer it.
MIN_COVERAGE = 0.5
#: Weight of the asked kind of figure among the concepts (a strong concept's).
_ASKED_WEIGHT = 2.0
#: Passages this close to the best score answer about as well (for a most / least question).
_CLOSE = 0.15
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: A specification row states a measure with nothing around it: the preferred answer to how
#: much / how big among equals (not to how often or how long: a maintenance row bundles
#: several intervals, the sentence says the one asked).
_ROW_BONUS = 0.05
_ROW_KINDS = frozenset(("number", "count", "price", "people", "noise", "pressure", "power", "speed", "temperature",
                        "capacity", "weight", "length"))
#: A described sign weighs at least a strong concept; one a passage only mentions in passing
#: (not in its head) counts this much of a match; a table row or item defining it exactly gets
#: this much more than a passage speaking around it (“Red: above 75.” over “The light stays
#: red although the air seems clean.”).
_SIGN_MIN_WEIGHT, _SIGN_MENTIONED, _SIGN_DEFINED = 2.0, 0.6, 0.2
#: A head matching this well defines the sign told (a row adding a speed unsaid still does).
_SIGN_EXACT = 0.85
_SENTENCES = re.compile(r"(?<=[。！？!?])|(?<=[.!?])\s+(?=[A-Z0-9\"“])")


@dataclass(frozen=True)
class Answer:
    """The chosen passage, the part of it that answers (``fact``) and how well it covers the question."""

    passage: Passage
    fact: str
    coverage: float


def _weight(concept: Concept) -> float:
    return 2.0 if concept.strong else 1.0


def coverage(plan: QueryPlan, text: str, context: str = "", lang: str = "", sign: float = 0.0) -> float:
    """Share of the question's concepts ``text`` (written in ``lang``) speaks of, by weight
    (strong concepts count double, and so does a figure of the asked kind); a concept only
    ``context`` (the section heading) names counts half; one ``lang`` has no word for (an
    English word the glossary does not translate, in a Chinese manual) does not count.
    A sign the question describes weighs as much as all the rest (see :func:`sign_score`):
    the passage that defines it answers, whatever words the asker put around it; ``sign`` is
    how well ``text`` matches it."""
    typed = plan.asked.typed
    concepts = _judged(plan.concepts, (lang,) if lang else ("zh", "en"))
    if not concepts and not typed and plan.signal is None:
        return 0.0 if plan.concepts else 1.0  # nothing it could say was asked
    body, around = normalise(text), normalise(context)
    total = sum(_weight(c) for c in concepts) + (_ASKED_WEIGHT if typed else 0.0)
    got = sum(_weight(c) * (1.0 if c.found_in(body) else 0.5 if c.found_in(around) else 0.0) for c in concepts)
    if typed and plan.asked.held_by(body):
        got += _ASKED_WEIGHT
    if plan.signal is not None:
        weight = max(_SIGN_MIN_WEIGHT, total)
        total, got = total + weight, got + weight * sign
    return got / total


def sign_score(plan: QueryPlan, p: Passage) -> tuple[float, bool]:
    """How well ``p`` matches the sign the question describes, and whether it defines it (an
    indicator row's first cell, an FAQ's question, the words before an item's colon: “Red:
    above 75.”); a sign only mentioned in passing counts :data:`_SIGN_MENTIONED`."""
    if plan.signal is None:
        return 0.0, False
    if p.kind == "row" and p.cells:
        head, body = p.cells[0][1], " ".join(c for _, c in p.cells[1:])
    elif p.kind == "faq":
        head, body = dict(p.cells).get("question", ""), dict(p.cells).get("answer", p.text)
    else:
        head, body = head_of(p.text), p.text
    heads, bodies = signals_in(normalise(head), normalise(body))
    defined = max((match(plan.signal, s) for s in heads), default=0.0)
    mentioned = _SIGN_MENTIONED * max((match(plan.signal, s) for s in bodies), default=0.0)
    return max(defined, mentioned), defined >= _SIGN_EXACT


def _sentence_sign(plan: QueryPlan, sentence: str) -> float:
    if plan.signal is None:
        return 0.0
    return max((match(plan.signal, s) for s in signals_in("", normalise(sentence))[1]), default=0.0)


def unspoken(plan: QueryPlan, scope: str) -> bool:
    """Whether the manuals searched (``scope``: their whole text, normalised) never speak of what
    the question asks: half or more of its strong concepts appear nowhere in them (a feature
    the product lacks, a part another product has), or no figure of the asked kind does (a
    price, a noise level never printed)."""
    if plan.asked.typed and not plan.asked.held_by(scope):
        return True
    langs = tuple(lang for lang in ("zh", "en") if _written_in(scope, lang))
    strong = [c for c in _judged(plan.concepts, langs) if c.strong]
    absent = [c for c in strong if not c.found_in(scope)]
    # The kind of figure printed in the one product's manual is one more concept it speaks of
    # (every kind is printed somewhere among all the manuals: no evidence there).
    asked = 1 if plan.asked.typed and plan.docs else 0
    return bool(strong) and 2 * len(absent) > len(strong) + asked


def _judged(concepts: Sequence[Concept], langs: Sequence[str]) -> list[Concept]:
    """The concepts a text in ``langs`` is judged on: those it could say."""
    return [c for c in concepts if any(c.speakable_in(lang) for lang in langs)]


def _written_in(scope: str, lang: str) -> bool:
    """Whether ``scope`` holds a manual in ``lang``: Chinese prose, or English words outside it."""
    cjk = len(_CJK.findall(scope))
    return cjk > 0.2 * len(scope) if lang == "zh" else len(re.findall(r"[a-z]", scope)) > 2 * cjk


def _names_feature(plan: QueryPlan, text: str) -> bool:
    """Whether ``text`` names every strong concept of the feature a yes/no question asks about."""
    feature = normalise(plan.asked.feature)
    wanted = [c for c in plan.concepts if c.strong and mentions(feature, c.word)]
    return all(c.found_in(text) for c in wanted)


def _row(p: Passage, lang: str) -> str:
    cells = [(h, c) for h, c in p.cells if c and c not in ("—", "-")]
    if not cells:
        return p.text
    head, *rest = cells
    if not rest:
        return head[1]
    if len(p.cells) == 2:
        return f"{head[1]}：{rest[0][1]}" if lang == "zh" else f"{head[1]}: {rest[0][1]}"
    if lang == "zh":
        return f"{head[1]}，" + "；".join(f"{h}：{c}" for h, c in rest)
    return f"{head[1]} — " + "; ".join(f"{h}: {c}" for h, c in rest)


def _best_sentences(plan: QueryPlan, text: str) -> str:
    sentences = [s.strip() for s in _SENTENCES.split(text) if s and s.strip()]
    if len(sentences) <= 1 or len(text) <= 80:
        return text
    scored = [(coverage(plan, s, sign=_sentence_sign(plan, s)), -n) for n, s in enumerate(sentences)]
    best = max(range(len(sentences)), key=lambda n: scored[n])
    fact = sentences[best]
    # A short sentence leans on the next one ("越障高度 2 厘米。门槛高于 2 厘米时…").
    if len(fact) < 25 and best + 1 < len(sentences):
        fact += sentences[best + 1]
    return fact


def _fact(plan: QueryPlan, p: Passage) -> str:
    if p.kind == "row":
        return _row(p, p.lang)
    if p.kind == "faq":
        answer = dict(p.cells).get("answer", p.text)
        return _best_sentences(plan, answer)
    return _best_sentences(plan, p.text)


def _holds_number(plan: QueryPlan, text: str) -> float:
    """A small preference, for a how-much question of no particular kind, for passages with a figure."""
    return 0.1 if plan.asked.kind in ("number", "count") and plan.asked.held_by(normalise(text)) else 0.0


def _figure(plan: QueryPlan, fact: str) -> float | None:
    """The largest (for ``max``) or smallest (``min``) figure of the asked kind in ``fact``."""
    text = normalise(fact)
    spans = [m.group(0) for m in plan.asked.units.finditer(text)] if plan.asked.units else []
    figures = [float(f) for span in spans for f in _FIGURE.findall(span)]
    if not figures:
        return None
    return max(figures) if plan.asked.extreme == "max" else -min(figures)


def choose(plan: QueryPlan, passages: Sequence[Passage]) -> Answer | None:
    """The passage that answers best, or ``None`` when none covers the question well enough.
    Among passages that answer about as well, a question for the most (least) takes the one
    with the largest (smallest) figure: the total, not a sub-limit of it."""
    scored: list[tuple[float, int, Answer]] = []
    for rank, p in enumerate(passages):
        sign, defined = sign_score(plan, p)
        cov = coverage(plan, p.text, p.section, p.lang, sign)
        if cov < MIN_COVERAGE or (plan.asked.feature and not _names_feature(plan, normalise(f"{p.section} {p.text}"))):
            continue
        score = cov + _holds_number(plan, p.text) + 0.05 * (p.cosine or 0.0)
        score += _ROW_BONUS if p.kind == "row" and plan.asked.kind in _ROW_KINDS else 0.0
        score += _SIGN_DEFINED if defined and p.kind in ("row", "item") else 0.0
        scored.append((score, -rank, Answer(p, _fact(plan, p), cov)))
    if not scored:
        return None
    if plan.asked.extreme:
        top = max(s for s, _, _ in scored)
        close = [(_figure(plan, a.fact), s, r, a) for s, r, a in scored if s >= top - _CLOSE]
        with_figure = [c for c in close if c[0] is not None]
        if with_figure:
            return max(with_figure, key=lambda c: (c[0], c[1], c[2]))[3]
    return max(scored, key=lambda c: (c[0], c[1]))[2]


def speak(answer: Answer, lang: str) -> str:
    """The answer in ``lang``, naming its source; a quote when the manual is in the other language."""
    info = answer.passage.info
    subject = subject_of(info, lang)
    fact = answer.fact.rstrip("。.;；")
    if lang == "zh":
        if info.lang == "zh":
            return f"{subject}说明书上说：{fact}。"
        return f"{subject}的说明书是英文的，原文是：“{fact}.”"
    if info.lang == "en":
        return f"According to the {subject} manual: {fact}."
    return f"The {subject} manual is in Chinese; it says: “{fact}。”"


def not_found(plan: QueryPlan, lang: str) -> str:
    """The honest answer when the manuals do not say."""
    if plan.missing:
        return (f"没有找到{plan.missing}的说明书，这个家里好像没有这个设备的资料。" if lang == "zh"
                else f"I couldn't find a manual for the {plan.missing} in this home.")
    code = plan.codes[0] if plan.codes else ""
    if lang == "zh":
        what = f"故障代码 {code}" if code else "这个问题的答案"
        return f"{plan.subject}的说明书里没有找到{what}。" if plan.subject else f"说明书里没有找到{what}。"
    what = f"error code {code}" if code else "that"
    return (f"I couldn't find {what} in the manual for the {plan.subject}." if plan.subject
            else f"I couldn't find {what} in the manuals.")
