"""The gate between a third-party skill and the home's devices, and the guard around its handler.

A third-party skill never sees the pipeline's :class:`~skills.sdk.DeviceGateway`: it gets a
:class:`GatedGateway` for one task that lists only the devices its manifest's permissions grant,
refuses commands beyond them (:class:`~domain.errors.SkillPermissionError`) and holds, instead
of sending, every risky change (the device's rules: unlocking, a camera off...) and every action
the manifest marks ``confirm``. :class:`GuardedSkill` turns what was held into a confirmation
turn (``pending`` + ``awaiting=confirmation``, released only by assistant/dialog/confirmation.py),
and a skill that raises, runs past the request's deadline or returns something other than a
:class:`~skills.sdk.SkillResult` into an answer for its task alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from domain.errors import SkillPermissionError
from intents.types import Intent
from skills import phrases
from skills.devices.safety import is_risky_change
from skills.sdk import (
    Access,
    ActionReport,
    ActionStatus,
    Awaiting,
    DeviceGateway,
    PendingAction,
    SetTimer,
    Skill,
    SkillContext,
    SkillManifest,
    SkillResult,
)

_LOGGER = logging.getLogger(__name__)

HELD = "held for confirmation"


class GatedGateway:
    """The devices of one home as one task of a third-party skill may use them (:class:`DeviceGateway`)."""

    def __init__(self, inner: DeviceGateway, manifest: SkillManifest, intent: Intent, lang: str) -> None:
        self._inner = inner
        self._manifest = manifest
        spec = manifest.spec(intent.name)
        self._confirm_all = manifest.confirm or bool(spec and spec.confirm and spec.confirm.applies(intent.slots))
        self._lang = lang
        #: Changes held for a confirmation turn, in the order the skill asked for them.
        self.held: list[PendingAction] = []

    def _grants(self, device: DeviceInfo, access: Access, attributes: Sequence[str] = ()) -> bool:
        for permission in self._manifest.permissions:
            if permission.device_type != device.type:
                continue
            if access is Access.CONTROL and permission.access is not Access.CONTROL:
                continue
            if attributes and permission.attributes and not set(attributes) <= set(permission.attributes):
                continue
            return True
        return False

    def devices(self) -> Sequence[DeviceInfo]:
        return tuple(d for d in self._inner.devices() if self._grants(d, Access.READ))

    def _device(self, device_id: str) -> DeviceInfo:
        device = next((d for d in self._inner.devices() if d.id == device_id), None)
        if device is None or not self._grants(device, Access.READ):
            # an unknown device and a forbidden one look the same: a skill learns nothing by probing
            raise SkillPermissionError(self._manifest.name, device_id,
                                       f"skill {self._manifest.name} may not use device {device_id!r}")
        return device

    def state(self, device_id: str) -> Mapping[str, Any]:
        self._device(device_id)
        return self._inner.state(device_id)

    async def execute(self, command: DeviceCommand, timeout: float) -> CommandResult:
        device = self._device(command.device_id)
        if not self._grants(device, Access.CONTROL, tuple(command.changes)):
            raise SkillPermissionError(
                self._manifest.name, device.id,
                f"skill {self._manifest.name} may not set {sorted(command.changes)} of device {device.id!r}")
        if self._confirm_all or is_risky_change(device, command.changes):
            description = phrases.describe_change(device, dict(command.changes), self._lang)
            self.held.append(PendingAction(DeviceCommand(device.id, dict(command.changes)), "set", description))
            return CommandResult(device.id, CommandStatus.REJECTED, self._inner.state(device.id), HELD)
        return await self._inner.execute(command, timeout)

    def check(self, pending: PendingAction) -> None:
        """Refuse (:class:`SkillPermissionError`) an action the skill asks to confirm beyond its permissions:
        a "yes" must not run what the skill could not have run itself."""
        device = self._device(pending.command.device_id)
        if not self._grants(device, Access.CONTROL, tuple(pending.command.changes)):
            raise SkillPermissionError(
                self._manifest.name, device.id,
                f"skill {self._manifest.name} may not ask to set {sorted(pending.command.changes)} of device {device.id!r}")


class GuardedSkill:
    """A third-party skill as the pipeline runs it (:class:`Skill`): gated, bounded by the deadline, checked."""

    def __init__(self, skill: Skill, timer: SetTimer | None = None) -> None:
        self.skill = skill
        self.manifest = skill.manifest
        self._timer = timer  # the runtime's timers, for ctx.set_timer

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        name = self.manifest.name
        gate = GatedGateway(ctx.devices, self.manifest, intent, ctx.lang)
        try:
            async with asyncio.timeout(ctx.remaining()):
                result = await self.skill.handle(intent, replace(ctx, devices=gate, timer=self._timer, providers=None))
                if isinstance(result, SkillResult):
                    for pending in result.pending:
                        gate.check(pending)
        except TimeoutError:
            _LOGGER.warning("skill %s did not answer %s within the request's deadline", name, intent.name)
            return _failure(ctx, intent, ActionStatus.TIMEOUT, "skill timeout",
                            ("抱歉，这个技能没有及时回应", "Sorry, that skill did not answer in time."))
        except SkillPermissionError as err:
            _LOGGER.warning("skill %s refused: %s", name, err.message)
            return _failure(ctx, intent, ActionStatus.REJECTED, err.message,
                            ("抱歉，这个技能无权使用那个设备", "Sorry, that skill is not allowed to use that device."),
                            err.device_id)
        except asyncio.CancelledError:
            raise
        except Exception:  # a third party's bug costs its own task only
            _LOGGER.exception("skill %s failed on %s", name, intent.name)
            return _failure(ctx, intent, ActionStatus.FAILED, "skill error",
                            ("抱歉，这个技能出错了", "Sorry, that skill ran into a problem."))
        if not isinstance(result, SkillResult):
            _LOGGER.error("skill %s answered %s with a %s, not a SkillResult", name, intent.name, type(result).__name__)
            return _failure(ctx, intent, ActionStatus.FAILED, "skill answered garbage",
                            ("抱歉，这个技能出错了", "Sorry, that skill ran into a problem."))
        return _with_held(result, gate.held, ctx.lang)


def _failure(ctx: SkillContext, intent: Intent, status: ActionStatus, detail: str, words: tuple[str, str],
             device: str = "") -> SkillResult:
    return SkillResult(ctx.say(*words), actions=(ActionReport(device, intent.name, {}, status, detail),))


def _with_held(result: SkillResult, held: Sequence[PendingAction], lang: str) -> SkillResult:
    """The skill's result, asking to confirm what the gate held (the skill's own words for it are dropped)."""
    if not held:
        return result
    reports = tuple(ActionReport(p.command.device_id, p.verb, dict(p.command.changes), ActionStatus.NEEDS_CONFIRMATION,
                                 "risky: waiting for confirmation") for p in held)
    ran = tuple(a for a in result.actions if a.detail != HELD and a.device not in {p.command.device_id for p in held})
    return replace(result, speech=phrases.confirm_text((p.description for p in held), lang),
                   actions=ran + reports, awaiting=Awaiting.CONFIRMATION, pending=(*result.pending, *held))
