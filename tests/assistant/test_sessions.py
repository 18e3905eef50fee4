"""Session stores in memory: versions (the newer copy wins), claims (a held action is released once),
binding to the speaking device, and expiry that frees memory."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.dialog.sessions import MemorySessionStore, Session
from domain.devices import DeviceCommand
from domain.errors import ErrorCode, LingxiError
from skills.sdk import PendingAction

UNLOCK = PendingAction(DeviceCommand("front_door_lock", {"lock": "unlocked"}), "set", "打开门锁")


async def test_expired_sessions_are_purged_not_kept_until_the_store_is_full():
    now = [1000.0]
    store = MemorySessionStore(ttl_s=60, clock=lambda: now[0])
    for i in range(500):
        await store.save(Session(f"s{i}", "demo"))
    assert len(store) == 500
    now[0] += 61
    await store.save(Session("fresh", "demo"))
    assert len(store) == 1


async def test_a_session_belongs_to_the_speaker_that_started_it():
    store = MemorySessionStore()
    started = await store.load("s", "demo", "living_room_speaker")
    await store.save(started)
    with pytest.raises(LingxiError) as refused:
        await store.load("s", "demo", "bedroom_speaker")
    assert refused.value.code is ErrorCode.PERMISSION_DENIED
    assert "another speaking device" in refused.value.message
    assert (await store.load("s", "demo", "living_room_speaker")).speaker_id == "living_room_speaker"


async def test_a_held_action_is_claimed_once_and_a_stale_save_does_not_bring_it_back():
    store = MemorySessionStore()
    loaded = await store.load("s", "demo", "living_room_speaker")
    await store.save(replace(loaded, pending=(UNLOCK,), pending_since=1.0))
    held = await store.load("s", "demo", "living_room_speaker")
    released = replace(held, pending=(), pending_since=0.0)
    assert await store.claim(released)
    assert not await store.claim(released)  # a second confirmation of the same turn's copy
    await store.save(loaded)  # a turn that loaded before the action was held saves late
    assert (await store.load("s", "demo", "living_room_speaker")).pending == ()


async def test_an_error_never_echoes_an_unbounded_session_id():
    store = MemorySessionStore()
    long_id = "x" * 100_000
    await store.save(Session(long_id, "demo", speaker_id="living_room_speaker"))
    with pytest.raises(LingxiError) as refused:
        await store.load(long_id, "other_home", "living_room_speaker")
    assert len(refused.value.message) < 300
