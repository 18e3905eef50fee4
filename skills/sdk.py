"""The skill SDK: what a skill declares, receives and returns.

A skill is any object with a :class:`SkillManifest` and an async ``handle`` method
(:class:`Skill`). The assistant routes each understood intent to the skill whose
manifest lists it, hands it a :class:`SkillContext` (the home, the speaking device,
the devices, the deadline) and reads back a :class:`SkillResult`.

This is the one module third-party skill authors import (docs/skills.md); the manifest's parts
live in :mod:`skills.kit.manifest`, the gate every third-party skill reaches devices through in
:mod:`skills.kit.gate`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from domain.errors import ErrorCode, LingxiError, invalid_argument
from domain.home import Home
from intents.types import Intent
from skills.kit.manifest import (
    Access,
    BuiltinSlotType,
    ConfirmRule,
    IntentSpec,
    LatencyClass,
    Permission,
    SkillKind,
    SkillManifest,
    SlotType,
    SlotValue,
    load_manifest,
)

if TYPE_CHECKING:
    from skills.kit.remote_server import RemoteServer

__all__ = [
    "Access", "ActionReport", "ActionStatus", "Awaiting", "BuiltinSlotType", "Citation", "CommandResult", "CommandStatus",
    "ConfirmRule", "ContentProvider", "ContentQuery", "DeviceCommand", "DeviceGateway", "DeviceInfo", "Intent", "IntentSpec",
    "LatencyClass", "MediaDirective", "PendingAction", "Permission", "ProvidedItem", "Skill", "SkillContext", "SkillError",
    "SkillKind", "SkillManifest", "SkillRegistry", "SkillResult", "SlotType", "SlotValue", "load_manifest", "serve_remote",
]


class SkillError(LingxiError):
    """A skill asked its context for something this assistant cannot give it here (``UNIMPLEMENTED``)."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.UNIMPLEMENTED, message, "skill_context")


class ActionStatus(StrEnum):
    """What happened to one action (the device statuses plus the held one)."""

    DONE = "done"
    FAILED = "failed"
    TIMEOUT = "timeout"
    NEEDS_CONFIRMATION = "needs_confirmation"
    REJECTED = "rejected"


class Awaiting(StrEnum):
    """What the next turn of the dialog is expected to answer."""

    CONFIRMATION = "confirmation"
    CLARIFICATION = "clarification"


@dataclass(frozen=True)
class ActionReport:
    """What happened to one action (a device command, a timer...)."""

    device: str
    command: str
    params: Mapping[str, Any] = field(default_factory=dict)
    status: ActionStatus = ActionStatus.DONE
    detail: str = ""


@dataclass(frozen=True)
class PendingAction:
    """A device command held until the user confirms it, with what to say when it runs."""

    command: DeviceCommand
    verb: str  # the action's command name in reports, e.g. "set"
    description: str  # e.g. "打开门锁" / "unlock the front door"


@dataclass(frozen=True)
class Citation:
    """The source of a knowledge answer: a document (file name without extension for the
    shipped manuals, e.g. ``robot_vacuum.zh``) and the heading path of its section."""

    doc: str
    section: str


@dataclass(frozen=True)
class MediaDirective:
    """What the speaking device is told to play, or its player's new state.

    ``id`` is the catalogue id; ``queue`` the ids that follow (an album, an artist, a
    series); ``episode`` is 1-based for series and audiobooks; ``state`` is ``playing``,
    ``paused`` or ``stopped``; ``device`` is the player (a speaker or a TV) it is for.
    """

    id: str
    kind: str
    title: str
    artist: tuple[str, ...] = ()
    queue: tuple[str, ...] = ()
    episode: int | None = None
    state: str = "playing"
    device: str = ""
    position_s: float = 0.0


@dataclass(frozen=True)
class SkillResult:
    """A skill's answer to one task.

    ``awaiting`` says what the next turn should answer (``None``: nothing); ``pending``
    holds the actions a confirmation turn would release, ``candidates`` the devices a
    clarification asks the user to choose from.
    """

    speech: str
    actions: tuple[ActionReport, ...] = ()
    awaiting: Awaiting | None = None
    pending: tuple[PendingAction, ...] = ()
    candidates: tuple[str, ...] = ()  # with awaiting "clarification": the device ids to choose from
    media: MediaDirective | None = None
    citations: tuple[Citation, ...] = ()
    #: Which backend and tier produced the answer (knowledge, generation), for the route reason.
    route_note: str = ""
    #: The device the answer was about (a manual's product): "it" in the next turn's question.
    about: str = ""


@dataclass(frozen=True)
class ContentQuery:
    """A play request the content catalogue has no confident match for, as a content provider is asked it.

    ``family`` is ``music``, ``video`` or ``audio`` (the intent's); ``kind`` a catalogue kind the
    user named (``radio``, ``podcast``...) or empty; ``title`` and ``artist`` the search terms;
    ``text`` the utterance; ``lang`` ``zh`` or ``en``.
    """

    family: str
    title: str
    artist: str
    kind: str
    text: str
    lang: str


@dataclass(frozen=True)
class ProvidedItem:
    """A content provider's answer: what to play and how well it fits the query (``score`` 0..1)."""

    media: MediaDirective
    score: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise invalid_argument(f"a provided item's score is 0..1, not {self.score!r}")


#: The timer seam the runtime gives a third-party skill: (its context, seconds, label) -> the timer skill's answer.
SetTimer = Callable[["SkillContext", float, str], Awaitable["SkillResult"]]
#: The providers seam the content skill is given: the best provided item above the bar, or ``None``.
AskProviders = Callable[[ContentQuery, "SkillContext"], Awaitable["ProvidedItem | None"]]


@runtime_checkable
class DeviceGateway(Protocol):
    """The devices of one home, as a skill sees them."""

    def devices(self) -> Sequence[DeviceInfo]: ...

    def state(self, device_id: str) -> Mapping[str, Any]: ...

    async def execute(self, command: DeviceCommand, timeout: float) -> CommandResult: ...


@dataclass(frozen=True)
class SkillContext:
    """Everything a skill may use besides the intent.

    ``deadline`` is a ``time.monotonic()`` instant; skills keep their work inside it.
    ``now`` is the request's clock (the client's, with its UTC offset, when it sent one).
    """

    home: Home
    devices: DeviceGateway
    lang: str
    speaker_id: str
    speaker_room: str
    deadline: float
    now: datetime = field(default_factory=lambda: datetime.now().astimezone())
    session_id: str = ""
    #: The device the dialog last acted on or talked about (follow-ups such as "它的滤网多久换").
    last_device: str | None = None
    #: Called with the text so far while a skill generates its answer (streamed to the device).
    partial: Callable[[str], None] | None = None
    #: Sets a timer for this home and speaker (given to third-party skills by the runtime; see :meth:`set_timer`).
    timer: SetTimer | None = None
    #: The installed content providers (given to the content skill only).
    providers: AskProviders | None = None

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    def say(self, zh: str, en: str) -> str:
        """Pick the phrase in the request's language."""
        return zh if self.lang == "zh" else en

    def ask(self, zh: str, en: str) -> SkillResult:
        """A follow-up question: the next turn is heard as its answer (the skill's own intents understand it)."""
        return SkillResult(self.say(zh, en), awaiting=Awaiting.CLARIFICATION)

    def confirm(self, zh: str, en: str, pending: Sequence[PendingAction]) -> SkillResult:
        """A yes/no question: only the user's "yes" in the next turn runs ``pending`` (through the skill's gate)."""
        if not pending:
            raise invalid_argument("a confirmation needs at least one pending action")
        return SkillResult(self.say(zh, en), awaiting=Awaiting.CONFIRMATION, pending=tuple(pending))

    def play(self, item: MediaDirective, zh: str, en: str) -> SkillResult:
        """An answer that has the speaking device play ``item`` (on this speaker unless it names a player)."""
        return SkillResult(self.say(zh, en), media=item if item.device else replace(item, device=self.speaker_id))

    async def set_timer(self, seconds: float, label: str = "") -> SkillResult:
        """Set a real countdown for this home that rings on this speaker; the timer skill's answer comes
        back (its words, and a ``timer.set`` action when it was set). Raises :class:`SkillError` where
        the assistant gives no timers (a remote skill, a context built by hand)."""
        if self.timer is None:
            raise SkillError("set_timer: this context has no timers (only skills the assistant runs in-process do)")
        return await self.timer(self, seconds, label)


@runtime_checkable
class Skill(Protocol):
    manifest: SkillManifest

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult: ...


@runtime_checkable
class ContentProvider(Protocol):
    """A skill whose manifest ``provides`` content: the content skill asks it when its catalogue has no match."""

    manifest: SkillManifest

    async def find(self, query: ContentQuery, ctx: SkillContext) -> ProvidedItem | None: ...


class SkillRegistry:
    """Intent name -> the skill that serves it."""

    def __init__(self, skills: Sequence[Skill] = ()) -> None:
        self._by_intent: dict[str, Skill] = {}
        for skill in skills:
            self.register(skill)

    def register(self, skill: Skill) -> None:
        for name in skill.manifest.intents:
            if name in self._by_intent:
                raise ValueError(
                    f"intent {name!r} is served by {self._by_intent[name].manifest.name!r} already; "
                    f"{skill.manifest.name!r} cannot take it too"
                )
            self._by_intent[name] = skill

    def skill_for(self, intent_name: str) -> Skill | None:
        return self._by_intent.get(intent_name)

    def manifests(self) -> list[SkillManifest]:
        return list({id(s): s.manifest for s in self._by_intent.values()}.values())


async def serve_remote(skill: Skill, port: int = 0, host: str = "127.0.0.1") -> RemoteServer:
    """Serve ``skill`` as a remote skill (a gRPC ``SkillService``) on ``host:port``; ``port`` 0 takes a free
    one (the returned server's ``port``). The assistant reaches it through ``skills.remote`` in its
    configuration; the skill's device commands run there, through the assistant's safety gate."""
    from skills.kit.remote_server import serve  # imported here: the server is built on this module

    return await serve(skill, port, host)

