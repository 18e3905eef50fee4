"""A remote skill's device commands, carried out on the assistant's side through the gate.

The remote skill only asks; here each command goes through a :class:`~skills.kit.gate.GatedGateway`
with the skill's own manifest (refused beyond its permissions, held when risky or marked
``confirm``; every command is held when the reply asks for a confirmation). What was held becomes a
confirmation turn worded by the assistant, naming each change; a command that fails replaces the
skill's words with the device's failure, so the answer never claims what did not happen.
"""

from __future__ import annotations

from dataclasses import replace

from intents.types import Intent
from skills import phrases
from skills.kit.gate import HELD, GatedGateway
from skills.kit.remote_reply import RemoteReply
from skills.sdk import ActionReport, ActionStatus, Awaiting, CommandStatus, SkillContext, SkillManifest, SkillResult


async def carry_out(reply: RemoteReply, intent: Intent, ctx: SkillContext, manifest: SkillManifest) -> SkillResult:
    """The answer to the task: the reply's words, with its commands done, failed or held for confirmation."""
    confirming = reply.awaiting is Awaiting.CONFIRMATION
    gate = GatedGateway(ctx.devices, replace(manifest, confirm=True) if confirming else manifest, intent, ctx.lang)
    devices = {d.id: d for d in gate.devices()}
    speech = reply.speech
    ran = []
    for command in reply.commands:
        result = await gate.execute(command, ctx.remaining())  # SkillPermissionError beyond the permissions
        if result.detail == HELD:
            continue
        ran.append(ActionReport(command.device_id, "set", dict(command.changes), ActionStatus(result.status.value),
                                result.detail))
        if result.status is not CommandStatus.DONE:
            speech = phrases.failure_text(result.status.value, devices[command.device_id], result.detail, ctx.lang)
    if gate.held:
        held = tuple(ActionReport(p.command.device_id, p.verb, dict(p.command.changes), ActionStatus.NEEDS_CONFIRMATION,
                                  "risky: waiting for confirmation") for p in gate.held)
        return SkillResult(phrases.confirm_text((p.description for p in gate.held), ctx.lang), (*ran, *held),
                           Awaiting.CONFIRMATION, tuple(gate.held), media=reply.media)
    awaiting = None if confirming else reply.awaiting  # nothing was held: there is nothing to confirm
    return SkillResult(speech, tuple(ran), awaiting, candidates=tuple(c for c in reply.candidates if c in devices),
                       media=reply.media)
