"""The knowledge skill: ``kb.product_qa`` answered from the home's manuals, with the source."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Sequence

from domain.errors import LingxiError
from intents.types import Intent
from skills.sdk import Awaiting, Citation, SkillContext, SkillKind, SkillManifest, SkillResult

from .answer import Answer, choose, not_found, speak, unspoken
from .base import KnowledgeBase, Passage
from .catalog import DocumentInfo
from .composer import Composer, fault
from .followup import RecentQuestions, follow_up
from .query import QueryPlan, plan_query, subject_of

__all__ = ["KnowledgeSkill"]

_LOGGER = logging.getLogger(__name__)

#: Passages looked at for an answer; a second, wider look when the first finds none.
_FIRST_LOOK, _WIDER_LOOK = 8, 24


class KnowledgeSkill:
    """Answers product questions from :class:`KnowledgeBase`; see :mod:`.answer` for how.

    ``composer`` (optional) phrases the answer with an LLM when at least ``compose_min_s`` of the
    request's budget (``budget.knowledge_s``) remain and the manual is in the question's language;
    it gets what is left of the budget less ``reserve_s`` and its text must pass
    :func:`.composer.fault`, else the extractive answer is spoken. The route note names the search backend and the LLM tier that answered.
    """

    manifest = SkillManifest("knowledge", SkillKind.KNOWLEDGE, ("kb.product_qa",),
                             description="Answers questions about the home's products from their manuals, "
                                         "citing the manual and section")

    def __init__(self, base: KnowledgeBase, composer: Composer | None = None, *,
                 compose_min_s: float = 1.5, reserve_s: float = 0.3) -> None:
        self.base = base
        self.composer = composer
        self.compose_min_s = compose_min_s
        self.reserve_s = reserve_s
        self.recent = RecentQuestions()  # “那它的水箱呢” completes the dialog's last question

    def _note(self, how: str) -> str:
        return f"knowledge: {self.base.backend.name} search (BM25 + e5 kNN, RRF), {how}"

    async def _search(self, home: str, plan: QueryPlan, k: int) -> Sequence[Passage]:
        vector = await self.base.embed_query(plan.question)
        return await self.base.search(home, plan.text, vector, docs=plan.docs, codes=plan.codes, k=k)

    async def _answer(self, home: str, plan: QueryPlan) -> tuple[Answer | None, Sequence[Passage]]:
        searched = [d for d in self.base.documents(home) if not plan.docs or d.doc in plan.docs]
        if unspoken(plan, " ".join(self.base.text_of(d) for d in searched)):
            return None, []
        passages: Sequence[Passage] = []
        for k in (_FIRST_LOOK, _WIDER_LOOK):
            passages = await self._search(home, plan, k)
            answer = choose(plan, passages)
            if answer is not None or not passages:
                return answer, passages
        return None, passages

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        question = str(intent.slots.get("question") or intent.text).strip()
        lang = "zh" if ctx.lang == "zh" else "en"
        home = ctx.home.id
        await self.base.refresh()  # a document ``assistant kb add`` wrote beside this server
        plan = plan_query(question, lang, ctx.home, self.base.documents(home),
                          product=intent.slots.get("product"), last_device=ctx.last_device)
        plan = follow_up(plan, self.recent.get(ctx.session_id))
        self.recent.remember(ctx.session_id, plan)
        # An honest "not found" still makes the device asked about the dialog's topic: “它…” next
        # asks about it again, not about whatever was talked about before.
        asked_about = plan.devices[0] if plan.devices else ""
        if plan.missing:
            return SkillResult(not_found(plan, lang), route_note=self._note("no manual for the product"),
                               about=asked_about)
        answer, passages = await self._answer(home, plan)
        if answer is None and plan.target == "context":
            # The remembered device may not be what this question is about: ask all manuals.
            plan = dataclasses.replace(plan, devices=(), docs=(), target="", subject="")
            answer, passages = await self._answer(home, plan)
        if answer is None:
            return SkillResult(not_found(plan, lang), route_note=self._note("nothing found, honest answer"),
                               about=plan.devices[0] if plan.devices else asked_about)
        if plan.codes and not plan.docs:
            products = {p.info.doc: p.info for p in passages}
            if len(products) > 1:
                return self._which_device(plan, list(products.values()), ctx)
        citation = Citation(answer.passage.doc, answer.passage.section)
        speech, how = await self._compose(question, answer, lang, ctx)
        about = next(iter(answer.passage.info.devices), "")  # "它" in the next question
        return SkillResult(speech, citations=(citation,), route_note=self._note(how), about=about)

    def _which_device(self, plan: QueryPlan, infos: Sequence[DocumentInfo], ctx: SkillContext) -> SkillResult:
        names = "、".join(subject_of(i, "zh") for i in infos) if plan.lang == "zh" else \
            ", ".join(subject_of(i, "en") for i in infos)
        code = plan.codes[0]
        speech = ctx.say(f"好几个设备的说明书里都有故障代码 {code}：{names}。请问是哪个设备？",
                         f"Error code {code} is in several manuals: {names}. Which device do you mean?")
        devices = tuple(d for i in infos for d in i.devices if d in getattr(ctx.home, "devices", {}))
        return SkillResult(speech, awaiting=Awaiting.CLARIFICATION, candidates=devices,
                           route_note=self._note("fault code in several manuals, asking which device"))

    async def _compose(self, question: str, answer: Answer, lang: str, ctx: SkillContext) -> tuple[str, str]:
        """The spoken answer and how it was made: composed by an LLM tier when one answers in
        time and its text passes :func:`.composer.fault`, else the extractive one."""
        extractive = speak(answer, lang)
        info = answer.passage.info
        if self.composer is None:
            return extractive, "extractive"
        if info.lang != lang:
            return extractive, "extractive (the manual is in the other language: quoted, not rephrased)"
        budget = ctx.remaining() - self.reserve_s
        if budget < self.compose_min_s:
            return extractive, "extractive (no time left for an LLM)"
        passage = answer.passage
        subject = subject_of(info, lang)
        context = f"{subject}, {passage.section}"
        try:
            composed = await asyncio.wait_for(self.composer.compose(
                question, answer.fact, context, lang, budget, local_only=ctx.home.privacy == "local_only"),
                budget + self.reserve_s / 2)  # the composer's own deadline says which tier was late
        except Exception as exc:  # any failure of the optional composer falls back to the extractive answer
            _LOGGER.info("knowledge composer: no answer (%s): answering extractively", exc)
            why = exc.message if isinstance(exc, LingxiError) else str(exc) or type(exc).__name__
            return extractive, f"extractive (no LLM answered: {why})"
        why = fault(composed.text, answer.fact, [passage.text, *info.models], lang,
                    [passage.section, info.product, info.title, question])
        if why:
            _LOGGER.info("knowledge composer: the %s LLM's answer %s: %r", composed.tier, why, composed.text)
            return extractive, f"extractive (the {composed.tier} LLM's answer {why})"
        text = composed.text.strip()
        speech = f"根据{subject}说明书：{text}" if lang == "zh" else f"According to the {subject} manual: {text}"
        return speech, f"answer composed by the {composed.tier} LLM, checked against the passage"
