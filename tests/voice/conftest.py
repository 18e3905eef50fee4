"""Voice fixtures: synthesised commands (generated once per session), a Lingxi instance, a streaming client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from assistant.evaluation.cases import Case, parse_cases
from assistant.voice.audio import read_wav
from assistant.voice.service import VoiceService
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from testkit.voice_fixtures import make_fixtures, missing_tools
from tests.integration.conftest import Instance, instance_config, stop_instance


@pytest.fixture(scope="session")
def voice_cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    """The spoken commands of testkit/voice_commands.jsonl, synthesised with espeak-ng + sox (a few seconds)."""
    missing = missing_tools()
    if missing:
        pytest.fail(f"voice fixtures need {', '.join(missing)}: run make setup (APT_PACKAGES)")
    return parse_cases(make_fixtures(tmp_path_factory.mktemp("voice")))


@dataclass
class VoiceInstance(Instance):
    voice: VoiceService


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def voice_lingxi(module_broker: Mosquitto) -> AsyncIterator[VoiceInstance]:
    """A whole instance (as in tests/integration) whose recogniser is loaded before the first test."""
    config = instance_config(module_broker)
    runtime = await Runtime(config).start()
    assert runtime.pipeline is not None
    voice = VoiceService()
    await voice.warm(runtime.homes)
    service = AssistantService(runtime.pipeline, config.server, Metrics(), runtime.notifications, voice)
    server = GrpcServer(service, config.server)
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    instance = VoiceInstance(runtime, server, module_broker, channel, voice)
    try:
        yield instance
    finally:
        await stop_instance(instance)


def audio_requests(path: Path | None, *, lang: str = "", request_id: str = "", device_id: str = "",
                   session_id: str = "", chunk_s: float = 0.1, trailing_silence_s: float = 0.0,
                   end: bool = True, fmt: pb.AudioStart | None = None, pcm: bytes | None = None) -> list[pb.ConverseRequest]:
    """AudioStart, the WAV's PCM in chunks (plus silence), AudioEnd."""
    if path is not None:
        wav_format, pcm = read_wav(path)
        fmt = fmt or pb.AudioStart(sample_rate_hz=wav_format.sample_rate_hz, channels=wav_format.channels, encoding="pcm_s16le")
    assert fmt is not None and pcm is not None
    fmt.context.CopyFrom(pb.AskRequest(lang=lang, request_id=request_id, device_id=device_id, session_id=session_id))
    step = int(fmt.sample_rate_hz * max(fmt.channels, 1) * 2 * chunk_s)
    step = max(2, step - step % 2)
    pcm = pcm + b"\0" * int(fmt.sample_rate_hz * max(fmt.channels, 1) * 2 * trailing_silence_s)
    messages = [pb.ConverseRequest(audio_start=fmt)]
    messages += [pb.ConverseRequest(audio=pb.AudioChunk(pcm=pcm[i:i + step])) for i in range(0, len(pcm), step)]
    if end:
        messages.append(pb.ConverseRequest(audio_end=pb.AudioEnd()))
    return messages


@dataclass
class Streamed:
    events: list[pb.ConverseEvent]
    #: monotonic time of each event's arrival
    times: list[float]
    #: monotonic time the last message was sent
    sent_last: float


async def stream(instance: Instance, messages: list[pb.ConverseRequest], realtime: bool = False,
                 timeout: float = 60.0) -> Streamed:
    """Send ``messages`` (paced at the audio's real time when ``realtime``) and collect every event."""
    sent = [0.0]

    async def outgoing():
        for msg in messages:
            if realtime and msg.WhichOneof("kind") == "audio":
                await asyncio.sleep(len(msg.audio.pcm) / 32000)
            sent[0] = time.monotonic()
            yield msg

    events, times = [], []
    async for event in instance.stub.Converse(outgoing(), timeout=timeout):
        events.append(event)
        times.append(time.monotonic())
    return Streamed(events, times, sent[0])


def answers(streamed: Streamed) -> list[pb.Answer]:
    return [e.answer for e in streamed.events if e.WhichOneof("kind") == "answer"]


def errors(streamed: Streamed) -> list[pb.TurnError]:
    return [e.error for e in streamed.events if e.WhichOneof("kind") == "error"]
