"""Bearer tokens (issue 13): every refusal reads the same and tells nothing, a stream that proves nothing is
closed before it sends anything, one that speaks for another device is closed, and no token reaches a log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import grpc
import pytest
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2 as pb

from tests.integration.conftest import Instance, start_instance, stop_instance

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

TOKENS = {"living_room_speaker": "tok-living-0123456789", "bedroom_speaker": "tok-bed-0123456789"}


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def guarded(module_broker) -> AsyncIterator[Instance]:
    instance = await start_instance(module_broker, device_tokens=TOKENS)
    try:
        yield instance
    finally:
        await stop_instance(instance)


async def refusal(call) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
    return info.value


async def test_every_refusal_reads_the_same_and_names_no_device(guarded):
    ask = guarded.stub.Ask
    refusals = [
        await refusal(ask(pb.AskRequest(text="打开厨房灯", device_id="living_room_speaker"), timeout=5)),
        await refusal(ask(pb.AskRequest(text="打开厨房灯", device_id="no_such_speaker"), timeout=5)),
        await refusal(ask(pb.AskRequest(text="打开厨房灯", device_id="no_such_speaker"), timeout=5,
                          metadata=bearer(TOKENS["bedroom_speaker"]))),
        await refusal(ask(pb.AskRequest(text="打开厨房灯", device_id="living_room_speaker"), timeout=5,
                          metadata=bearer(TOKENS["bedroom_speaker"]))),
        await refusal(ask(pb.AskRequest(text="打开厨房灯", device_id="living_room_speaker"), timeout=5,
                          metadata=bearer("guess"))),
        await refusal(ask(pb.AskRequest(text="打开厨房灯", device_id="x" * 100_000), timeout=5)),
    ]
    assert len({r.details() for r in refusals}) == 1
    assert not any(word in refusals[0].details() for word in ("speaker", "living", "no_such", "guess", "tok-"))


async def test_a_token_speaks_as_its_device_when_the_request_names_none(guarded):
    await guarded.reset()
    answer = await guarded.stub.Ask(pb.AskRequest(text="打开卧室灯"), timeout=5, metadata=bearer(TOKENS["bedroom_speaker"]))
    assert answer.input.speaker == "bedroom_speaker"
    assert (await guarded.states())["bedroom_light"]["power"] is True


async def test_a_stream_that_proves_nothing_is_closed_before_its_first_message(guarded):
    never: asyncio.Event = asyncio.Event()

    async def silent() -> AsyncIterator[pb.ConverseRequest]:
        await never.wait()  # a client that opens a stream and sends nothing
        yield pb.ConverseRequest()

    call = guarded.stub.Converse(silent(), timeout=30)
    error = await refusal(asyncio.wait_for(call.read(), 5))
    assert error.details() == (await refusal(guarded.stub.Ask(pb.AskRequest(text="hi"), timeout=5))).details()


async def test_a_stream_that_speaks_for_another_device_is_closed(guarded):
    await guarded.reset()
    turns = [
        pb.ConverseRequest(text=pb.AskRequest(text="打开书房台灯", device_id="bedroom_speaker", request_id="own")),
        pb.ConverseRequest(text=pb.AskRequest(text="打开厨房灯", device_id="living_room_speaker", request_id="other")),
        pb.ConverseRequest(text=pb.AskRequest(text="打开阳台灯", device_id="bedroom_speaker", request_id="after")),
    ]
    events = []
    call = guarded.stub.Converse(iter(turns), timeout=10, metadata=bearer(TOKENS["bedroom_speaker"]))
    with pytest.raises(grpc.aio.AioRpcError) as info:
        async for event in call:
            events.append(event)
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert [e.answer.request_id for e in events if e.WhichOneof("kind") == "answer"] == ["own"]
    states = await guarded.states()
    assert states["study_desk_lamp"]["power"] is True
    assert states["kitchen_light"]["power"] is False and states["balcony_light"]["power"] is False


async def test_no_token_reaches_the_log(guarded, caplog):
    caplog.set_level(logging.DEBUG)
    await guarded.stub.Ask(pb.AskRequest(text="打开厨房灯", device_id="living_room_speaker"), timeout=5,
                           metadata=bearer(TOKENS["living_room_speaker"]))
    await refusal(guarded.stub.Ask(pb.AskRequest(text="打开厨房灯", device_id="living_room_speaker"), timeout=5,
                                   metadata=bearer(TOKENS["bedroom_speaker"])))
    await refusal(guarded.stub.Ask(pb.AskRequest(text="打开厨房灯"), timeout=5, metadata=bearer("tok-guessed-secret")))
    assert "refused a caller" in caplog.text  # the operator learns why
    assert not any(secret in caplog.text for secret in (*TOKENS.values(), "tok-guessed-secret"))
