"""Assistant.Converse: a stream of turns with stage events, answers and per-turn errors."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from skills.utilities.notifications import Notification

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def converse(lingxi, requests: list[pb.ConverseRequest]) -> list[pb.ConverseEvent]:
    return [event async for event in lingxi.stub.Converse(iter(requests), timeout=10)]


async def test_turns_stream_stage_events_then_the_answer(lingxi):
    await lingxi.reset()
    events = await converse(lingxi, [pb.ConverseRequest(text=pb.AskRequest(text="打开书房台灯", request_id="t1"))])
    stages = [(e.stage.stage, e.stage.phase) for e in events if e.WhichOneof("kind") == "stage"]
    assert stages == [("nlu", "start"), ("nlu", "end"), ("plan", "start"), ("plan", "end"), ("skills", "start"), ("skills", "end")]
    answer = events[-1].answer
    assert answer.request_id == "t1" and answer.actions[0].status == "done"
    assert (await lingxi.states())["study_desk_lamp"]["power"] is True


async def test_a_bad_turn_gets_an_error_event_and_the_stream_goes_on(lingxi):
    await lingxi.reset()
    events = await converse(
        lingxi,
        [
            pb.ConverseRequest(text=pb.AskRequest(text="", request_id="empty")),
            pb.ConverseRequest(audio_start=pb.AudioStart(sample_rate_hz=16000, channels=1, encoding="opus")),
            pb.ConverseRequest(text=pb.AskRequest(text="turn on the balcony light", request_id="ok")),
        ],
    )
    errors = [(e.error.request_id, e.error.code) for e in events if e.WhichOneof("kind") == "error"]
    assert errors == [("empty", "INVALID_ARGUMENT"), ("", "INVALID_ARGUMENT")]
    answers = [e.answer for e in events if e.WhichOneof("kind") == "answer"]
    assert [a.request_id for a in answers] == ["ok"]
    assert (await lingxi.states())["balcony_light"]["power"] is True


async def test_a_session_carries_a_confirmation_across_turns(lingxi):
    await lingxi.reset()
    events = await converse(
        lingxi,
        [
            pb.ConverseRequest(text=pb.AskRequest(text="把热水器调到70度", session_id="conv-1")),
            pb.ConverseRequest(text=pb.AskRequest(text="好的", session_id="conv-1")),
        ],
    )
    first, second = [e.answer for e in events if e.WhichOneof("kind") == "answer"]
    assert first.awaiting == "confirmation" and first.actions[0].status == "needs_confirmation"
    assert second.actions[0].status == "done"
    assert (await lingxi.states())["water_heater"]["temperature"] == 70


async def test_notifications_of_the_home_reach_an_open_stream(lingxi):
    requests: asyncio.Queue = asyncio.Queue()

    async def outgoing():
        while (item := await requests.get()) is not None:
            yield item

    stream = lingxi.stub.Converse(outgoing(), timeout=10)
    await requests.put(pb.ConverseRequest(text=pb.AskRequest(text="打开厨房灯", device_id="bedroom_speaker")))
    async for event in stream:
        if event.WhichOneof("kind") == "answer":
            break
    delivered = await lingxi.runtime.notifications.publish(
        Notification("demo", "bedroom_speaker", "timer", "泡面", "泡面的计时器时间到了", datetime.now().astimezone())
    )
    assert delivered == 1
    event = await anext(aiter(stream))
    assert event.notification.kind == "timer"
    assert event.notification.speech == "泡面的计时器时间到了"
    assert event.notification.device_id == "bedroom_speaker"
    await requests.put(None)
    assert [e async for e in stream] == []


async def test_a_stream_that_only_sends_audio_hears_its_homes_timers(lingxi):
    """Issue 12: the stream is subscribed by its first turn of any kind, not only by a text turn."""
    requests: asyncio.Queue = asyncio.Queue()

    async def outgoing():
        while (item := await requests.get()) is not None:
            yield item

    stream = lingxi.stub.Converse(outgoing(), timeout=30)
    start = pb.AudioStart(sample_rate_hz=16000, channels=1, encoding="pcm_s16le",
                          context=pb.AskRequest(device_id="bedroom_speaker", request_id="listening"))
    await requests.put(pb.ConverseRequest(audio_start=start))
    await requests.put(pb.ConverseRequest(audio=pb.AudioChunk(pcm=b"\0" * 3200)))
    timer = await lingxi.stub.Ask(pb.AskRequest(text="设一个两秒钟的计时器", device_id="bedroom_speaker"), timeout=5)
    assert [a.status for a in timer.actions] == ["done"]
    try:
        async with asyncio.timeout(20):
            async for event in stream:
                if event.WhichOneof("kind") == "notification":
                    break
        assert event.notification.kind == "timer" and event.notification.device_id == "bedroom_speaker"
    finally:
        await requests.put(None)
        stream.cancel()


async def test_over_long_ids_are_refused_per_turn_and_never_sent_back_whole(lingxi):
    events = await converse(
        lingxi,
        [
            pb.ConverseRequest(text=pb.AskRequest(text="打开厨房灯", request_id="r" * 100_000)),
            pb.ConverseRequest(text=pb.AskRequest(text="打开厨房灯", device_id="d" * 100_000, request_id="long-device")),
            pb.ConverseRequest(text=pb.AskRequest(text="打开厨房灯", session_id="s" * 129, request_id="long-session")),
        ],
    )
    errors = [e.error for e in events if e.WhichOneof("kind") == "error"]
    assert [e.code for e in errors] == ["INVALID_ARGUMENT"] * 3
    assert [e.request_id for e in errors][1:] == ["long-device", "long-session"]
    assert all(len(e.request_id) <= 128 and len(e.message) < 300 for e in errors)
