"""Installing and removing a skill while a real server runs (issue 14): the file watch and
``assistant skills reload`` retrain understanding and change the routing without a restart, and the
built-in commands are answered throughout."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import grpc
import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.app.config import Config, MqttOptions, ServerOptions, SkillOptions, VoiceConfig
from assistant.app.serving import serving
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from skills.kit.reload import request_reload

pytestmark = pytest.mark.integration

SHOPPING = Path(__file__).resolve().parents[3] / "examples" / "shopping_list"
#: The watch looks every 2 s and a retrain takes seconds: generous for two busy cores.
NOTICE_S = 120.0


async def ask(stub: pb_grpc.AssistantStub, text: str, lang: str) -> pb.Answer:
    return await stub.Ask(pb.AskRequest(text=text, device_id="living_room_speaker", lang=lang), timeout=30)


async def until(stub: pb_grpc.AssistantStub, text: str, lang: str, wanted: bool) -> pb.Answer:
    """Ask ``text`` until the shopping list answers it (``wanted``) or no longer does; the last answer."""
    deadline = time.monotonic() + NOTICE_S
    while True:
        answer = await ask(stub, text, lang)
        if ([i.name for i in answer.intents] == ["acme.shopping.add"]) == wanted or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(0.5)


async def test_a_skill_copied_in_answers_and_removed_stops_without_a_restart(mosquitto: Mosquitto, tmp_path: Path):
    folder = tmp_path / "skills"
    folder.mkdir()
    config = Config(
        server=ServerOptions(port=0),
        mqtt=MqttOptions(url=f"mqtt://{mosquitto.host}:{mosquitto.port}", command_timeout_s=2.0),
        skills=SkillOptions(folders=(str(folder),), entry_points=False),
        voice=VoiceConfig(preload=False),
        data_dir=str(tmp_path / "data"),
    )
    async with serving(config) as instance, grpc.aio.insecure_channel(f"127.0.0.1:{instance.server.port}") as channel:
        stub = pb_grpc.AssistantStub(channel)
        before = await ask(stub, "把牛奶加到购物清单", "zh")
        assert "已把牛奶加到购物清单" not in before.speech

        shutil.copytree(SHOPPING, folder / "shopping_list")
        installed = await until(stub, "把牛奶加到购物清单", "zh", wanted=True)
        assert [i.name for i in installed.intents] == ["acme.shopping.add"]
        assert "已把牛奶加到购物清单" in installed.speech
        assert "milk" in (await ask(stub, "what's on my shopping list", "en")).speech.lower()

        lights = await ask(stub, "打开客厅的灯", "zh")  # built-in commands answered with the skill installed
        assert [i.name for i in lights.intents] == ["device.turn_on"]
        states = await read_states(instance.runtime.mqtt, instance.runtime.homes[0], 3.0)
        assert states["living_room_main_light"]["power"] is True

        shutil.rmtree(folder / "shopping_list")
        removed = await until(stub, "把牛奶加到购物清单", "zh", wanted=False)
        assert [i.name for i in removed.intents] != ["acme.shopping.add"]
        assert "已把牛奶加到购物清单" not in removed.speech
        lights = await ask(stub, "关掉客厅的灯", "zh")
        assert [i.name for i in lights.intents] == ["device.turn_off"]


async def test_skills_reload_is_answered_by_the_running_service(mosquitto: Mosquitto, tmp_path: Path):
    """``assistant skills reload`` (the marker in the data folder) gets the report of the reload it asked for."""
    folder = tmp_path / "skills"
    shutil.copytree(SHOPPING, folder / "shopping_list")
    config = Config(
        server=ServerOptions(port=0),
        mqtt=MqttOptions(url=f"mqtt://{mosquitto.host}:{mosquitto.port}", command_timeout_s=2.0),
        skills=SkillOptions(folders=(str(folder),), entry_points=False),
        voice=VoiceConfig(preload=False),
        data_dir=str(tmp_path / "data"),
    )
    async with serving(config) as instance, grpc.aio.insecure_channel(f"127.0.0.1:{instance.server.port}") as channel:
        report = await asyncio.to_thread(request_reload, config.data_dir, NOTICE_S)
        assert report is not None and report["skills"] == ["acme.shopping"]
        answer = await ask(pb_grpc.AssistantStub(channel), "add eggs to my shopping list", "en")
        assert "Added eggs to your shopping list" in answer.speech


def test_skills_reload_without_a_service_says_so(tmp_path: Path):
    assert request_reload(tmp_path, wait_s=0.5) is None
