"""Dialog-control intents: the confirmation turn that releases held actions.

Only this turn executes a :class:`skills.sdk.PendingAction`; any other turn drops
what was pending, so a confirmation can never apply to something said earlier.
"""

from __future__ import annotations

from assistant.dialog.sessions import Session
from intents.types import Intent
from skills import phrases
from skills.devices.execution import execute_all
from skills.sdk import ActionStatus, SkillContext, SkillResult

DIALOG_INTENTS = frozenset({"dialog.confirm", "dialog.deny", "dialog.cancel"})


async def handle_dialog(intent: Intent, session: Session, ctx: SkillContext, expired: bool) -> SkillResult:
    if not session.pending:
        return SkillResult(ctx.say("现在没有需要确认的事情", "There is nothing waiting for your confirmation."))
    if expired:
        return SkillResult(ctx.say("刚才的请求已经过期了，请再说一遍", "That request has expired; please say it again."))
    if intent.name != "dialog.confirm":
        return SkillResult(ctx.say("好的，已取消", "OK, cancelled."))
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
