"""The one place where typed messages meet their wire forms: protobuf and JSON.

Requests are decoded by a lenient deserializer so that a malformed message (invalid UTF-8
in a string field, say) gets INVALID_ARGUMENT with a reason instead of a bare INTERNAL, and
every field a client sets is checked here before anything else sees it: identifiers are
bounded, the clock must carry its UTC offset and lie in a plausible range.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.protobuf.message import DecodeError
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.pipeline.messages import MAX_ID_CHARS, Answer, Request, Route, Tier, quoted
from assistant.voice.audio import AudioFormat
from domain.errors import invalid_argument
from intents.types import Intent, IntentSource
from skills.sdk import ActionReport, ActionStatus, Awaiting, Citation, MediaDirective
from skills.utilities.notifications import Notification

LANGS = ("zh", "en")
#: The client clocks accepted: anything outside is a broken clock, and far enough out it overflows date arithmetic.
EARLIEST_CLOCK = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_CLOCK = datetime(2200, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Malformed:
    """What the lenient deserializer returns for bytes that are not a valid message."""

    reason: str


def lenient(message_type: Any) -> Callable[[bytes], Any]:
    """A deserializer that returns :class:`Malformed` instead of raising, so the request gets a reason."""

    def deserialize(data: bytes) -> Any:
        try:
            return message_type.FromString(data)
        except DecodeError as err:
            return Malformed(f"request is not a valid {message_type.DESCRIPTOR.name} (strings must be UTF-8): {err}")

    return deserialize


def value_to_proto(value: Any) -> pb.Value:
    if isinstance(value, bool):
        return pb.Value(bool_value=value)
    if isinstance(value, int):
        return pb.Value(int_value=value)
    if isinstance(value, float):
        return pb.Value(number_value=value)
    return pb.Value(string_value=str(value))


def value_from_proto(value: pb.Value) -> Any:
    kind = value.WhichOneof("kind")
    return getattr(value, kind) if kind else None


def _map_to_proto(target: Any, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        target[key].CopyFrom(value_to_proto(value))


def _map_from_proto(values: Any) -> dict[str, Any]:
    return {key: value_from_proto(v) for key, v in values.items()}


def parse_clock(text: str) -> datetime | None:
    """ISO 8601 with a UTC offset, or ``None`` for empty.

    A clock without an offset is refused: a naive time cannot be compared with the scheduler's
    aware ones, and guessing the zone sets alarms at the wrong hour.
    """
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError as err:
        raise invalid_argument(f"client_time {quoted(text)} is not ISO 8601 (e.g. 2026-12-01T20:00:00+08:00)") from err
    if when.utcoffset() is None:
        raise invalid_argument(f"client_time {quoted(text)} has no UTC offset: add one (2026-12-01T20:00:00+08:00, or Z for UTC)")
    if not EARLIEST_CLOCK <= when < LATEST_CLOCK:
        raise invalid_argument(
            f"client_time {quoted(text)} is out of range: it must lie between {EARLIEST_CLOCK.year} and {LATEST_CLOCK.year}"
        )
    return when


def parse_id(field: str, text: str) -> str:
    """A client's identifier, at most :data:`MAX_ID_CHARS` characters (unbounded ids would be stored and echoed)."""
    if len(text) > MAX_ID_CHARS:
        raise invalid_argument(f"{field} is {len(text)} characters; the limit is {MAX_ID_CHARS}")
    return text


def parse_lang(text: str) -> str | None:
    if text and text not in LANGS:
        raise invalid_argument(f"lang {quoted(text)} is not supported; use one of {', '.join(LANGS)} or leave it empty")
    return text or None


def request_from_proto(msg: pb.AskRequest | Malformed, default_speaker: str, deadline: float | None) -> Request:
    """The typed request; INVALID_ARGUMENT for a message that did not decode or a field out of bounds."""
    if isinstance(msg, Malformed):
        raise invalid_argument(msg.reason)
    return Request(
        text=msg.text,
        speaker_id=parse_id("device_id", msg.device_id) or default_speaker,
        request_id=parse_id("request_id", msg.request_id) or uuid.uuid4().hex,
        session_id=parse_id("session_id", msg.session_id),
        lang=parse_lang(msg.lang),
        now=parse_clock(msg.client_time),
        deadline=deadline,
        plan_only=msg.plan_only,
    )


def request_to_proto(request: Request) -> pb.AskRequest:
    return pb.AskRequest(
        text=request.text,
        device_id=request.speaker_id,
        session_id=request.session_id,
        lang=request.lang or "",
        client_time=request.now.isoformat() if request.now else "",
        request_id=request.request_id,
    )


def answer_to_proto(answer: Answer) -> pb.Answer:
    msg = pb.Answer(
        request_id=answer.request_id,
        session_id=answer.session_id,
        home_id=answer.home_id,
        input=pb.Input(text=answer.text, lang=answer.lang, speaker=answer.speaker),
        speech=answer.speech,
        awaiting=answer.awaiting or "",
        route=pb.Route(tier=answer.route.tier, reason=answer.route.reason),
    )
    if answer.transcript is not None:
        msg.transcript = answer.transcript
    for intent in answer.intents:
        item = msg.intents.add(name=intent.name, confidence=intent.confidence, source=intent.source.value, text=intent.text)
        _map_to_proto(item.slots, intent.slots)
    for action in answer.actions:
        item = msg.actions.add(device=action.device, command=action.command, status=action.status, detail=action.detail)
        _map_to_proto(item.params, action.params)
    msg.timings_ms.update(answer.timings_ms)
    if answer.media is not None:
        msg.media.CopyFrom(media_to_proto(answer.media))
    for citation in answer.citations:
        msg.citations.add(doc=citation.doc, section=citation.section)
    return msg


def media_to_proto(media: MediaDirective) -> pb.Media:
    return pb.Media(
        id=media.id, kind=media.kind, title=media.title, artist=list(media.artist), queue=list(media.queue),
        episode=media.episode or 0, state=media.state, device=media.device, position_s=media.position_s,
    )


def media_from_proto(msg: pb.Media) -> MediaDirective:
    return MediaDirective(
        id=msg.id, kind=msg.kind, title=msg.title, artist=tuple(msg.artist), queue=tuple(msg.queue),
        episode=msg.episode or None, state=msg.state, device=msg.device, position_s=msg.position_s,
    )


def media_to_json(media: MediaDirective | None) -> dict[str, Any] | None:
    if media is None:
        return None
    return {
        "id": media.id, "kind": media.kind, "title": media.title, "artist": list(media.artist), "queue": list(media.queue),
        "episode": media.episode, "state": media.state, "device": media.device, "position_s": media.position_s,
    }


def answer_from_proto(msg: pb.Answer) -> Answer:
    return Answer(
        request_id=msg.request_id,
        session_id=msg.session_id,
        home_id=msg.home_id,
        text=msg.input.text,
        lang=msg.input.lang,
        speaker=msg.input.speaker,
        intents=tuple(
            Intent(i.name, _map_from_proto(i.slots), i.confidence, IntentSource(i.source), i.text) for i in msg.intents
        ),
        actions=tuple(
            ActionReport(a.device, a.command, _map_from_proto(a.params), ActionStatus(a.status), a.detail) for a in msg.actions
        ),
        speech=msg.speech,
        awaiting=Awaiting(msg.awaiting) if msg.awaiting else None,
        route=Route(Tier(msg.route.tier), msg.route.reason),
        timings_ms=dict(msg.timings_ms),
        transcript=msg.transcript if msg.HasField("transcript") else None,
        media=media_from_proto(msg.media) if msg.HasField("media") else None,
        citations=tuple(Citation(c.doc, c.section) for c in msg.citations),
    )


def notification_to_proto(notification: Notification) -> pb.Notification:
    return pb.Notification(
        kind=notification.kind,
        label=notification.label,
        speech=notification.speech,
        at=notification.at.isoformat(),
        device_id=notification.speaker_id,
    )


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The machine-readable answer of ``assistant ask --json`` (docs/eval-cases.md)."""
    return {
        "request_id": answer.request_id,
        "session_id": answer.session_id,
        "input": {"text": answer.text, "lang": answer.lang, "speaker": answer.speaker},
        "transcript": answer.transcript,
        "intents": [
            {"name": i.name, "confidence": round(i.confidence, 3), "source": i.source.value, "slots": dict(i.slots)}
            for i in answer.intents
        ],
        "actions": [
            {"device": a.device, "command": a.command, "params": dict(a.params), "status": a.status}
            | ({"detail": a.detail} if a.detail else {})
            for a in answer.actions
        ],
        "speech": answer.speech,
        "awaiting": answer.awaiting,
        "route": {"tier": answer.route.tier, "reason": answer.route.reason},
        "timings_ms": dict(answer.timings_ms),
        "media": media_to_json(answer.media),
        "citations": [{"doc": c.doc, "section": c.section} for c in answer.citations],
    }


def audio_format_from_proto(msg: pb.AudioStart) -> AudioFormat:
    return AudioFormat(sample_rate_hz=msg.sample_rate_hz, channels=msg.channels, encoding=msg.encoding)


def audio_start_to_proto(fmt: AudioFormat, request: Request) -> pb.AudioStart:
    return pb.AudioStart(
        sample_rate_hz=fmt.sample_rate_hz, channels=fmt.channels, encoding=fmt.encoding, context=request_to_proto(request)
    )


def transcript_to_proto(request_id: str, text: str, audio_s: float, end_reason: str | None = None) -> pb.PartialTranscript:
    """A partial transcript; with ``end_reason`` the final one (the utterance has ended)."""
    return pb.PartialTranscript(
        request_id=request_id, text=text, audio_s=round(audio_s, 3), final=end_reason is not None, end_reason=end_reason or ""
    )
