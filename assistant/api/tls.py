"""TLS for the gRPC link: the server's credentials from ``server.tls_*`` and the client's channel.

With ``server.tls_cert`` and ``server.tls_key`` the port speaks TLS only (a plaintext client
fails its handshake). ``server.tls_client_ca`` adds mutual TLS: every client presents a
certificate that CA signed, and :mod:`assistant.api.auth` reads the devices it names. (gRPC's
Python API either requires a client certificate or never asks for one, so there is no
"optional" client certificate: a server that should also take token-only clients has no client CA.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grpc

from assistant.app.config import ServerOptions
from domain.errors import invalid_argument


@dataclass(frozen=True)
class ClientTls:
    """A client's TLS files (PEM paths); empty ``ca``: the system's CAs, empty ``cert``/``key``: no client certificate."""

    ca: str = ""
    cert: str = ""
    key: str = ""


def _read(option: str, path: str) -> bytes:
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as err:
        raise invalid_argument(f"{option}: cannot read {path}: {err.strerror}") from err


def server_credentials(options: ServerOptions) -> grpc.ServerCredentials | None:
    """The port's TLS credentials, or ``None`` for plaintext; INVALID_ARGUMENT for an incomplete or unreadable set."""
    if not options.tls_cert and not options.tls_key:
        if options.tls_client_ca:
            raise invalid_argument("server.tls_client_ca needs server.tls_cert and server.tls_key (mutual TLS is TLS)")
        return None
    if not (options.tls_cert and options.tls_key):
        raise invalid_argument("server.tls_cert and server.tls_key go together")
    pair = (_read("server.tls_key", options.tls_key), _read("server.tls_cert", options.tls_cert))
    client_ca = _read("server.tls_client_ca", options.tls_client_ca) if options.tls_client_ca else None
    return grpc.ssl_server_credentials([pair], root_certificates=client_ca, require_client_auth=client_ca is not None)


def client_channel(target: str, tls: ClientTls | None = None) -> grpc.aio.Channel:
    """A channel to ``target`` (HOST:PORT): plaintext without ``tls``, else TLS with its files."""
    if tls is None:
        return grpc.aio.insecure_channel(target)
    if bool(tls.cert) != bool(tls.key):
        raise invalid_argument("--tls-cert and --tls-key go together")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=_read("--tls-ca", tls.ca) if tls.ca else None,
        private_key=_read("--tls-key", tls.key) if tls.key else None,
        certificate_chain=_read("--tls-cert", tls.cert) if tls.cert else None,
    )
    return grpc.aio.secure_channel(target, credentials)
