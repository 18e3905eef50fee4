"""The one mapping from Lingxi errors to gRPC status codes."""

from __future__ import annotations

import grpc

from domain.errors import ErrorCode

STATUS = {code: getattr(grpc.StatusCode, code.value) for code in ErrorCode}


def status_for(code: ErrorCode) -> grpc.StatusCode:
    return STATUS[code]
