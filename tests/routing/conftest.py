"""Two real instances on loopback: an edge (the home's devices on mosquitto) and its cloud, with the
delay proxy between them.

The cloud runs ``role: cloud`` on the same broker without devices of its own (``simulate_devices``
off): it learns the home's devices from the edge's announcements and never commands them. Its
LLM tier is a :class:`FakeScriptedBackend` (the one seam faked: a model that plans on cue), so
the cloud can place what the edge's local layer cannot. Its content catalogue and the edge's are
the shipped one; content and generation are the kinds the edge hands up (``upstream.kinds``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import Config, MqttOptions, SearchOptions, ServerOptions, UpstreamOptions
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime, free_port
from assistant.app.skillset import builtin_skills, served_intents
from assistant.pipeline.messages import Answer
from assistant.routing.llm_tiers import LlmFallback
from domain.home import load_demo_home
from intents.llm.planner import LlmPlanner
from iot_bridge import MqttSettings, VirtualHome, read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from testkit.delay_proxy import DelayProxy
from tests.llm.fakes import FakeScriptedBackend

TOKEN = "edge-secret"
SPEAKER = "living_room_speaker"


@dataclass
class Node:
    """One instance: its runtime, gRPC server, a client channel, and every answer it gave."""

    runtime: Runtime
    server: GrpcServer
    channel: grpc.aio.Channel
    answers: list[Answer] = field(default_factory=list)

    async def ask(self, text: str, lang: str = "zh", timeout_s: float = 3.0, session: str = "") -> pb.Answer:
        """As a device asks: over gRPC, with its deadline (a late answer is DEADLINE_EXCEEDED, not an answer)."""
        request = pb.AskRequest(text=text, device_id=SPEAKER, lang=lang, session_id=session)
        return await pb_grpc.AssistantStub(self.channel).Ask(request, timeout=timeout_s)

    async def states(self) -> dict[str, dict]:
        assert self.runtime.mqtt is not None
        return await read_states(self.runtime.mqtt, self.runtime.homes[0], 3.0)


@asynccontextmanager
async def node(config: Config, fallback: LlmFallback | None = None) -> AsyncIterator[Node]:
    runtime = await Runtime(config, fallback).start()
    try:
        assert runtime.pipeline is not None
        server = GrpcServer(AssistantService(runtime.pipeline, config.server, Metrics(), runtime.notifications), config.server)
        await server.start()
        channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
        found = Node(runtime, server, channel)
        runtime.pipeline.observe_answers(found.answers.append)
        try:
            yield found
        finally:
            await channel.close()
            await server.stop()
    finally:
        await runtime.stop()


@dataclass
class Cloud:
    node: Node
    proxy: DelayProxy  # the edge's way to it
    llm: FakeScriptedBackend


def edge_config(broker: Mosquitto, upstream_port: int, data_dir: Path, homes: tuple[str, ...] = (),
                token: str = TOKEN, circuit_open_s: float = 30.0) -> Config:
    return Config(
        server=ServerOptions(port=0),
        mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}", command_timeout_s=1.0),
        search=SearchOptions(preload=True),
        upstream=UpstreamOptions(url=f"127.0.0.1:{upstream_port}", token=token, circuit_open_s=circuit_open_s),
        role="edge",
        homes=homes,
        data_dir=str(data_dir),
    )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cloud(module_broker: Mosquitto, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cloud]:
    """The cloud instance, started after an edge has announced the home's devices, and a proxy to it."""
    port = free_port()
    tokens = dict.fromkeys(load_demo_home().speakers, TOKEN)
    config = Config(
        server=ServerOptions(port=port, device_tokens=tokens),
        mqtt=MqttOptions(url=f"mqtt://{module_broker.host}:{module_broker.port}", simulate_devices=False),
        search=SearchOptions(preload=True),
        role="cloud",
        data_dir=str(tmp_path_factory.mktemp("cloud")),
    )
    llm = FakeScriptedBackend("cloud", [{"tasks": []}])
    planner = LlmPlanner(llm, require_grounding=False)
    fallback = LlmFallback(served_intents(builtin_skills(Scheduler(NotificationBus()))), cloud=planner)
    # the home's devices announce themselves (retained) as the edges' will: the cloud learns them from that
    announcer = VirtualHome(load_demo_home(), MqttSettings(host=module_broker.host, port=module_broker.port))
    await announcer.start()
    await announcer.stop()
    async with DelayProxy(port) as proxy, node(config, fallback) as found:
        yield Cloud(found, proxy, llm)


@pytest.fixture(scope="module")
def edge_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the module's edges: their indexes are built once."""
    return tmp_path_factory.mktemp("edge")


@asynccontextmanager
async def edge(broker: Mosquitto, cloud: Cloud, data_dir: Path, **options: object) -> AsyncIterator[Node]:
    """An edge instance forwarding to ``cloud`` through its proxy (``options``: those of :func:`edge_config`)."""
    async with node(edge_config(broker, cloud.proxy.port, data_dir, **options)) as found:  # type: ignore[arg-type]
        assert found.runtime.bridge is not None and await found.runtime.bridge.sync(3.0)
        yield found
