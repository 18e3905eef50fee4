"""Extractive answers: the sentence or table row that answers, spoken in the request's language,
with its source; or an honest "not found" when no passage speaks of what was asked.

A passage answers when it covers the question's concepts (:class:`.query.Concept`: the words
left once device names and question words are gone, with their glossary synonyms and
translations): at least half of them by weight. Before that, a question most of whose strong
concepts (things, codes, numbers) the searched manuals never mention is not answered at all.
The fact is spoken as found: a manual in the other language is quoted, with its source named,
never translated by rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from skills.search.analysis import normalise

from .base import Passage
from .query import Concept, QueryPlan, subject_of

__all__ = ["Answer", "choose", "coverage", "not_found", "speak", "unspoken"]

#: Below this share of the question's concepts, a passage does not answer it.
MIN_COVERAGE = 0.5
_DURATION = re.compile(r"\d\s*(?:个月|月|年|周|天|日|小时|分钟|秒|months?|years?|weeks?|days?|hours?|minutes?|seconds?)")
_INTERVAL = re.compile(r"\d\s*(?:个月|月|年|周|天|日|months?|years?|weeks?|days?)|每月|每周|每年|monthly|weekly")
_SENTENCES = re.compile(r"(?<=[。！？!?])|(?<=[.!?])\s+(?=[A-Z0-9\"“])")


@dataclass(frozen=True)
class Answer:
    """The chosen passage, the part of it that answers (``fact``) and how well it covers the question."""

    passage: Passage
    fact: str
    coverage: float


def _weight(concept: Concept) -> float:
    return 2.0 if concept.strong else 1.0


def coverage(plan: QueryPlan, text: str, context: str = "") -> float:
    """Share of the question's concepts ``text`` speaks of, by weight (strong concepts count
    double); a concept only ``context`` (the section heading) names counts half."""
    if not plan.concepts:
        return 1.0
    body, around = normalise(text), normalise(context)
    total = sum(_weight(c) for c in plan.concepts)
    got = sum(_weight(c) * (1.0 if c.found_in(body) else 0.5 if c.found_in(around) else 0.0) for c in plan.concepts)
    return got / total


def unspoken(plan: QueryPlan, scope: str) -> bool:
    """Whether the manuals searched (``scope``: their whole text, normalised) never speak of what
    the question asks: half or more of its strong concepts appear nowhere in them (a price, a
    feature the product lacks, a part another product has)."""
    strong = [c for c in plan.concepts if c.strong]
    absent = [c for c in strong if not c.found_in(scope)]
    return bool(strong) and 2 * len(absent) > len(strong)


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
    scored = [(coverage(plan, s), -n) for n, s in enumerate(sentences)]
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


def _holds_quantity(plan: QueryPlan, text: str) -> float:
    """A small preference for passages holding what a how-long / how-much question asks for."""
    if plan.quantity == "interval":
        return 0.1 if _INTERVAL.search(normalise(text)) else 0.0
    if plan.quantity == "time":
        return 0.1 if _DURATION.search(normalise(text)) else 0.0
    if plan.quantity == "number":
        return 0.1 if re.search(r"\d", text) else 0.0
    return 0.0


def choose(plan: QueryPlan, passages: Sequence[Passage]) -> Answer | None:
    """The passage that answers best, or ``None`` when none covers the question well enough."""
    best: Answer | None = None
    best_key: tuple[float, ...] = ()
    for rank, p in enumerate(passages):
        cov = coverage(plan, p.text, p.section)
        key = (cov + _holds_quantity(plan, p.text) + 0.05 * (p.cosine or 0.0), -rank)
        if cov >= MIN_COVERAGE and (best is None or key > best_key):
            best, best_key = Answer(p, _fact(plan, p), cov), key
    return best


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
