"""The dialog's own intents — confirm, deny, cancel — as a skill bound to the turn's session.

The pipeline runs them like any other skill: :meth:`DialogControl.skills` gives it the
skills of one turn, the dialog (bound to the turn's session) for its own intents and the
registry for the rest. Only a confirmation turn executes a
:class:`skills.sdk.PendingAction`, and any other turn drops what was pending, so a confirmation
never applies to something said earlier. Releasing is a compare-and-set on the session
(:meth:`~assistant.dialog.sessions.SessionStore.claim`): of several "确定" racing on one session,
one runs the held actions and the others are told they have already been handled.

A turn heard too unsurely (``Request.uncertain``: :mod:`assistant.voice.confidence`) changes
nothing on its own: :class:`ConfirmChanges` runs its skills against a :class:`HoldingGateway`
that reads state as usual but holds every command, and the turn answers with the question
("要打开客厅空调吗？"); "确定" then runs what was held, once, like any confirmation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from assistant.dialog.sessions import Session, SessionStore
from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from intents.types import Intent
from skills import phrases
from skills.devices.execution import execute_all
from skills.sdk import (
    ActionReport,
    ActionStatus,
    Awaiting,
    DeviceGateway,
    PendingAction,
    Skill,
    SkillContext,
    SkillKind,
    SkillManifest,
    SkillRegistry,
    SkillResult,
)

DIALOG_INTENTS = frozenset({"dialog.confirm", "dialog.deny", "dialog.cancel"})
MANIFEST = SkillManifest("dialog", SkillKind.TOOL, tuple(sorted(DIALOG_INTENTS)), "confirm, deny or cancel what the dialog holds")


class DialogControl:
    """The dialog intents of every turn; ``confirm_ttl_s``: a held action not confirmed within this long is dropped."""

    def __init__(self, sessions: SessionStore, confirm_ttl_s: float, clock: Callable[[], float] = time.time) -> None:
        self._sessions = sessions
        self._confirm_ttl_s = confirm_ttl_s
        self._clock = clock

    def skills(self, session: Session, registry: SkillRegistry, confirm_changes: bool = False) -> TurnSkills:
        """The skills of one turn: the dialog bound to ``session``, then ``registry``'s;
        ``confirm_changes``: every device change of the turn is asked about first (an uncertain transcript)."""
        return TurnSkills(DialogTurn(self, session), registry, confirm_changes)

    async def handle(self, intent: Intent, ctx: SkillContext, session: Session) -> SkillResult:
        if not session.pending:
            if intent.name != "dialog.confirm":  # "算了" to a "which one?" or to nothing: acknowledged, nothing held
                return SkillResult(ctx.say("好的", "OK."))
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

    def __init__(self, dialog: DialogTurn, registry: SkillRegistry, confirm_changes: bool = False) -> None:
        self._dialog = dialog
        self._registry = registry
        self._confirm_changes = confirm_changes

    def skill_for(self, intent_name: str) -> Skill | None:
        if intent_name in DIALOG_INTENTS:
            return self._dialog
        skill = self._registry.skill_for(intent_name)
        return ConfirmChanges(skill) if skill is not None and self._confirm_changes else skill


#: The detail of a command a :class:`HoldingGateway` held.
HELD = "held: not sure it was heard right"
ASK = ("我不太确定听清了，要{}吗？", "I'm not sure I heard that right. Do you want me to {}?")


class HoldingGateway:
    """The home's devices for a turn that may not change them yet (:class:`~skills.sdk.DeviceGateway`):
    state is read as usual, every command is recorded and answered REJECTED (:data:`HELD`)."""

    def __init__(self, inner: DeviceGateway) -> None:
        self._inner = inner
        self.held: list[DeviceCommand] = []

    def devices(self) -> Sequence[DeviceInfo]:
        return self._inner.devices()

    def state(self, device_id: str) -> Mapping[str, Any]:
        return self._inner.state(device_id)

    async def execute(self, command: DeviceCommand, timeout: float) -> CommandResult:
        self.held.append(command)
        return CommandResult(command.device_id, CommandStatus.REJECTED, self._inner.state(command.device_id), HELD)


class ConfirmChanges:
    """A skill run for an uncertain transcript: what it would change becomes a confirmation question."""

    def __init__(self, skill: Skill) -> None:
        self.skill = skill
        self.manifest = skill.manifest

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        gateway = HoldingGateway(ctx.devices)
        result = await self.skill.handle(intent, replace(ctx, devices=gateway))
        if not gateway.held or not isinstance(result, SkillResult):
            return result
        devices = {d.id: d for d in ctx.devices.devices()}
        verbs = {a.device: a.command for a in result.actions if a.detail == HELD}
        held = tuple(
            PendingAction(c, verbs.get(c.device_id) or _verb(c.changes),
                          phrases.describe_change(devices[c.device_id], dict(c.changes), ctx.lang))
            for c in gateway.held if c.device_id in devices
        )
        pending = (*result.pending, *held)
        asked = tuple(ActionReport(p.command.device_id, p.verb, dict(p.command.changes), ActionStatus.NEEDS_CONFIRMATION, HELD)
                      for p in held)
        what = ("、" if ctx.lang == "zh" else " and ").join(p.description for p in pending)
        return replace(result, speech=ctx.say(*ASK).format(what), awaiting=Awaiting.CONFIRMATION, pending=pending,
                       actions=(*(a for a in result.actions if a.detail != HELD), *asked))


def _verb(changes: Mapping[str, Any]) -> str:
    """The report's command name for a change held from a skill that did not report it."""
    if set(changes) == {"power"}:
        return "turn_on" if changes["power"] else "turn_off"
    return "set"


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
