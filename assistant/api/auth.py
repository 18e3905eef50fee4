"""Who is calling: a device proves itself by its bearer token, its client certificate, or both.

A bearer token (``authorization: Bearer <token>``) belongs to the device that ``server.device_tokens``
gives it to; a client certificate verified against ``server.tls_client_ca`` names the devices in its
common name and subject alternative names. Whatever a caller presents must name the device a
request speaks for: a certificate of one device with a request of another is refused, as is a
token of another device. Authentication is required when the server has tokens or requires client
certificates; a caller that proves nothing is then refused before its first message is read.

Every refusal is one UNAUTHENTICATED with the same words (:data:`REFUSED`): which device ids exist,
and why a credential did not fit, go to the log at INFO, never to the caller — and a token never
goes anywhere.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass

import grpc

from assistant.app.config import ServerOptions
from assistant.pipeline.messages import quoted
from domain.errors import ErrorCode, LingxiError

_LOGGER = logging.getLogger(__name__)

REFUSED = "not authenticated: present the device's client certificate or its bearer token"
BEARER = "Bearer "
#: The auth context's entries that name the subject of a verified client certificate.
CERT_NAMES = ("x509_common_name", "x509_subject_alternative_name")


@dataclass(frozen=True)
class Caller:
    """What a caller proved about itself."""

    #: The names in its verified client certificate (CN and SANs); empty without one.
    certified: frozenset[str]
    #: The devices whose token it presented; empty when it presented none or a wrong one.
    token_devices: frozenset[str]
    #: It sent an ``authorization`` header (right or wrong).
    presented_token: bool

    @property
    def proves_anything(self) -> bool:
        return bool(self.certified or self.token_devices)

    @property
    def device(self) -> str | None:
        """The one device it proved to be, which a request naming no device speaks as; else ``None``."""
        for names in (self.token_devices, self.certified):
            if len(names) == 1:
                return next(iter(names))
        return None


def unauthenticated(reason: str, *args: object) -> LingxiError:
    """The one error every refusal gets; ``reason`` (%-style, with ``args``) goes to the log only."""
    _LOGGER.info("refused a caller: " + reason, *args)
    return LingxiError(ErrorCode.UNAUTHENTICATED, REFUSED)


class Authenticator:
    def __init__(self, options: ServerOptions) -> None:
        self._tokens: Mapping[str, str] = options.device_tokens
        self.required = bool(self._tokens) or bool(options.tls_client_ca)

    def caller(self, context: grpc.aio.ServicerContext) -> Caller:
        """What the call's certificate and metadata prove; UNAUTHENTICATED for a caller that proves
        nothing when proof is required, or that sent a token belonging to no device."""
        auth = context.auth_context() or {}
        certified = frozenset(name.decode(errors="replace") for key in CERT_NAMES for name in auth.get(key, ()))
        header = next((str(v) for k, v in context.invocation_metadata() or () if k == "authorization"), None)
        token_devices: frozenset[str] = frozenset()
        if header is not None:
            token = header[len(BEARER):] if header.startswith(BEARER) else ""
            # every token compared in constant time, so timing tells nothing about which one nearly matched
            token_devices = frozenset(
                device for device, expected in self._tokens.items() if hmac.compare_digest(token.encode(), expected.encode())
            )
            if not token_devices:
                raise unauthenticated("an authorization header that is no device's bearer token (peer %s)", context.peer())
        caller = Caller(certified, token_devices, header is not None)
        if self.required and not caller.proves_anything:
            raise unauthenticated("no client certificate and no token (peer %s)", context.peer())
        return caller

    def check(self, caller: Caller, device_id: str) -> None:
        """UNAUTHENTICATED unless what ``caller`` proved covers ``device_id``."""
        if caller.certified and device_id not in caller.certified:
            raise unauthenticated("a certificate for %s speaking as device %s", sorted(caller.certified), quoted(device_id))
        if caller.presented_token and device_id not in caller.token_devices:
            raise unauthenticated("the token of %s speaking as device %s", sorted(caller.token_devices), quoted(device_id))
        if self.required and not caller.proves_anything:
            raise unauthenticated("nothing proves device %s", quoted(device_id))
