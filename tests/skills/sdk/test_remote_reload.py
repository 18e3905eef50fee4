"""A reload asks every remote skill for its manifest again (issue 14), through a real assistant server:
the shopping list served from a copy of its folder in its own process, and the rogue test skill that is
not there at start.

A manifest changed behind a running service is understood after a reload and not before; a skill that
was absent at start joins at the next reload; one that is down at a reload stays installed with its last
manifest, so its requests are answered "can't be reached" (its circuit counts the outage) rather than
not understood.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.app.config import Config, MqttOptions, RemoteSkillOptions, ServerOptions, SkillOptions, VoiceConfig
from assistant.app.runtime import Runtime, free_port
from assistant.app.serving import serving
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from skills.kit.discovery import from_folder
from skills.kit.reload import request_reload
from skills.kit.remote_client import RemoteSkill
from skills.sdk import serve_remote
from tests.skills.sdk.test_reload import NOTICE_S
from tests.skills.sdk.test_remote import ROGUE, SHOPPING, ShoppingProcess

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

UNREACHABLE = "Sorry, that skill can't be reached right now. Please try again later."
CAVIAR = "    - {value: caviar, zh: [鱼子酱], en: [caviar]}\n"


@dataclass
class Instance:
    runtime: Runtime
    stub: pb_grpc.AssistantStub
    shopping: ShoppingProcess
    folder: Path
    rogue_port: int

    async def ask(self, text: str) -> pb.Answer:
        return await self.stub.Ask(pb.AskRequest(text=text, device_id="living_room_speaker", lang="en"), timeout=30)

    async def reload(self) -> list[str]:
        """``assistant skills reload`` against the running service: the skills it installed."""
        report = await asyncio.to_thread(request_reload, self.runtime.config.data_dir, NOTICE_S)
        assert report is not None, "the service did not answer the reload"
        return sorted(report["skills"])

    def remote(self, intent: str) -> RemoteSkill:
        guarded = self.runtime.skills.skill_for(intent)
        assert guarded is not None, intent
        skill = guarded.skill  # type: ignore[attr-defined]
        assert isinstance(skill, RemoteSkill)
        return skill


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lingxi(module_broker: Mosquitto, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Instance]:
    folder = tmp_path_factory.mktemp("remote") / "shopping_list"
    shutil.copytree(SHOPPING, folder)
    shopping = ShoppingProcess(folder)
    shopping.start()
    rogue_port = free_port()  # nothing listens there at start
    config = Config(
        server=ServerOptions(port=0),
        mqtt=MqttOptions(url=f"mqtt://{module_broker.host}:{module_broker.port}", command_timeout_s=1.0),
        skills=SkillOptions(entry_points=False, remote=(
            RemoteSkillOptions("acme.shopping", f"127.0.0.1:{shopping.port}", describe_timeout_s=2.0, circuit_open_s=600),
            RemoteSkillOptions("acme.rogue", f"127.0.0.1:{rogue_port}", describe_timeout_s=0.5),
        )),
        voice=VoiceConfig(preload=False),
        data_dir=str(tmp_path_factory.mktemp("data")),
    )
    try:
        async with serving(config) as instance, grpc.aio.insecure_channel(f"127.0.0.1:{instance.server.port}") as channel:
            yield Instance(instance.runtime, pb_grpc.AssistantStub(channel), shopping, folder, rogue_port)
    finally:
        shopping.stop()


async def test_a_changed_manifest_is_understood_after_a_reload_not_before(lingxi):
    assert (await lingxi.ask("add milk to my shopping list")).speech == "Added milk to your shopping list."
    manifest = lingxi.folder / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("  item:\n", "  item:\n" + CAVIAR, 1), encoding="utf-8")
    lingxi.shopping.stop()
    await asyncio.to_thread(lingxi.shopping.start)  # the skill's new version, same address

    before = await lingxi.ask("add caviar to my shopping list")
    assert "caviar" not in {i.slots["item"].string_value for i in before.intents if "item" in i.slots}
    assert before.speech != "Added that to your shopping list."  # the old manifest knows no caviar

    assert await lingxi.reload() == ["acme.shopping"]  # the rogue skill still does not answer
    after = await lingxi.ask("add caviar to my shopping list")
    assert [(i.name, i.slots["item"].string_value) for i in after.intents] == [("acme.shopping.add", "caviar")]
    assert after.speech == "Added that to your shopping list."  # the skill's words: it has no name for it


async def test_a_skill_absent_at_start_joins_at_the_next_reload(lingxi):
    assert lingxi.runtime.skills.skill_for("acme.rogue.light") is None
    rogue_skill = from_folder(ROGUE)
    assert rogue_skill is not None
    rogue = await serve_remote(rogue_skill, lingxi.rogue_port)
    try:
        assert await lingxi.reload() == ["acme.rogue", "acme.shopping"]
        answer = await lingxi.ask("run zebra light protocol")
        assert [i.name for i in answer.intents] == ["acme.rogue.light"]
        assert answer.actions[0].status == "rejected"  # it reached the skill; the gate refused its light
    finally:
        await rogue.stop()


async def test_a_skill_down_at_a_reload_is_kept_and_answered_unreachable(lingxi):
    lingxi.shopping.stop()
    try:
        installed = await lingxi.reload()
        assert "acme.shopping" in installed
        skill = lingxi.remote("acme.shopping.add")
        assert skill.state().failures >= 1 and skill.state().why, skill.state()  # the Describe found it down
        answer = await lingxi.ask("add milk to my shopping list")
        assert [i.name for i in answer.intents] == ["acme.shopping.add"]  # still understood
        assert answer.speech == UNREACHABLE
    finally:
        await asyncio.to_thread(lingxi.shopping.start)
