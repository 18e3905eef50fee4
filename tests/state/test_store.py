"""The state store's contract, the same on every backend."""

import asyncio

import pytest

from domain.errors import ErrorCode, StateUnavailable
from skills.state import Record, StateOptions, open_store


@pytest.fixture
async def store(backend):
    store = open_store(backend)
    yield store
    await store.close()


async def test_put_get_list_delete_by_home_and_kind(store):
    await store.put(Record("demo", "timer", "a", {"label": "面条", "n": 1}, 20.0))
    await store.put(Record("demo", "timer", "b", {"label": "tea"}, 10.0))
    await store.put(Record("other", "timer", "a", {"label": "theirs"}, 5.0))
    await store.put(Record("demo", "volume", "living_room_speaker", {"volume": 30}))
    assert await store.get("demo", "timer", "a") == Record("demo", "timer", "a", {"label": "面条", "n": 1}, 20.0)
    assert [r.value["label"] for r in await store.list("demo", "timer")] == ["面条", "tea"]
    assert [r.value["label"] for r in await store.list("other", "timer")] == ["theirs"]
    assert await store.get("demo", "volume", "living_room_speaker") == Record("demo", "volume", "living_room_speaker", {"volume": 30})
    assert await store.delete("demo", "timer", "a") and not await store.delete("demo", "timer", "a")
    assert await store.get("demo", "timer", "a") is None and len(await store.list("demo", "timer")) == 1


async def test_due_spans_homes_and_follows_changes(store):
    await store.put(Record("demo", "timer", "a", {}, 20.0))
    await store.put(Record("other", "alarm", "b", {}, 10.0))
    await store.put(Record("demo", "reminder", "c", {}, 30.0))
    await store.put(Record("demo", "notification", "d", {}, 1.0))
    assert await store.next_due(("timer", "alarm", "reminder")) == 10.0
    assert [(r.home_id, r.key) for r in await store.due(("timer", "alarm", "reminder"), 25.0)] == [("other", "b"), ("demo", "a")]
    await store.put(Record("other", "alarm", "b", {}, None))  # paused: no longer due
    await store.delete("demo", "timer", "a")
    assert await store.due(("timer", "alarm"), 25.0) == [] and await store.next_due(("timer", "alarm", "reminder")) == 30.0
    assert await store.next_due(("volume",)) is None


async def test_a_claim_is_taken_once_until_it_expires(store):
    assert await store.claim("timer:demo:a:20.0", 0.2)
    assert not await store.claim("timer:demo:a:20.0", 0.2)
    assert await store.claim("timer:demo:b:20.0", 60)
    for _ in range(200):  # it expires; when exactly depends on the machine, so poll
        if await store.claim("timer:demo:a:20.0", 60):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the claim never expired")


async def test_concurrent_claims_and_deletes_have_one_winner(store):
    await store.put(Record("demo", "timer", "a", {}, 1.0))
    claims = await asyncio.gather(*(store.claim("one", 60) for _ in range(20)))
    deletes = await asyncio.gather(*(store.delete("demo", "timer", "a") for _ in range(20)))
    assert claims.count(True) == 1 and deletes.count(True) == 1


async def test_an_unreachable_redis_is_an_unavailable_error():
    store = open_store(StateOptions(redis_url="redis://127.0.0.1:1/0", timeout_s=0.2))
    with pytest.raises(StateUnavailable) as caught:
        await store.list("demo", "timer")
    assert caught.value.code is ErrorCode.UNAVAILABLE and caught.value.reason == "redis"
    await store.close()


async def test_an_unwritable_data_folder_is_an_unavailable_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    store = open_store(StateOptions(data_dir=tmp_path / "file" / "state"))
    with pytest.raises(StateUnavailable) as caught:
        await store.put(Record("demo", "timer", "a", {}))
    assert caught.value.reason == "sqlite"


async def test_a_cancelled_call_ends_cancelled_even_while_the_store_connects(backend):
    """redis 8.1 was seen returning normally from a call cancelled while connecting: a stopped
    scheduler loop then ran on forever."""
    for step in range(60):  # cancelled at different points of connecting and asking
        delay = step * 0.0002
        store = open_store(backend)
        call = asyncio.ensure_future(store.list("demo", "timer"))
        await asyncio.sleep(delay)
        if call.cancel():  # still running: it must end cancelled, not with an answer
            with pytest.raises(asyncio.CancelledError):
                await call
        await store.close()
