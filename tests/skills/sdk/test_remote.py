"""Remote skills through a real assistant server (issue 14): the shopping list in its own process,
the rogue test skill and a service that answers garbage, each reached over gRPC on loopback.

A remote skill answers its sample utterances; its device commands run on the assistant's side
through the safety gate (unlocking waits for a confirmation turn, a device outside its permissions
is refused); one that hangs past the request's deadline, answers garbage or is down gets an answer
for its task only while the service answers others; a skill that is down opens its circuit and is
called again once it is back.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc
from lingxi.skill.v1 import skill_pb2 as skill_pb

from assistant.app.config import Config, MqttOptions, RemoteSkillOptions, ServerOptions, SkillOptions, VoiceConfig
from assistant.app.runtime import Runtime, free_port
from assistant.app.serving import serving
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from skills.kit.discovery import from_folder
from skills.kit.remote_breaker import Circuit
from skills.kit.remote_client import RemoteSkill
from skills.kit.remote_manifest import manifest_to_proto
from skills.sdk import load_manifest, serve_remote

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

ROOT = Path(__file__).resolve().parents[3]
SHOPPING = ROOT / "examples" / "shopping_list"
ROGUE = Path(__file__).with_name("rogue")
#: A trial call goes out this long after the shopping list's circuit opened.
OPEN_S = 1.0


class ShoppingProcess:
    """``examples/shopping_list/remote.py`` (or a copy of the folder) in its own process, on one port across restarts."""

    def __init__(self, folder: Path = SHOPPING) -> None:
        self.port = free_port()
        self._folder = folder
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(self._folder / "remote.py"), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self._process.stdout is not None
        line = self._process.stdout.readline()  # printed once it listens
        assert f"serving on 127.0.0.1:{self.port}" in line, line

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None


def garbled_server() -> grpc.aio.Server:
    """A SkillService that describes a valid manifest and answers every task with bytes that are no reply."""

    async def describe(request: skill_pb.DescribeRequest, context: grpc.aio.ServicerContext) -> skill_pb.Manifest:
        manifest = load_manifest(ROGUE / "manifest.yaml")
        message = manifest_to_proto(manifest)
        message.name = "acme.garbled"
        for spec in message.intents:
            spec.name = spec.name.replace("acme.rogue", "acme.garbled")
            for samples in spec.samples:
                texts = [t.replace("zebra", "walrus").replace("斑马", "海象") for t in samples.texts]
                del samples.texts[:]
                samples.texts.extend(texts)
        return message

    async def handle(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return b"\x0a\xff\xff\xff\xff\x0f garbage"

    server = grpc.aio.server()
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("lingxi.skill.v1.SkillService", {
        "Describe": grpc.unary_unary_rpc_method_handler(describe, skill_pb.DescribeRequest.FromString,
                                                        skill_pb.Manifest.SerializeToString),
        "Handle": grpc.unary_unary_rpc_method_handler(handle),  # raw bytes both ways
    })])
    return server


@dataclass
class Instance:
    runtime: Runtime
    stub: pb_grpc.AssistantStub
    shopping: ShoppingProcess

    async def ask(self, text: str, lang: str = "en", session: str = "", timeout: float | None = 30) -> pb.Answer:
        """``timeout`` None: the server's budget for the request is its deadline (2.5 s for a tool skill)."""
        return await self.stub.Ask(pb.AskRequest(text=text, device_id="living_room_speaker", lang=lang, session_id=session),
                                   timeout=timeout)

    async def states(self) -> dict[str, dict]:
        assert self.runtime.mqtt is not None
        return await read_states(self.runtime.mqtt, self.runtime.homes[0], 3.0)

    def remote(self, intent: str) -> RemoteSkill:
        guarded = self.runtime.skills.skill_for(intent)
        assert guarded is not None
        skill = guarded.skill  # type: ignore[attr-defined]
        assert isinstance(skill, RemoteSkill)
        return skill


@pytest.fixture(scope="module")
def shopping() -> Iterator[ShoppingProcess]:
    process = ShoppingProcess()
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lingxi(module_broker: Mosquitto, shopping: ShoppingProcess,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Instance]:
    rogue_skill = from_folder(ROGUE)
    assert rogue_skill is not None
    rogue = await serve_remote(rogue_skill)
    garbled = garbled_server()
    garbled_port = garbled.add_insecure_port("127.0.0.1:0")
    await garbled.start()
    config = Config(
        server=ServerOptions(port=0),
        mqtt=MqttOptions(url=f"mqtt://{module_broker.host}:{module_broker.port}", command_timeout_s=1.0),
        skills=SkillOptions(entry_points=False, remote=(
            RemoteSkillOptions("acme.shopping", f"127.0.0.1:{shopping.port}", circuit_open_s=OPEN_S),
            RemoteSkillOptions("acme.rogue", rogue.address),
            RemoteSkillOptions("acme.garbled", f"127.0.0.1:{garbled_port}"),
            RemoteSkillOptions("acme.absent", f"127.0.0.1:{free_port()}", describe_timeout_s=0.5),
        )),
        voice=VoiceConfig(preload=False),
        data_dir=str(tmp_path_factory.mktemp("data")),
    )
    try:
        async with serving(config) as instance, grpc.aio.insecure_channel(f"127.0.0.1:{instance.server.port}") as channel:
            yield Instance(instance.runtime, pb_grpc.AssistantStub(channel), shopping)
    finally:
        await garbled.stop(None)
        await rogue.stop()


async def test_a_remote_skill_answers_its_utterances(lingxi):
    added = await lingxi.ask("把牛奶加到购物清单", "zh")
    assert [i.name for i in added.intents] == ["acme.shopping.add"]
    assert "已把牛奶加到购物清单" in added.speech
    await lingxi.ask("add eggs to my shopping list")
    read = await lingxi.ask("what's on my shopping list")
    assert read.speech == "On your shopping list: milk, eggs."
    assert (await lingxi.ask("clear my shopping list")).speech == "Your shopping list is empty now."


async def test_a_skill_that_does_not_answer_at_start_is_left_out(lingxi):
    assert lingxi.runtime.skills.skill_for("acme.absent.unlock") is None
    answer = await lingxi.ask("turn on the living room light")  # the service started without it
    assert [a.status for a in answer.actions] == ["done"]


async def test_a_remote_skill_unlocking_the_door_gets_a_confirmation_turn(lingxi):
    await lingxi.runtime.reset_home("demo")
    held = await lingxi.ask("zebra unlock protocol")
    assert [i.name for i in held.intents] == ["acme.rogue.unlock"]
    assert held.awaiting == "confirmation"
    assert held.speech.startswith("Do you really want me to") and "unlock" in held.speech
    assert [(a.device, a.status) for a in held.actions] == [("front_door_lock", "needs_confirmation")]
    assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"
    done = await lingxi.ask("yes", session=held.session_id)
    assert [a.status for a in done.actions] == ["done"]
    assert (await lingxi.states())["front_door_lock"]["lock"] == "unlocked"
    await lingxi.runtime.reset_home("demo")


async def test_a_remote_skill_reaching_outside_its_permissions_is_refused(lingxi):
    await lingxi.runtime.reset_home("demo")
    answer = await lingxi.ask("zebra light protocol")
    assert answer.speech == "Sorry, that skill is not allowed to use that device."
    assert [(a.device, a.status) for a in answer.actions] == [("living_room_main_light", "rejected")]
    assert (await lingxi.states())["living_room_main_light"]["power"] is False


async def test_a_hanging_remote_skill_times_out_while_others_are_served(lingxi):
    await lingxi.runtime.reset_home("demo")
    # without a client deadline: the server's 2.5 s budget is the skill's, and the answer comes within the test's time
    hanging = asyncio.ensure_future(lingxi.ask("zebra sleep protocol", timeout=None))
    light = await lingxi.ask("turn on the living room light")
    listed = await lingxi.ask("把面包加到购物清单", "zh")
    assert not hanging.done()  # answered while the rogue skill hung
    assert "已把面包加到购物清单" in listed.speech
    assert (await lingxi.states())["living_room_main_light"]["power"] is True
    assert [a.status for a in light.actions] == ["done"]
    answer = await hanging
    assert answer.speech == "Sorry, that skill did not answer in time."
    assert [a.status for a in answer.actions] == ["timeout"]
    assert lingxi.remote("acme.rogue.hang").state().circuit is Circuit.CLOSED  # one timeout is not an outage


@pytest.mark.parametrize(("text", "detail"), [
    ("walrus garbage protocol", "the reply has bytes that are no HandleResponse"),
    ("zebra garbage protocol", "INTERNAL: skill acme.rogue answered a str, not a SkillResult"),
    ("zebra crash protocol", "INTERNAL: skill acme.rogue failed: RuntimeError"),
])
async def test_garbage_or_an_error_from_a_remote_skill_is_an_error_answer(lingxi, text, detail):
    """Bytes that are no reply, a reply that is no SkillResult, a skill that raised: its task fails, said plainly."""
    answer = await lingxi.ask(text)
    assert answer.speech == "Sorry, that skill ran into a problem."
    assert [a.status for a in answer.actions] == ["failed"]
    assert answer.actions[0].detail.startswith(detail)
    assert [a.status for a in (await lingxi.ask("turn off the living room light")).actions] == ["done"]


async def test_a_remote_skill_that_is_down_is_reported_then_called_again_once_back(lingxi):
    lingxi.shopping.stop()
    first = await lingxi.ask("add milk to my shopping list")
    assert first.speech == "Sorry, that skill can't be reached right now. Please try again later."
    assert first.actions[0].detail.startswith("UNAVAILABLE")
    await lingxi.ask("add milk to my shopping list")
    state = lingxi.remote("acme.shopping.add").state()
    assert state.circuit is Circuit.OPEN and state.why.startswith("UNAVAILABLE")
    refused = await lingxi.ask("add milk to my shopping list")  # not called while open
    assert refused.speech == first.speech
    assert refused.actions[0].detail.startswith("circuit open")
    assert [a.status for a in (await lingxi.ask("turn on the living room light")).actions] == ["done"]

    await asyncio.to_thread(lingxi.shopping.start)
    deadline = time.monotonic() + 60
    while True:
        answer = await lingxi.ask("add milk to my shopping list")
        if "Added milk" in answer.speech or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.3)
    assert answer.speech == "Added milk to your shopping list."
    assert lingxi.remote("acme.shopping.add").state().circuit is Circuit.CLOSED
