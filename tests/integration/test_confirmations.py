"""Confirmations are idempotent and bound to their speaker: a held unlock runs at most once, and only for the
speaking device that asked for it (issue 13)."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from iot_bridge.mqtt import MqttClient

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

LOCK_TOPICS = "lingxi/demo/front_door_lock/#"


async def ask(lingxi, text: str, **fields) -> pb.Answer:
    return await lingxi.stub.Ask(pb.AskRequest(text=text, **fields), timeout=5)


async def test_five_concurrent_confirmations_unlock_once(lingxi):
    await lingxi.reset()
    commands: list[tuple[str, bytes]] = []
    spy = MqttClient(lingxi.runtime.mqtt, name="lock-spy",
                     on_message=lambda topic, payload, _retained: commands.append((topic, payload)))
    spy.subscribe(LOCK_TOPICS)
    await spy.start()
    try:
        first = await ask(lingxi, "打开门锁", session_id="race-1")
        assert first.awaiting == "confirmation"
        commands.clear()
        answers = await asyncio.gather(*(ask(lingxi, "确定", session_id="race-1") for _ in range(5)))
        await asyncio.sleep(0.3)  # a late duplicate would arrive well within this
        assert sorted(len(a.actions) for a in answers) == [0, 0, 0, 0, 1]
        (done,) = [a for a in answers if a.actions]
        assert [(a.device, a.status) for a in done.actions] == [("front_door_lock", "done")]
        # the others either lost the race or came after it
        assert all("已经处理过了" in a.speech or "没有需要确认" in a.speech for a in answers if not a.actions)
        unlocks = [(t, p) for t, p in commands if t.endswith("/set")]
        assert len(unlocks) == 1, commands
        assert (await lingxi.states())["front_door_lock"]["lock"] == "unlocked"
    finally:
        await spy.stop()


async def test_another_speaker_of_the_home_cannot_confirm_with_the_session_id(lingxi):
    await lingxi.reset()
    first = await ask(lingxi, "打开门锁", device_id="living_room_speaker", session_id="bound-1")
    assert first.awaiting == "confirmation"
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await ask(lingxi, "确定", device_id="bedroom_speaker", session_id="bound-1")
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "another speaking device" in refused.value.details()
    assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"
    # the speaker that asked still can
    second = await ask(lingxi, "确定", device_id="living_room_speaker", session_id="bound-1")
    assert [(a.device, a.status) for a in second.actions] == [("front_door_lock", "done")]


async def test_a_confirmation_denied_then_repeated_releases_nothing(lingxi):
    await lingxi.reset()
    await ask(lingxi, "打开门锁", session_id="deny-1")
    denied = await ask(lingxi, "不用了", session_id="deny-1")
    assert not denied.actions
    again = await ask(lingxi, "确定", session_id="deny-1")
    assert not again.actions and "没有需要确认" in again.speech
    assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"


async def test_never_mind_to_a_which_one_question_is_acknowledged_and_changes_nothing(lingxi):
    await lingxi.reset()
    before = await lingxi.states()
    asked = await ask(lingxi, "打开灯", session_id="dismiss-1")
    assert asked.awaiting == "clarification"
    dismissed = await ask(lingxi, "算了不用了", session_id="dismiss-1")
    assert (dismissed.speech, dismissed.awaiting, list(dismissed.actions)) == ("好的", "", [])
    assert await lingxi.states() == before
