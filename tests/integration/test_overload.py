"""Admission and limits (issue 13): a device past its request rate or its open streams, a spoken turn when
the recogniser is busy and a client that does not read its replies get RESOURCE_EXHAUSTED with when to
retry, and everyone else goes on being served."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc
import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.api.status import RETRY_AFTER
from assistant.app.config import ServerOptions
from assistant.app.metrics import Metrics
from assistant.voice.service import VoiceOptions, VoiceService

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


@asynccontextmanager
async def serving(lingxi, voice: VoiceService | None = None, channel_options=(), **options) -> AsyncIterator[pb_grpc.AssistantStub]:
    """A server with ``options`` in front of the shared instance's pipeline."""
    server_options = ServerOptions(port=0, **options)
    service = AssistantService(lingxi.runtime.pipeline, server_options, Metrics(), lingxi.runtime.notifications, voice)
    server = GrpcServer(service, server_options)
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}", options=list(channel_options))
    try:
        yield pb_grpc.AssistantStub(channel)
    finally:
        await channel.close()
        await server.stop()


def retry_after_ms(error: grpc.aio.AioRpcError) -> int:
    return int(dict(error.trailing_metadata() or ())[RETRY_AFTER])


def text(words: str, device_id: str = "", request_id: str = "") -> pb.ConverseRequest:
    return pb.ConverseRequest(text=pb.AskRequest(text=words, device_id=device_id, request_id=request_id))


async def test_a_device_past_its_rate_is_told_when_to_retry_and_others_are_served(lingxi):
    await lingxi.reset()
    async with serving(lingxi, device_rate=2.0, device_burst=3) as stub:
        for _ in range(3):
            await stub.Ask(pb.AskRequest(text="打开厨房灯", device_id="bedroom_speaker"), timeout=5)
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.Ask(pb.AskRequest(text="关闭厨房灯", device_id="bedroom_speaker"), timeout=5)
        assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "try again in" in refused.value.details()
        wait_ms = retry_after_ms(refused.value)
        assert 0 < wait_ms <= 500
        assert (await lingxi.states())["kitchen_light"]["power"] is True  # the refused request did nothing
        other = await stub.Ask(pb.AskRequest(text="打开阳台灯", device_id="living_room_speaker"), timeout=5)
        assert other.actions[0].status == "done"
        await asyncio.sleep(wait_ms / 1000)
        again = await stub.Ask(pb.AskRequest(text="关闭厨房灯", device_id="bedroom_speaker"), timeout=5)
        assert again.actions[0].status == "done"


async def test_a_converse_turn_past_the_rate_is_a_turn_error_and_the_stream_goes_on(lingxi):
    async with serving(lingxi, device_rate=0.5, device_burst=1) as stub:
        events = [e async for e in stub.Converse(iter([text("打开厨房灯", request_id="a"), text("关闭厨房灯", request_id="b")]),
                                                 timeout=10)]
    assert [e.answer.request_id for e in events if e.WhichOneof("kind") == "answer"] == ["a"]
    (error,) = [e.error for e in events if e.WhichOneof("kind") == "error"]
    assert (error.request_id, error.code) == ("b", "RESOURCE_EXHAUSTED") and "try again in" in error.message


async def test_streams_past_a_devices_limit_are_closed_with_a_retry_hint(lingxi):
    async with serving(lingxi, device_streams=2) as stub:
        held = []
        for _ in range(2):
            outbox: asyncio.Queue = asyncio.Queue()
            call = stub.Converse(iter_queue(outbox), timeout=30)
            await outbox.put(text("现在几点", device_id="kids_room_speaker"))
            await until_answer(call)
            held.append((call, outbox))
        third = stub.Converse(iter([text("现在几点", device_id="kids_room_speaker")]), timeout=10)
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await until_answer(third)
        assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert retry_after_ms(refused.value) > 0
        # another device is not affected, and a closed stream frees its place
        await until_answer(stub.Converse(iter([text("现在几点", device_id="bedroom_speaker")]), timeout=10))
        call, outbox = held.pop()
        await outbox.put(None)
        async for _ in call:
            pass
        await until_answer(stub.Converse(iter([text("现在几点", device_id="kids_room_speaker")]), timeout=10))
        for call, outbox in held:
            await outbox.put(None)
            async for _ in call:
                pass


async def test_a_client_that_does_not_read_its_replies_is_dropped(lingxi):
    # a client whose window is tiny and that never reads: the server's writes stall at once
    stingy = [("grpc.http2.bdp_probe", 0), ("grpc.http2.lookahead_bytes", 1024)]
    async with serving(lingxi, channel_options=stingy, slow_reader_s=0.5) as stub:
        call = stub.Converse(iter([text("现在几点") for _ in range(20)]), timeout=30)
        await asyncio.sleep(2.0)
        with pytest.raises(grpc.aio.AioRpcError) as dropped:
            async for _ in call:
                pass
        assert dropped.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "did not read its replies" in dropped.value.details()
        answer = await stub.Ask(pb.AskRequest(text="现在几点"), timeout=5)
        assert answer.speech


async def test_a_spoken_turn_when_the_recogniser_is_busy_is_refused_at_once(lingxi):
    voice = VoiceService(VoiceOptions(max_open_utterances=1))
    await voice.warm(lingxi.runtime.homes)
    start = pb.AudioStart(sample_rate_hz=16000, channels=1, encoding="pcm_s16le")
    silence = pb.ConverseRequest(audio=pb.AudioChunk(pcm=b"\0" * 3200))
    async with serving(lingxi, voice) as stub:
        outbox: asyncio.Queue = asyncio.Queue()
        speaking = stub.Converse(iter_queue(outbox), timeout=30)
        await outbox.put(pb.ConverseRequest(audio_start=start))
        await outbox.put(silence)
        while voice.open_turns < 1:
            await asyncio.sleep(0.01)
        busy = [pb.ConverseRequest(audio_start=start), *[silence] * 10, pb.ConverseRequest(audio_end=pb.AudioEnd()),
                text("现在几点", request_id="typed")]
        events = [e async for e in stub.Converse(iter(busy), timeout=10)]
        (error,) = [e.error for e in events if e.WhichOneof("kind") == "error"]  # one error, not one per chunk
        assert error.code == "RESOURCE_EXHAUSTED" and "busy" in error.message
        assert [e.answer.request_id for e in events if e.WhichOneof("kind") == "answer"] == ["typed"]
        await outbox.put(None)
        async for _ in speaking:
            pass
    assert voice.open_turns == 0


async def iter_queue(queue: asyncio.Queue) -> AsyncIterator[pb.ConverseRequest]:
    while (item := await queue.get()) is not None:
        yield item


async def until_answer(call) -> pb.Answer:
    async for event in call:
        if event.WhichOneof("kind") == "answer":
            return event.answer
    raise AssertionError("the stream ended without an answer")
