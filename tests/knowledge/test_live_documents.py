"""Documents added and removed beside a running server are answered, and forgotten, at once.

A real gRPC server on loopback (real mosquitto, the demo home) keeps its data in a folder;
``assistant kb add`` / ``kb remove`` run on that folder as a user runs them, in another process.
Two knowledge bases over one folder stand for the server and the CLI where only the answer matters.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import BudgetOptions, Config, MqttOptions, ServerOptions
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from iot_bridge.mosquitto import MosquittoProcess
from skills.knowledge import KnowledgeBase, KnowledgeSkill
from tests.knowledge.conftest import ask, small_manuals
from tests.knowledge.test_documents import KETTLE_MD, pdf_bytes

ROOT = Path(__file__).resolve().parents[2]
KETTLE_Q = "电水壶的水垢多久清除一次"
GARAGE_Q = "what battery does the GD-5 remote use"
GARAGE_LINES = ["Garage door opener GD-5 user manual.",
                "The remote control battery is a CR2016 coin cell and lasts about 2 years."]


async def assistant_cli(data_dir: Path, *args: str) -> tuple[int, str]:
    """``assistant ARGS`` in its own process, on ``data_dir`` (as ``LINGXI_DATA_DIR`` names it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGXI_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "assistant", *args, cwd=ROOT, env={**env, "LINGXI_DATA_DIR": str(data_dir)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 240)
    assert proc.returncode is not None
    return proc.returncode, out.decode() + err.decode()


@pytest.fixture
async def stub(mosquitto: MosquittoProcess, tmp_path: Path) -> AsyncIterator[pb_grpc.AssistantStub]:
    config = Config(server=ServerOptions(port=0),
                    mqtt=MqttOptions(url=f"mqtt://{mosquitto.host}:{mosquitto.port}", command_timeout_s=1.0),
                    budget=BudgetOptions(knowledge_s=30.0),  # room for the first question opening the index
                    data_dir=str(tmp_path / "data"))
    runtime = await Runtime(config).start()
    assert runtime.pipeline is not None
    server = GrpcServer(AssistantService(runtime.pipeline, config.server, Metrics(), runtime.notifications), config.server)
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    try:
        yield pb_grpc.AssistantStub(channel)
    finally:
        await channel.close()
        await server.stop()
        await runtime.stop()


async def question(stub: pb_grpc.AssistantStub, text: str, lang: str) -> pb.Answer:
    return await stub.Ask(pb.AskRequest(text=text, lang=lang), timeout=60)


@pytest.mark.integration
async def test_kb_add_and_remove_beside_a_running_server_take_effect_at_once(stub, tmp_path: Path) -> None:
    data = tmp_path / "data"
    kettle, garage = tmp_path / "kettle.md", tmp_path / "Garage Door Manual.pdf"
    kettle.write_text(KETTLE_MD, encoding="utf-8")
    garage.write_bytes(pdf_bytes(GARAGE_LINES))

    before = await question(stub, KETTLE_Q, "zh")
    assert "没有找到" in before.speech and not before.citations
    assert "CR2016" not in (await question(stub, GARAGE_Q, "en")).speech

    code, output = await assistant_cli(data, "kb", "add", "--home", "demo", str(kettle), str(garage))
    assert code == 0, output
    answer = await question(stub, KETTLE_Q, "zh")
    assert "每 2 个月" in answer.speech and "柠檬酸" in answer.speech
    assert [(c.doc, c.section) for c in answer.citations] == [("kettle", "3 清洁与保养")]
    answer = await question(stub, GARAGE_Q, "en")
    assert "CR2016" in answer.speech
    assert [(c.doc, c.section) for c in answer.citations] == [("garage-door-manual", "page 1")]
    # The shipped manuals are still answered beside the new documents.
    vacuum = await question(stub, "扫地机报E2是什么意思", "zh")
    assert "悬崖传感器" in vacuum.speech and vacuum.citations[0].doc == "robot_vacuum.zh"

    code, output = await assistant_cli(data, "kb", "remove", "--home", "demo", "kettle")
    assert code == 0, output
    after = await question(stub, KETTLE_Q, "zh")
    assert "没有找到" in after.speech and not after.citations
    assert "CR2016" in (await question(stub, GARAGE_Q, "en")).speech


async def test_a_document_another_process_adds_is_answered_for_its_home_only(demo_home, tmp_path: Path) -> None:
    manuals = small_manuals(tmp_path / "manuals", "robot_vacuum.zh.md")
    serving = KnowledgeBase(tmp_path / "data", manuals_dir=manuals)
    await serving.start()
    skill = KnowledgeSkill(serving)
    assert "没有找到" in (await ask(skill, demo_home, KETTLE_Q, "zh")).speech

    writer = KnowledgeBase(tmp_path / "data", manuals_dir=manuals)  # another process's view of the folder
    await writer.start()
    kettle = tmp_path / "kettle.md"
    kettle.write_text(KETTLE_MD, encoding="utf-8")
    await writer.add("demo", kettle)

    answer = await ask(skill, demo_home, KETTLE_Q, "zh")
    assert "每 2 个月" in answer.speech and [c.doc for c in answer.citations] == ["kettle"]
    other_home = dataclasses.replace(demo_home, id="other")
    elsewhere = await ask(skill, other_home, KETTLE_Q, "zh")
    assert "每 2 个月" not in elsewhere.speech and not elsewhere.citations
    assert [d.doc for d in serving.documents("other")] == ["robot_vacuum.zh"]

    await writer.remove("demo", "kettle")
    gone = await ask(skill, demo_home, KETTLE_Q, "zh")
    assert "每 2 个月" not in gone.speech and not gone.citations
    # The server, writing in turn, keeps what the other process wrote instead of its stale view.
    await writer.add("demo", kettle)
    garage = tmp_path / "garage.pdf"
    garage.write_bytes(pdf_bytes(GARAGE_LINES))
    await serving.add("demo", garage)
    assert [d.doc for d in serving.documents("demo")] == ["robot_vacuum.zh", "garage", "kettle"]
    assert "每 2 个月" in (await ask(skill, demo_home, KETTLE_Q, "zh")).speech
    await writer.close()
    await serving.close()
