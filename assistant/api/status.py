"""The one mapping from Lingxi errors to gRPC status codes, and the one way a call is ended with one."""

from __future__ import annotations

import math

import grpc

from domain.errors import ErrorCode, LingxiError, Overloaded

STATUS = {code: getattr(grpc.StatusCode, code.value) for code in ErrorCode}
#: Trailing metadata of a RESOURCE_EXHAUSTED call: milliseconds after which trying again may work.
RETRY_AFTER = "retry-after-ms"


def status_for(code: ErrorCode) -> grpc.StatusCode:
    return STATUS[code]


async def abort(context: grpc.aio.ServicerContext, err: LingxiError) -> None:
    """End the call with ``err``'s status and message (and, when overloaded, when to retry); raises, as abort does."""
    if isinstance(err, Overloaded):
        context.set_trailing_metadata(((RETRY_AFTER, str(math.ceil(err.retry_after_s * 1000))),))
    await context.abort(status_for(err.code), err.message)
