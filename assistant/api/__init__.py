"""The gRPC front: the ``Assistant`` service (``Ask``, ``Converse``), health, reflection, and the one
place where typed messages meet their protobuf and JSON forms."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.api.convert import (
        LANGS,
        answer_from_proto,
        answer_to_json,
        answer_to_proto,
        audio_start_to_proto,
        parse_clock,
        parse_id,
        parse_lang,
        request_from_proto,
        request_to_proto,
    )
    from assistant.api.server import AssistantService, GrpcServer
    from assistant.api.status import RETRY_AFTER
    from assistant.api.tls import ClientTls, client_channel

__all__ = ["LANGS", "RETRY_AFTER", "AssistantService", "ClientTls", "GrpcServer", "answer_from_proto", "answer_to_json",
           "answer_to_proto", "audio_start_to_proto", "client_channel", "parse_clock", "parse_id", "parse_lang",
           "request_from_proto", "request_to_proto"]

__getattr__ = lazy_exports(__name__, {
    "convert": ["LANGS", "answer_from_proto", "answer_to_json", "answer_to_proto", "audio_start_to_proto", "parse_clock",
                "parse_id", "parse_lang", "request_from_proto", "request_to_proto"],
    "server": ["AssistantService", "GrpcServer"],
    "status": ["RETRY_AFTER"],
    "tls": ["ClientTls", "client_channel"],
})
