"""Property-based fuzzing (hypothesis) of every field of Ask and Converse against a real server on loopback
(issue 13): each request gets a normal answer or a specific error — never INTERNAL or UNKNOWN, never an
error that repeats unbounded input — and the server goes on serving: a health check and a real command
afterwards.

The instance runs on its own event loop in a thread so that hypothesis can drive a plain blocking client.
"""

from __future__ import annotations

import asyncio
import functools
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.voice.audio import read_wav
from testkit.voice_fixtures import synthesise
from tests.integration.conftest import Instance, start_instance, stop_instance

pytestmark = pytest.mark.integration

#: An error message may quote a client's input, but only so much of it (64 characters, each up to
#: ten when escaped).
MAX_DETAILS_CHARS = 1000
NOT_EXPECTED = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)  # protobuf strings are UTF-8: no surrogates
long_texts = st.builds(lambda c, n: c * n, st.characters(blacklist_categories=("Cs",)), st.integers(0, 5000))
strings = st.one_of(texts, long_texts)


#: Any value an int32 field of the proto can carry (the wire cannot hold more).
INT32 = st.integers(-(2**31), 2**31 - 1)


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """``usual`` nine times in ten: a request with one odd field reaches the checks of the others."""
    return st.sampled_from([True] * 9 + [False]).flatmap(lambda is_usual: usual if is_usual else odd)


speakers = st.sampled_from(["", "living_room_speaker", "bedroom_speaker", "kids_room_speaker"])
clocks = st.one_of(
    st.just(""),
    st.datetimes(datetime(2001, 1, 1), datetime(2199, 1, 1), timezones=st.timezones()).map(lambda d: d.isoformat()),
)
odd_clocks = st.one_of(
    st.sampled_from(["2026-12-01T20:00:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00Z", "24:00"]),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    strings,
)
commands = st.sampled_from(["打开厨房灯", "关闭厨房灯", "把空调调到26度", "现在几点", "打开前门", "确定", "turn on the balcony light", ""])
ask_requests = st.builds(
    pb.AskRequest,
    text=mostly(commands, strings),
    device_id=mostly(speakers, strings),
    session_id=mostly(st.sampled_from(["", "fuzz-session"]), strings),
    lang=mostly(st.sampled_from(["", "zh", "en"]), st.one_of(st.sampled_from(["fr", "ZH"]), strings)),
    client_time=mostly(clocks, odd_clocks),
    request_id=mostly(st.sampled_from(["", "fuzz-request"]), strings),
)
audio_starts = st.builds(
    pb.AudioStart,
    sample_rate_hz=mostly(st.sampled_from([8000, 16000, 44100, 48000]), INT32),
    channels=mostly(st.just(1), INT32),
    encoding=mostly(st.just("pcm_s16le"), st.one_of(st.sampled_from(["", "opus", "PCM_S16LE"]), texts)),
    context=ask_requests,
)
@functools.cache
def speech() -> bytes:
    """A spoken command as 16 kHz mono s16 PCM (espeak-ng and sox, as the voice tests make theirs)."""
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        synthesise("打开厨房灯", "zh", wav)
        return read_wav(wav)[1]


def spoken_turn(start: pb.AudioStart, cut: float, step: int, end: bool) -> list[pb.ConverseRequest]:
    """An utterance: its start, the first ``cut`` of the speech in chunks of ``step`` bytes (any, odd ones too), maybe its end."""
    pcm = speech()[: int(len(speech()) * cut)]
    chunks = [pb.ConverseRequest(audio=pb.AudioChunk(pcm=pcm[i:i + step])) for i in range(0, len(pcm), step)]
    return [pb.ConverseRequest(audio_start=start), *chunks, *([pb.ConverseRequest(audio_end=pb.AudioEnd())] if end else [])]


converse_turns = st.one_of(
    ask_requests.map(lambda r: [pb.ConverseRequest(text=r)]),
    audio_starts.map(lambda s: [pb.ConverseRequest(audio_start=s)]),
    st.binary(max_size=3200).map(lambda b: [pb.ConverseRequest(audio=pb.AudioChunk(pcm=b))]),
    st.just([pb.ConverseRequest(audio_end=pb.AudioEnd())]),
    st.just([pb.ConverseRequest()]),
    st.builds(spoken_turn, audio_starts, st.floats(0.0, 1.0), st.integers(1, 16000), st.booleans()),
)


class LoopThread:
    """An event loop in a thread, running the instance."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Any, timeout: float = 60) -> Any:
        future: Future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


@pytest.fixture(scope="module")
def served(module_broker) -> Iterator[tuple[LoopThread, Instance, grpc.Channel]]:
    thread = LoopThread()
    instance = thread.run(start_instance(module_broker, device_rate=10_000.0, device_burst=10_000))
    channel = grpc.insecure_channel(f"127.0.0.1:{instance.server.port}")
    try:
        yield thread, instance, channel
    finally:
        channel.close()
        thread.run(stop_instance(instance))
        thread.close()


def check_error(error: grpc.RpcError) -> None:
    event(f"status {error.code().name}")
    assert error.code() not in NOT_EXPECTED, error.details()
    assert len(error.details() or "") <= MAX_DETAILS_CHARS


@FUZZ
@given(request=ask_requests)
def test_ask_fields(served, request):
    _, _, channel = served
    try:
        answer = pb_grpc.AssistantStub(channel).Ask(request, timeout=10)
    except grpc.RpcError as error:
        check_error(error)
    else:
        event("answered")
        assert answer.speech or answer.awaiting


@FUZZ
@given(data=st.binary(max_size=2000))
def test_ask_bytes_that_may_not_be_a_request(served, data):
    _, _, channel = served
    ask = channel.unary_unary("/lingxi.assistant.v1.Assistant/Ask", request_serializer=None, response_deserializer=None)
    try:
        ask(data, timeout=10)
    except grpc.RpcError as error:
        check_error(error)


@settings(FUZZ, max_examples=20)
@given(turns=st.lists(converse_turns, max_size=4))
def test_converse_messages_in_any_order(served, turns):
    _, _, channel = served
    messages = [message for turn in turns for message in turn]
    try:
        for reply in pb_grpc.AssistantStub(channel).Converse(iter(messages), timeout=30):
            kind = reply.WhichOneof("kind")
            event(f"event {kind}" + (f" {reply.error.code}" if kind == "error" else ""))
            if kind == "error":
                assert reply.error.code not in {"INTERNAL", "UNKNOWN"}, reply.error.message
                assert len(reply.error.message) <= MAX_DETAILS_CHARS and len(reply.error.request_id) <= 128
    except grpc.RpcError as error:
        check_error(error)


def test_the_server_still_serves_after_the_fuzzing(served):
    thread, instance, channel = served
    health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    thread.run(instance.reset())
    answer = pb_grpc.AssistantStub(channel).Ask(pb.AskRequest(text="打开厨房灯", device_id="living_room_speaker"), timeout=10)
    assert answer.actions[0].status == "done"
    assert thread.run(instance.states())["kitchen_light"]["power"] is True
