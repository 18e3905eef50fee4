"""How a remote skill's call fails, in one place: the gRPC status as a :class:`RemoteSkillError`
(a LingxiError code and a finer ``reason``), and the words said for each reason.

A failure costs the task of that skill only: it becomes a spoken answer with an action report
whose status and detail say what happened (the breaker's state included when it is open).
"""

from __future__ import annotations

from enum import StrEnum

import grpc

from domain.errors import ErrorCode, LingxiError
from intents.types import Intent
from skills.sdk import ActionReport, ActionStatus, SkillContext, SkillResult


class RemoteFailure(StrEnum):
    TIMEOUT = "timeout"  # no reply within the request's remaining time
    UNAVAILABLE = "unavailable"  # the skill's service cannot be reached
    CIRCUIT_OPEN = "circuit_open"  # not called: it failed just before (skills.kit.remote_breaker)
    REFUSED = "refused"  # the skill reached for a device its permissions do not grant
    INVALID_OUTPUT = "invalid_output"  # a reply that cannot be read or carried out
    FAILED = "failed"  # the skill reported an error of its own


#: Failures that say the service is down or stuck (they count towards opening its circuit).
OUTAGES = frozenset({RemoteFailure.TIMEOUT, RemoteFailure.UNAVAILABLE})

_REASONS = {
    grpc.StatusCode.DEADLINE_EXCEEDED: RemoteFailure.TIMEOUT,
    grpc.StatusCode.UNAVAILABLE: RemoteFailure.UNAVAILABLE,
    grpc.StatusCode.PERMISSION_DENIED: RemoteFailure.REFUSED,
    grpc.StatusCode.UNIMPLEMENTED: RemoteFailure.INVALID_OUTPUT,  # not a SkillService at that address
}

_CODES = {
    RemoteFailure.TIMEOUT: ErrorCode.DEADLINE_EXCEEDED,
    RemoteFailure.UNAVAILABLE: ErrorCode.UNAVAILABLE,
    RemoteFailure.CIRCUIT_OPEN: ErrorCode.UNAVAILABLE,
    RemoteFailure.REFUSED: ErrorCode.PERMISSION_DENIED,
    RemoteFailure.INVALID_OUTPUT: ErrorCode.INTERNAL,
    RemoteFailure.FAILED: ErrorCode.INTERNAL,
}

_STATUSES = {
    RemoteFailure.TIMEOUT: ActionStatus.TIMEOUT,
    RemoteFailure.REFUSED: ActionStatus.REJECTED,
}

_UNREACHABLE = ("抱歉，这个技能现在连不上，请稍后再试", "Sorry, that skill can't be reached right now. Please try again later.")
_PROBLEM = ("抱歉，这个技能出错了", "Sorry, that skill ran into a problem.")
_WORDS = {
    RemoteFailure.TIMEOUT: ("抱歉，这个技能没有及时回应", "Sorry, that skill did not answer in time."),
    RemoteFailure.UNAVAILABLE: _UNREACHABLE,
    RemoteFailure.CIRCUIT_OPEN: _UNREACHABLE,
    RemoteFailure.REFUSED: ("抱歉，这个技能无权使用那个设备", "Sorry, that skill is not allowed to use that device."),
    RemoteFailure.INVALID_OUTPUT: _PROBLEM,
    RemoteFailure.FAILED: _PROBLEM,
}


class RemoteSkillError(LingxiError):
    """A call to a remote skill that gave no usable reply; ``reason`` says which way it failed."""

    reason: RemoteFailure

    def __init__(self, reason: RemoteFailure, message: str) -> None:
        super().__init__(_CODES[reason], message, reason)


def error_from_rpc(err: grpc.aio.AioRpcError) -> RemoteSkillError:
    """The gRPC status of a failed call as the error it means."""
    code = err.code()
    return RemoteSkillError(_REASONS.get(code, RemoteFailure.FAILED), f"{code.name}: {err.details()}")


def failure_result(ctx: SkillContext, intent: Intent, err: RemoteSkillError, device: str = "") -> SkillResult:
    """The answer to a task whose remote call failed: what happened, said plainly, and reported
    (``device``: the one it was refused)."""
    reason = RemoteFailure(err.reason)
    status = _STATUSES.get(reason, ActionStatus.FAILED)
    return SkillResult(ctx.say(*_WORDS[reason]), actions=(ActionReport(device, intent.name, {}, status, err.message),))
