"""What one ``Converse`` stream's handler waits on: a single inbox of typed messages.

Everything that can happen to a stream arrives here, in the order it happened: a client
message (text, audio, or bytes that did not decode), the client closing its side, a
notification of the speaker's home, a partial transcript while the user speaks, and the end
of an utterance with what was heard. The handler (:mod:`assistant.api.converse`) takes them
one at a time, so text turns, audio turns and notifications share one path to the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.voice.service import VoiceTurn
from assistant.voice.utterance import Heard, PartialTranscript
from domain.errors import LingxiError
from skills.utilities.notifications import Notification


@dataclass(frozen=True)
class ClientMessage:
    """One message from the client: a ``pb.ConverseRequest``, or ``convert.Malformed`` for bytes that did not decode."""

    message: Any


@dataclass(frozen=True)
class ClientDone:
    """The client closed its side of the stream (or it broke): nothing more will arrive from it."""


@dataclass(frozen=True)
class Notified:
    """A notification of the stream's home (a timer rang, an alarm, a reminder)."""

    notification: Notification


@dataclass(frozen=True)
class TranscriptSoFar:
    """What has been recognised of the open utterance ``request_id`` while the user still speaks."""

    request_id: str
    partial: PartialTranscript


@dataclass(frozen=True)
class UtteranceEnded:
    """Utterance ``turn`` has ended: what was heard, or why it could not be recognised.

    ``at`` is the ``time.monotonic()`` instant recognition finished; with ``Heard.asr_ms`` it
    places the end of speech, from which the turn's budget counts.
    """

    turn: VoiceTurn
    heard: Heard | LingxiError
    at: float


InboxMessage = ClientMessage | ClientDone | Notified | TranscriptSoFar | UtteranceEnded
