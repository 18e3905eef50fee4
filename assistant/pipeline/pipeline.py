"""The request pipeline: understand → plan → act → answer, each stage timed.

Stages emit typed events (:mod:`assistant.pipeline.events`: stages starting and ending, and
the partial answers a generating skill streams) for the Converse stream and metrics. Stages
raise :class:`LingxiError` for bad requests; a skill that fails becomes a spoken failure of its
task, never of the service.

Every turn has a deadline: the client's, or the budget of the skills it needs counted from
the start — and a spoken turn's is capped at ``budget.voice_s`` after the end of speech. The
skills get it in their context; a turn whose deadline has passed before the skills stage
answers that it is too late and acts on nothing.

``timings_ms``: each stage's time, ``total`` (the pipeline's own time, from text in to answer
out; recognition not included) and, for a spoken turn, ``end_to_end`` (from the end of
speech to the answer: recognition, any wait, and the pipeline).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from assistant.app.config import BudgetOptions
from assistant.dialog.confirmation import DialogControl, TurnSkills
from assistant.dialog.sessions import SessionStore
from assistant.dialog.state import last_device, last_order, read_session, write_session
from assistant.pipeline.events import EventSink, PartialAnswer, PipelineEvent, StageEnded, StageStarted
from assistant.pipeline.homes import HomeBridge, HomeDevices, HomeDirectory
from assistant.pipeline.messages import Answer, Request, Route
from assistant.pipeline.tasks import plan_stages
from assistant.pipeline.understanding import HomeUnderstanding
from assistant.routing.llm_tiers import LlmFallback
from domain.errors import invalid_argument
from intents.types import Intent, IntentSource, UnderstandingContext
from skills import phrases
from skills.sdk import ActionReport, ActionStatus, SkillContext, SkillKind, SkillRegistry, SkillResult

_LOGGER = logging.getLogger(__name__)

TOO_LATE = ("抱歉，太晚了，这个请求没有执行，请再说一遍", "Sorry, that came too late and was not carried out; please say it again.")


@dataclass(frozen=True)
class PipelineOptions:
    max_text_chars: int = 1000
    budget: BudgetOptions = BudgetOptions()
    #: A risky action not confirmed within this long is dropped.
    confirm_ttl_s: float = 60.0


class Pipeline:
    """``fallback``: the router and its LLM tiers; ``None`` routes with no LLM configured (local understanding only)."""

    def __init__(
        self,
        homes: HomeDirectory,
        bridge: HomeBridge,
        understanding: HomeUnderstanding,
        skills: SkillRegistry,
        sessions: SessionStore,
        options: PipelineOptions = PipelineOptions(),
        fallback: LlmFallback | None = None,
    ) -> None:
        self.homes = homes
        self._bridge = bridge
        self._understanding = understanding
        self._skills = skills
        self._sessions = sessions
        self._options = options
        self._fallback = fallback or LlmFallback(())
        self._dialog = DialogControl(sessions, options.confirm_ttl_s)
        self._observers: list[EventSink] = []
        self._answer_sinks: list[Callable[[Answer], None]] = []

    def observe(self, sink: EventSink) -> None:
        """Call ``sink`` with every stage event of every request."""
        self._observers.append(sink)

    def observe_answers(self, sink: Callable[[Answer], None]) -> None:
        """Call ``sink`` with every answer, whichever front end asked (the hub's intent events, the console)."""
        self._answer_sinks.append(sink)

    def _validate(self, request: Request) -> str:
        text = request.text.strip()
        if not text:
            raise invalid_argument("text is empty: say what you want the assistant to do")
        if len(text) > self._options.max_text_chars:
            raise invalid_argument(f"text is {len(text)} characters; the limit is {self._options.max_text_chars}")
        return text

    async def run(self, request: Request, sink: EventSink | None = None) -> Answer:
        started = time.monotonic()
        sinks = [*self._observers, *([sink] if sink else [])]
        timings: dict[str, float] = {"asr": 0.0}

        def emit(event: PipelineEvent) -> None:
            for s in sinks:
                s(event)

        @contextmanager
        def stage(name: str) -> Iterator[None]:
            emit(StageStarted(request.request_id, name))
            t = time.monotonic()
            try:
                yield
            finally:
                elapsed = (time.monotonic() - t) * 1000
                timings[name] = round(elapsed, 3)
                emit(StageEnded(request.request_id, name, elapsed))

        text = self._validate(request)
        home, speaker = self.homes.speaker(request.speaker_id)
        session = await self._sessions.load(request.session_id or uuid.uuid4().hex, home.id, speaker.id)
        gateway = HomeDevices(self._bridge, home.id)

        now = request.now or home.now()  # a request without its own clock runs on the home's, not the machine's zone
        with stage("nlu"):
            ctx = UnderstandingContext(lang=request.lang, speaker_room=speaker.room, now=now, last_order=last_order(session))
            understanding = self._understanding.understand(text, home, gateway.devices(), ctx)
        lang = request.lang or understanding.lang

        with stage("plan"):
            heard = understanding.intents or (Intent("out_of_scope", {}, 0.0, IntentSource.RULES, text),)
            intents = read_session(text, heard, session, gateway.devices())
            deadline = self._deadline(request, started, intents)
            # routing is planning: the LLM, when the router asks one, plans inside this stage
            resolved = await self._fallback.resolve(text, understanding, intents, home, gateway.devices(), lang, deadline,
                                                    request)
            intents, route = resolved.intents, resolved.route
            if resolved.llm_ms:
                timings["llm"] = round(resolved.llm_ms, 3)

        if time.monotonic() >= deadline:  # the user has stopped waiting: acting now would surprise them
            _LOGGER.warning("request %s reached the skills %.0f ms past its deadline: not acting",
                            request.request_id, (time.monotonic() - deadline) * 1000)
            results = [SkillResult(TOO_LATE[0] if lang == "zh" else TOO_LATE[1])]
        else:
            skill_ctx = SkillContext(
                home, gateway, lang, speaker.id, speaker.room, deadline, now,
                session_id=session.id, last_device=last_device(session),
                partial=lambda so_far: emit(PartialAnswer(request.request_id, so_far)),
            )
            with stage("skills"):
                # tasks the upstream answered are not run again; a plan-only turn runs no tool task
                skills = self._dialog.skills(session, resolved.placement.registry(self._skills), request.uncertain)
                results = await self._run_stages(plan_stages(intents), intents, skills, skill_ctx)
            await self._sessions.save(write_session(session, intents, results, time.time()))
        done = time.monotonic()
        timings["total"] = round((done - started) * 1000, 3)
        if request.spoken_at is not None:
            timings["end_to_end"] = round((done - request.spoken_at) * 1000, 3)
        answer = Answer(
            request_id=request.request_id,
            session_id=session.id,
            home_id=home.id,
            text=request.text,
            lang=lang,
            speaker=speaker.id,
            intents=intents,
            actions=tuple(a for r in results for a in r.actions),
            speech=_speech(results, lang),
            awaiting=next((r.awaiting for r in reversed(results) if r.awaiting), None),
            route=_with_notes(route, results),
            timings_ms=timings,
            media=next((r.media for r in reversed(results) if r.media is not None), None),
            citations=tuple(c for r in results for c in r.citations),
        )
        for answered in self._answer_sinks:
            try:
                answered(answer)
            except Exception:  # an observer's bug must not cost the user the answer
                _LOGGER.exception("answer observer failed")
        return answer

    def _deadline(self, request: Request, started: float, intents: tuple[Intent, ...]) -> float:
        """The client's deadline, else the skills' budget from the start; a spoken turn's capped from the end of speech."""
        deadline = request.deadline or started + self._budget_for(intents)
        if request.spoken_at is not None:
            deadline = min(deadline, request.spoken_at + self._options.budget.voice_s)
        return deadline

    def _budget_for(self, intents: tuple[Intent, ...]) -> float:
        budget = self._options.budget
        per_kind = {
            SkillKind.TOOL: budget.tool_s,
            SkillKind.CONTENT: budget.content_s,
            SkillKind.GENERATION: budget.generation_s,
            SkillKind.KNOWLEDGE: budget.knowledge_s,
        }
        kinds = [s.manifest.kind for s in map(self._skills.skill_for, (i.name for i in intents)) if s]
        return max((per_kind[k] for k in kinds), default=budget.tool_s)

    async def _run_stages(
        self, stages: list[list[Intent]], intents: tuple[Intent, ...], skills: TurnSkills, ctx: SkillContext
    ) -> list[SkillResult]:
        """Run the planned stages in order, a stage's tasks together; results in intent order."""
        by_position: dict[int, SkillResult] = {}
        position = 0
        for tasks in stages:
            outcomes = await asyncio.gather(*(self._run_task(intent, skills, ctx) for intent in tasks))
            for result in outcomes:
                by_position[position] = result
                position += 1
        return [by_position[i] for i in range(len(intents))]

    async def _run_task(self, intent: Intent, skills: TurnSkills, ctx: SkillContext) -> SkillResult:
        try:
            skill = skills.skill_for(intent.name) or skills.skill_for("out_of_scope")
            if skill is None:
                return SkillResult(ctx.say("抱歉，这个我还不会", "Sorry, I can't do that yet."))
            result = await skill.handle(intent, ctx)
            if not isinstance(result, SkillResult):  # answered garbage: a failure of its task, like raising
                raise TypeError(f"{skill.manifest.name} answered a {type(result).__name__}, not a SkillResult")
            return result
        except asyncio.CancelledError:
            raise
        except Exception:  # one failing skill must not take the request or the service down
            _LOGGER.exception("skill for %s failed", intent.name)
            return SkillResult(
                ctx.say("抱歉，处理这个请求时出错了", "Sorry, something went wrong while handling that."),
                actions=(ActionReport("", intent.name, {}, ActionStatus.FAILED, "skill error"),),
            )


def _speech(results: list[SkillResult], lang: str) -> str:
    return phrases.join_answers([r.speech for r in results], lang)


def _with_notes(route: Route, results: list[SkillResult]) -> Route:
    """The route, with what the skills say about the backend and tier that answered."""
    notes = [r.route_note for r in results if r.route_note]
    return replace(route, reason="; ".join([route.reason, *notes])) if notes else route
