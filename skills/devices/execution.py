"""Run device commands concurrently inside the deadline and report each outcome."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from skills import phrases
from skills.sdk import ActionReport, ActionStatus, SkillContext

_LOGGER = logging.getLogger(__name__)

#: A command still needs this long to be worth sending; below it we report a timeout at once.
MIN_COMMAND_TIME_S = 0.05


@dataclass(frozen=True)
class Outcome:
    report: ActionReport
    speech: str


async def _execute_one(ctx: SkillContext, command: DeviceCommand) -> CommandResult:
    timeout = ctx.remaining()
    if timeout < MIN_COMMAND_TIME_S:
        return CommandResult(command.device_id, CommandStatus.TIMEOUT, detail="no time left in the request's budget")
    try:
        return await ctx.devices.execute(command, timeout)
    except asyncio.CancelledError:
        raise
    except Exception as err:  # a bridge fault must not take the other commands down
        _LOGGER.exception("command to %s failed", command.device_id)
        return CommandResult(command.device_id, CommandStatus.FAILED, detail=f"{type(err).__name__}: {err}")


async def execute_all(
    ctx: SkillContext,
    jobs: Sequence[tuple[DeviceInfo, str, Mapping[str, Any], str]],
) -> list[Outcome]:
    """Execute ``(device, command name, changes, clamped)`` jobs concurrently, in order of report."""
    results = await asyncio.gather(*(_execute_one(ctx, DeviceCommand(d.id, dict(ch))) for d, _, ch, _ in jobs))
    outcomes = []
    for (device, command, changes, clamped), result in zip(jobs, results):
        status = ActionStatus(result.status.value)  # every device outcome is also an action outcome
        report = ActionReport(device.id, command, dict(changes), status, result.detail)
        if result.status is CommandStatus.DONE:
            speech = phrases.done_text(command, device, dict(changes), clamped, ctx.lang)
        else:
            speech = phrases.failure_text(status, device, result.detail, ctx.lang)
        outcomes.append(Outcome(report, speech))
    return outcomes
