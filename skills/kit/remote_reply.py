"""A remote skill's task and reply as the assistant sends and reads them (``lingxi.skill.v1``).

The task lists only the devices the skill's permissions grant (read through a gate), with their
state. The reply is checked before anything of it is used: a reply that cannot be carried out
(no words, a command without a device or changes, an unknown media state) is INVALID_OUTPUT.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import DecodeError
from lingxi.skill.v1 import skill_pb2 as pb

from intents.types import Intent
from skills.kit.remote_errors import RemoteFailure, RemoteSkillError
from skills.kit.remote_values import device_to_proto, media_from_proto, values_from_proto, values_to_proto
from skills.sdk import Awaiting, DeviceCommand, DeviceGateway, MediaDirective, SkillContext

_AWAITING = {pb.AWAITING_NONE: None, pb.AWAITING_CONFIRMATION: Awaiting.CONFIRMATION,
             pb.AWAITING_CLARIFICATION: Awaiting.CLARIFICATION}
MEDIA_STATES = frozenset({"playing", "paused", "stopped"})
#: Longer speech is not an answer to say aloud.
MAX_SPEECH_CHARS = 2000


@dataclass(frozen=True)
class RemoteReply:
    """A remote skill's reply, checked: what to say, what it waits for, the commands it asks for, media."""

    speech: str
    awaiting: Awaiting | None = None
    #: With ``awaiting`` clarification: the device ids the user chooses from.
    candidates: tuple[str, ...] = ()
    #: Carried out by the assistant, in order, through the gate.
    commands: tuple[DeviceCommand, ...] = ()
    media: MediaDirective | None = None


def request_to_proto(intent: Intent, ctx: SkillContext, view: DeviceGateway) -> pb.HandleRequest:
    """The task for the remote skill; ``view`` is the gate listing the devices its permissions grant."""
    return pb.HandleRequest(
        intent=intent.name, slots=values_to_proto(intent.slots), utterance=intent.text, language=ctx.lang,
        session_id=ctx.session_id, home_id=ctx.home.id, speaker_id=ctx.speaker_id, speaker_room=ctx.speaker_room,
        now=ctx.now.isoformat(), timezone=ctx.home.timezone, last_device=ctx.last_device or "",
        devices=[device_to_proto(d, view.state(d.id)) for d in view.devices()],
    )


def reply_from_bytes(data: bytes) -> RemoteReply:
    """The reply as it came over the wire, read and checked; INVALID_OUTPUT (:class:`RemoteSkillError`)
    naming what is wrong otherwise."""

    def wrong(what: str) -> RemoteSkillError:
        return RemoteSkillError(RemoteFailure.INVALID_OUTPUT, f"the reply has {what}")

    try:
        message = pb.HandleResponse.FromString(data)
    except DecodeError as err:
        raise wrong(f"bytes that are no HandleResponse ({err})") from err
    if message.awaiting not in _AWAITING:
        raise wrong(f"unknown awaiting {message.awaiting}")
    awaiting = _AWAITING[message.awaiting]
    commands = []
    for command in message.commands:
        changes = values_from_proto(command.changes)
        if not command.device_id or not changes or None in changes.values():
            raise wrong(f"a device command without a device or changes: {command!r}")
        commands.append(DeviceCommand(command.device_id, changes))
    if not message.speech.strip() and not (awaiting is Awaiting.CONFIRMATION and commands):
        raise wrong("an empty answer")  # only a confirmation question is the assistant's to word
    if len(message.speech) > MAX_SPEECH_CHARS:
        raise wrong(f"an answer of {len(message.speech)} characters")
    if message.candidates and awaiting is not Awaiting.CLARIFICATION:
        raise wrong("candidates without a question")
    media = None
    if message.HasField("media"):
        if not message.media.id or message.media.state not in MEDIA_STATES:
            raise wrong(f"media without an id or a state among {sorted(MEDIA_STATES)}")
        media = media_from_proto(message.media)
    return RemoteReply(message.speech, awaiting, tuple(message.candidates), tuple(commands), media)
