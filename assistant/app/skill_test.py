"""``assistant skill test PATH``: a skill's own sample utterances and scripted dialogs, end to end.

The skill at PATH (a skills folder or a package's source folder, see skills/kit/discovery.py) is
installed in a fresh in-process instance serving the demo home (plus the devices its
``dialogs.yaml`` adds, such as the coffee machine), or, with ``--remote``, served as a remote skill
on a free loopback port that the instance reaches over gRPC. Every sample utterance of its manifest must
reach the intent it is listed under; every dialog (turns of what the user says and words the
answer must contain, in one session) must be answered as scripted.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from assistant.app.config import Config, MqttOptions, RemoteSkillOptions, SkillOptions
from assistant.app.runtime import Runtime
from assistant.pipeline.messages import Answer, Request
from domain.errors import invalid_argument
from domain.home import demo_home_path
from skills.kit.discovery import from_folders
from skills.sdk import serve_remote

SPEAKER = "living_room_speaker"


@dataclass(frozen=True)
class Turn:
    say: str
    expect: str  # words the answer's speech must contain


@dataclass(frozen=True)
class Dialog:
    name: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Script:
    """A skill's ``dialogs.yaml``: ``devices`` added to the demo home (home-file syntax) and the dialogs."""

    devices: Mapping[str, Any] = field(default_factory=dict)
    dialogs: tuple[Dialog, ...] = ()


@dataclass(frozen=True)
class Failure:
    what: str  # "sample" or the dialog's name
    said: str
    wanted: str
    got: str


@dataclass(frozen=True)
class Report:
    samples: int
    dialogs: int
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def load_script(folder: Path) -> Script:
    path = folder / "dialogs.yaml"
    if not path.is_file():
        return Script()
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        dialogs = tuple(Dialog(str(d["name"]), tuple(Turn(str(t["say"]), str(t["expect"])) for t in d["turns"]))
                        for d in doc.get("dialogs") or ())
    except (KeyError, TypeError) as err:
        raise invalid_argument(f"{path}: every dialog needs a name and turns of say/expect ({err!r})") from err
    return Script(dict(doc.get("devices") or {}), dialogs)


def home_with(devices: Mapping[str, Any], folder: Path) -> Path:
    """A home file: the demo home with ``devices`` added, written in ``folder``."""
    home = yaml.safe_load(demo_home_path().read_text(encoding="utf-8"))
    home["devices"].update(devices)
    path = folder / "home.yaml"
    path.write_text(yaml.safe_dump(home, allow_unicode=True), encoding="utf-8")
    return path


def skill_config(folder: Path, home: Path) -> Config:
    return Config(
        mqtt=MqttOptions(embedded_port=0, command_timeout_s=1.0),
        skills=SkillOptions(folders=(str(folder),), entry_points=False),
        homes=(str(home),),
    )


async def ask(runtime: Runtime, text: str, session: str = "") -> Answer:
    assert runtime.pipeline is not None
    return await runtime.pipeline.run(Request(text, SPEAKER, uuid.uuid4().hex, session or uuid.uuid4().hex))


async def served_remotely(folder: Path, stack: AsyncExitStack) -> tuple[RemoteSkillOptions, ...]:
    """The skills in ``folder``, each served as a remote skill on a free loopback port (stopped with ``stack``)."""
    served = []
    for skill in await asyncio.to_thread(from_folders, [folder]):
        server = await serve_remote(skill)
        stack.push_async_callback(server.stop)
        served.append(RemoteSkillOptions(skill.manifest.name, server.address))
    if not served:
        raise invalid_argument(f"no skill could be loaded from {folder} (see the log for why)")
    return tuple(served)


async def run_skill_tests(folder: Path, remote: bool = False) -> Report:
    """Run the samples and dialogs of the skill in ``folder`` (``remote``: served over gRPC on loopback,
    as its own service would be); nothing the skill does escapes the report."""
    script = load_script(folder)
    async with AsyncExitStack() as stack:
        config = skill_config(folder, home_with(script.devices, Path(stack.enter_context(tempfile.TemporaryDirectory()))))
        if remote:
            config = replace(config, skills=SkillOptions(entry_points=False, remote=await served_remotely(folder, stack)))
        runtime = await Runtime(config).start()
        stack.push_async_callback(runtime.stop)
        return await _run(runtime, script)


async def _run(runtime: Runtime, script: Script) -> Report:
    assert runtime.pipeline is not None
    failures: list[Failure] = []
    matcher = runtime.understanding.skills
    if matcher is None:
        raise invalid_argument("no skill was installed from this folder (see the log for why)")
    samples = matcher.samples()
    for intent, text in samples:
        answer = await ask(runtime, text)
        got = [i.name for i in answer.intents]
        if got != [intent]:
            failures.append(Failure("sample", text, intent, ",".join(got)))
    for dialog in script.dialogs:
        session = uuid.uuid4().hex
        for turn in dialog.turns:
            answer = await ask(runtime, turn.say, session)
            if turn.expect.lower() not in answer.speech.lower():
                failures.append(Failure(dialog.name, turn.say, turn.expect, answer.speech))
                break
        await runtime.reset_home(runtime.homes[0].id)
    return Report(len(samples), len(script.dialogs), tuple(failures))
