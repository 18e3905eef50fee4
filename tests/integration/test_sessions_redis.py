"""Sessions shared through a real redis-server, and surviving its outage."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.dialog.redis_store import RedisSessionStore
from assistant.dialog.sessions import Session
from domain.devices import DeviceCommand
from skills.sdk import PendingAction
from testkit.redis_server import RedisServer
from tests.integration.conftest import start_instance, stop_instance

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]

UNLOCK = PendingAction(DeviceCommand("front_door_lock", {"lock": "unlocked"}), "set", "打开门锁")


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


async def test_two_instances_share_a_session(redis_server):
    first, second = RedisSessionStore(redis_server.url), RedisSessionStore(redis_server.url)
    try:
        await first.save(Session("s1", "demo", last_devices=("kitchen_light",), last_intent="device.turn_on"))
        loaded = await second.load("s1", "demo", "living_room_speaker")
        assert loaded.last_devices == ("kitchen_light",) and loaded.last_intent == "device.turn_on"
    finally:
        await first.close()
        await second.close()


async def test_two_instances_racing_to_release_a_held_action_release_it_once(redis_server):
    first, second = RedisSessionStore(redis_server.url), RedisSessionStore(redis_server.url)
    try:
        await first.save(Session("s2", "demo", speaker_id="living_room_speaker", pending=(UNLOCK,), pending_since=1.0))
        held = [await store.load("s2", "demo", "living_room_speaker") for store in (first, second)]
        claims = await asyncio.gather(*(store.claim(replace(session, pending=()))
                                        for store, session in zip((first, second, first, second), held * 2)))
        assert sorted(claims) == [False, False, False, True]
        assert (await second.load("s2", "demo", "living_room_speaker")).pending == ()
    finally:
        await first.close()
        await second.close()


async def test_a_confirmation_survives_redis_going_down_mid_session(redis_server, mosquitto):
    lingxi = await start_instance(mosquitto, redis_url=redis_server.url)
    try:
        first = await lingxi.stub.Ask(pb.AskRequest(text="开门", session_id="door-1"), timeout=5)
        assert first.awaiting == "confirmation"
        await asyncio.to_thread(redis_server.stop)
        second = await lingxi.stub.Ask(pb.AskRequest(text="确定", session_id="door-1"), timeout=5)
        assert [(a.device, a.status) for a in second.actions] == [("front_door_lock", "done")]
        assert (await lingxi.states())["front_door_lock"]["lock"] == "unlocked"
    finally:
        await stop_instance(lingxi)


async def test_a_cancelled_unlock_stays_cancelled_after_a_redis_stall(redis_server, mosquitto):
    """Issue 12: "不用了" said while Redis was stalled is newer than Redis's copy, and wins once Redis answers."""
    lingxi = await start_instance(mosquitto, redis_url=redis_server.url)
    try:
        first = await lingxi.stub.Ask(pb.AskRequest(text="打开门锁", session_id="stall-1"), timeout=5)
        assert first.awaiting == "confirmation"
        redis_server.pause()
        try:
            denied = await lingxi.stub.Ask(pb.AskRequest(text="不用了", session_id="stall-1"), timeout=5)
        finally:
            redis_server.resume()
        assert not denied.actions
        again = await lingxi.stub.Ask(pb.AskRequest(text="确定", session_id="stall-1"), timeout=5)
        assert not again.actions and "没有需要确认" in again.speech
        assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"
        # and Redis itself now holds the newer copy: a second instance sees nothing to confirm
        other = RedisSessionStore(redis_server.url)
        try:
            assert (await other.load("stall-1", "demo", "living_room_speaker")).pending == ()
        finally:
            await other.close()
    finally:
        await stop_instance(lingxi)


async def test_an_expired_confirmation_releases_nothing(mosquitto):
    lingxi = await start_instance(mosquitto, confirm_ttl_s=0.0)
    try:
        await lingxi.stub.Ask(pb.AskRequest(text="unlock the front door", session_id="door-2"), timeout=5)
        answer = await lingxi.stub.Ask(pb.AskRequest(text="yes", session_id="door-2"), timeout=5)
        assert not answer.actions
        assert "expired" in answer.speech
        assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"
    finally:
        await stop_instance(lingxi)
