"""The dialog's own intents — confirm, deny, cancel — as a skill bound to the turn's session.

The pipeline runs them like any other skill: :meth:`DialogControl.skills` gives it the
skills of one turn, the dialog (bound to the turn's session) for its own intents and the
registry for the rest. Only a confirmation turn executes a
:class:`skills.sdk.PendingAction`, and any other turn drops what was pending, so a confirmation
never applies to something said earlier. Releasing is a compare-and-set on the session
(:meth:`~assistant.dialog.sessions.SessionStore.claim`): of several "确定" racing on one session,
one runs the held actions and the others are told they have already been handled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from assistant.dialog.sessions import Session, SessionStore
from intents.types import Intent
from skills import phrases
from skills.devices.execution import execute_all
from skills.sdk import ActionStatus, Skill, SkillContext, SkillKind, SkillManifest, SkillRegistry, SkillResult

DIALOG_INTENTS = frozenset({"dialog.confirm", "dialog.deny", "dialog.cancel"})
MANIFEST = SkillManifest("dialog", SkillKind.TOOL, tuple(sorted(DIALOG_INTENTS)), "confirm, deny or cancel what the dialog holds")


class DialogControl:
    """The dialog intents of every turn; ``confirm_ttl_s``: a held action not confirmed within this long is dropped."""

    def __init__(self, sessions: SessionStore, confirm_ttl_s: float, clock: Callable[[], float] = time.time) -> None:
        self._sessions = sessions
        self._confirm_ttl_s = confirm_ttl_s
        self._clock = clock

    def skills(self, session: Session, registry: SkillRegistry) -> TurnSkills:
        """The skills of one turn: the dialog bound to ``session``, then ``registry``'s."""
        return TurnSkills(DialogTurn(self, session), registry)

    async def handle(self, intent: Intent, ctx: SkillContext, session: Session) -> SkillResult:
        if not session.pending:
            return SkillResult(ctx.say("现在没有需要确认的事情", "There is nothing waiting for your confirmation."))
        if self._clock() - session.pending_since > self._confirm_ttl_s:
            return SkillResult(ctx.say("刚才的请求已经过期了，请再说一遍", "That request has expired; please say it again."))
        if intent.name != "dialog.confirm":
            return SkillResult(ctx.say("好的，已取消", "OK, cancelled."))
        if not await self._sessions.claim(replace(session, pending=(), pending_since=0.0)):
            return SkillResult(ctx.say("这个请求已经处理过了", "That request has already been handled."))
        return await _release(session, ctx)


class DialogTurn:
    """The dialog skill of one turn (:class:`skills.sdk.Skill`), bound to its session."""

    manifest = MANIFEST

    def __init__(self, control: DialogControl, session: Session) -> None:
        self._control = control
        self._session = session

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        return await self._control.handle(intent, ctx, self._session)


class TurnSkills:
    """Who serves each intent of one turn: the dialog for its own, the registry for the rest."""

    def __init__(self, dialog: DialogTurn, registry: SkillRegistry) -> None:
        self._dialog = dialog
        self._registry = registry

    def skill_for(self, intent_name: str) -> Skill | None:
        return self._dialog if intent_name in DIALOG_INTENTS else self._registry.skill_for(intent_name)


async def _release(session: Session, ctx: SkillContext) -> SkillResult:
    known = {d.id: d for d in ctx.devices.devices()}
    jobs = []
    missing = []
    for action in session.pending:
        device = known.get(action.command.device_id)
        if device is None:
            missing.append(phrases.not_found_text(action.command.device_id, ctx.lang))
        else:
            jobs.append((device, action.verb, action.command.changes, ""))
    outcomes = await execute_all(ctx, jobs)
    done = any(o.report.status == ActionStatus.DONE for o in outcomes)
    return SkillResult(
        speech=phrases.compose([o.speech for o in outcomes] + missing, ctx.lang, acknowledged=done),
        actions=tuple(o.report for o in outcomes),
    )
