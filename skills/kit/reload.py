"""Installing and removing third-party skills while the service runs (docs/skills.md, "Installing and reloading").

A reload finds the skills again, builds a new registry and trains a new :class:`~skills.kit.matcher.SkillMatcher`
in a worker thread while the current ones keep serving, then swaps the whole :class:`Generation` in with
plain assignments on the event loop: a turn already understood keeps the model it was understood with, and
no turn ever sees a registry without the matcher that goes with it. Reloads run one at a time. Each asks the
remote skills (``skills.remote``) for their manifests again first (:class:`RemoteSkills`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from domain.errors import LingxiError
from intents.llm.schema import SkillIntent, SkillSlot
from skills.kit.manifest import SkillManifest
from skills.kit.matcher import SkillMatcher
from skills.kit.remote_client import RemoteSkill, connect_remote
from skills.kit.remote_errors import RemoteSkillError
from skills.sdk import Skill, SkillRegistry

_LOGGER = logging.getLogger(__name__)

#: ``assistant skills reload`` writes a request id here (in the data folder); the watch reloads on it.
RELOAD_MARKER = "skills.reload"
#: What the service writes after each reload: the request id it saw, the skills installed, the seconds taken.
RELOAD_REPORT = "skills.loaded.json"


@dataclass(frozen=True)
class Generation:
    """One set of installed skills, swapped in whole."""

    #: Every skill served: the built-in ones, then the third-party ones behind the gate.
    registry: SkillRegistry
    #: Understanding of the third-party intents; None without any.
    matcher: SkillMatcher | None
    #: The third-party skills installed (``vendor.name``).
    skills: tuple[str, ...]
    #: Seconds taken to find the skills and train the matcher.
    took_s: float


class LiveRegistry(SkillRegistry):
    """The current generation's registry, behind one reference that a reload replaces."""

    def __init__(self, current: SkillRegistry | None = None) -> None:
        super().__init__()
        self._current = current or SkillRegistry()

    def swap(self, registry: SkillRegistry) -> None:
        self._current = registry

    def register(self, skill: Skill) -> None:
        self._current.register(skill)

    def skill_for(self, intent_name: str) -> Skill | None:
        return self._current.skill_for(intent_name)

    def manifests(self) -> list[SkillManifest]:
        return self._current.manifests()


def third_party(registry: SkillRegistry) -> list[SkillManifest]:
    """The manifests that teach understanding: the third-party skills' (built-in skills bring no samples)."""
    return [m for m in registry.manifests() if m.specs]


def planner_intents(manifest: SkillManifest) -> tuple[SkillIntent, ...]:
    """A manifest's intents as the LLM planner's schema and prompt show them."""
    intents = []
    for spec in manifest.specs:
        slots = tuple(
            SkillSlot(slot, kind, tuple(v.value for v in manifest.slot_types[kind].values) if kind in manifest.slot_types else ())
            for slot, kind in spec.slots.items())
        samples = tuple(texts[0] for lang in ("zh", "en") if (texts := spec.samples.get(lang)))
        intents.append(SkillIntent(spec.name, slots, samples))
    return tuple(intents)


class RemoteConfig(Protocol):
    """A remote skill as configured (``skills.remote``), read only."""

    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def describe_timeout_s(self) -> float: ...
    @property
    def failures_to_open(self) -> int: ...
    @property
    def circuit_open_s(self) -> float: ...


class RemoteSkills:
    """The configured remote skills as they last described themselves.

    :meth:`fetch` (at start and on every reload) asks each one for its manifest again. One that answers is
    served with what it describes now, on the connection and circuit it had. One that is down keeps its
    last manifest: its requests are still understood and answered "can't be reached" by its circuit (the
    outage counts against it, the log says so) rather than falling out of scope. One that never answered
    is tried anew, and left out with an error line while it does not answer or describes another skill.
    """

    def __init__(self, configured: Sequence[RemoteConfig]) -> None:
        self._configured = tuple(configured)
        self._current: dict[str, RemoteSkill] = {}
        #: Every connection made: closed at the end, not on a reload (a turn under way may still use it).
        self._connected: list[RemoteSkill] = []

    async def fetch(self) -> list[Skill]:
        found = await asyncio.gather(*(self._describe(remote) for remote in self._configured))
        return [skill for skill in found if skill is not None]

    async def _describe(self, remote: RemoteConfig) -> RemoteSkill | None:
        known = self._current.get(remote.name)
        try:
            if known is not None:
                skill = await known.described_again(remote.describe_timeout_s)
            else:
                skill = await connect_remote(remote.name, remote.address, describe_timeout_s=remote.describe_timeout_s,
                                             failures_to_open=remote.failures_to_open, open_s=remote.circuit_open_s)
                self._connected.append(skill)
        except RemoteSkillError as err:
            if known is None:
                _LOGGER.error("remote skill %s at %s left out: %s", remote.name, remote.address, err)
                return None
            _LOGGER.error("remote skill %s at %s did not describe itself (%s): kept with its last manifest",
                          remote.name, remote.address, err)
            return known
        except LingxiError as err:  # another skill, or a manifest that is not valid, answers there now
            _LOGGER.error("remote skill %s at %s left out: %s", remote.name, remote.address, err)
            self._current.pop(remote.name, None)
            return None
        self._current[remote.name] = skill
        return skill

    async def close(self) -> None:
        for skill in self._connected:
            await skill.close()


class SkillReloader:
    """Builds generations one at a time and hands each to ``apply`` on the event loop, which swaps it in
    without awaiting. ``fetch`` (on the event loop) gets the remote skills as they describe themselves now;
    ``build`` (in a worker thread) gets them and finds the others."""

    def __init__(self, build: Callable[[Sequence[Skill]], Generation], apply: Callable[[Generation], None],
                 fetch: Callable[[], Awaitable[Sequence[Skill]]]) -> None:
        self._build = build
        self._apply = apply
        self._fetch = fetch
        self._lock = asyncio.Lock()
        self.current: Generation | None = None

    async def reload(self) -> Generation:
        async with self._lock:
            remote = await self._fetch()
            generation = await asyncio.to_thread(self._build, remote)
            self._apply(generation)
            self.current = generation
        _LOGGER.info("skills reloaded in %.1f s: %s", generation.took_s, ", ".join(generation.skills) or "none installed")
        return generation


def build_generation(find: Callable[[], Sequence[Skill]], registry: Callable[[Sequence[Skill]], SkillRegistry],
                     matcher: Callable[[Sequence[SkillManifest]], SkillMatcher | None]) -> Generation:
    """Find the third-party skills, build the registry with them, train the matcher on what it installed."""
    started = time.perf_counter()
    built = registry(find())
    manifests = third_party(built)
    trained = matcher(manifests) if manifests else None
    return Generation(built, trained, tuple(m.name for m in manifests), time.perf_counter() - started)


def write_report(path: Path, generation: Generation, request: str) -> None:
    """Tell ``assistant skills reload`` (and whoever looks) what the reload that saw ``request`` installed."""
    report = {"request": request, "skills": list(generation.skills), "took_s": round(generation.took_s, 3)}
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(report), encoding="utf-8")
    partial.replace(path)  # a reader never sees half a report


def request_reload(data_folder: str | Path, wait_s: float, poll_s: float = 0.2) -> dict[str, Any] | None:
    """Ask the service keeping ``data_folder`` to reload (the marker its watch looks at) and wait up to
    ``wait_s`` for its report of that reload; None when no report came (no service running there)."""
    data_dir = Path(data_folder).expanduser()
    data_dir.mkdir(parents=True, exist_ok=True)
    request = uuid.uuid4().hex
    (data_dir / RELOAD_MARKER).write_text(request, encoding="utf-8")
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            report = json.loads((data_dir / RELOAD_REPORT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = None
        if isinstance(report, dict) and report.get("request") == request:
            return report
        time.sleep(poll_s)
    return None
