"""The safety gate for device commands: risky changes wait for a confirmation turn.

A change is risky when the device's ``risky`` rules say so (unlocking, a camera
off, a water heater above 60 °C) or the skill's manifest sets ``confirm``. This runs
after every understanding path, so no model or utterance can skip it; only the
dialog's confirmation turn releases what it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.devices import DeviceCommand, DeviceInfo
from skills import phrases
from skills.sdk import ActionReport, ActionStatus, PendingAction, SkillContext

Job = tuple[DeviceInfo, str, Mapping[str, Any], str]


@dataclass(frozen=True)
class Held:
    pending: tuple[PendingAction, ...] = ()
    reports: tuple[ActionReport, ...] = ()
    question: str = ""


def is_risky_change(device: DeviceInfo, changes: Mapping[str, Any]) -> bool:
    return any(device.is_risky(attribute, value) for attribute, value in changes.items())


def hold_risky(jobs: Sequence[Job], ctx: SkillContext, confirm_all: bool = False) -> tuple[list[Job], Held]:
    """Split jobs into those that may run now and those held for confirmation."""
    safe: list[Job] = []
    pending: list[PendingAction] = []
    reports: list[ActionReport] = []
    for job in jobs:
        device, command, changes, _ = job
        if not (confirm_all or is_risky_change(device, changes)):
            safe.append(job)
            continue
        description = phrases.describe_change(device, dict(changes), ctx.lang)
        pending.append(PendingAction(DeviceCommand(device.id, dict(changes)), command, description))
        reports.append(ActionReport(device.id, command, dict(changes), ActionStatus.NEEDS_CONFIRMATION, "risky: waiting for confirmation"))
    if not pending:
        return safe, Held()
    question = phrases.confirm_text((p.description for p in pending), ctx.lang)
    return safe, Held(tuple(pending), tuple(reports), question)
