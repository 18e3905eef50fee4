"""Notifications are delivered, not dropped: one nobody hears waits (until it expires) and is
said when a stream of its home listens, here or on another instance sharing the store."""

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from skills.state import StateOptions, open_store
from skills.utilities.notifications import BusOptions, Notification, NotificationBus

CST = timezone(timedelta(hours=8))


def note(label, home="demo"):
    return Notification(home, "living_room_speaker", "timer", label, f"{label} is done", datetime(2026, 12, 1, 20, tzinfo=CST))


class ManualClock:
    def __init__(self):
        self.t = 1_000_000.0

    def __call__(self):
        return self.t


async def heard(queue, timeout=30):
    return await asyncio.wait_for(queue.get(), timeout)


async def test_every_listener_of_the_home_hears_it_and_no_other_home_does():
    bus = NotificationBus()
    first, second, elsewhere = bus.subscribe("demo"), bus.subscribe("demo"), bus.subscribe("other")
    assert await bus.publish(note("tea")) == 2
    assert (await heard(first)).label == "tea" and (await heard(second)).label == "tea"
    assert elsewhere.empty() and await bus.store.list("demo", "notification") == []


async def test_one_fired_while_nobody_listens_is_said_when_a_stream_subscribes():
    bus = NotificationBus()
    assert await bus.publish(note("eggs")) == 0
    assert await bus.publish(note("pasta")) == 0
    queue = bus.subscribe("demo")  # an audio-only speaker reconnects
    assert [(await heard(queue)).label, (await heard(queue)).label] == ["eggs", "pasta"]
    other = bus.subscribe("demo")
    await bus.deliver_parked("demo")
    assert other.empty()  # said once, not once per stream that comes later


async def test_every_stream_listening_when_the_backlog_is_read_hears_it():
    bus = NotificationBus()
    await bus.publish(note("eggs"))
    first, second = bus.subscribe("demo"), bus.subscribe("demo")
    assert (await heard(first)).label == "eggs"
    assert (await heard(second)).label == "eggs"


async def test_one_nobody_heard_for_its_whole_expiry_is_forgotten():
    clock = ManualClock()
    bus = NotificationBus(options=BusOptions(backlog_ttl_s=600), clock=clock)
    await bus.publish(note("stale"))
    clock.t += 601
    await bus.publish(note("fresh"))
    assert await bus.expire() == 1
    queue = bus.subscribe("demo")
    assert (await heard(queue)).label == "fresh"
    await bus.deliver_parked("demo")
    assert queue.empty()


async def test_a_stream_on_another_instance_hears_what_this_one_parked():
    shared = open_store(StateOptions())  # one store, as two instances share Redis
    ringing, listening = NotificationBus(shared, BusOptions(poll_s=0.05)), NotificationBus(shared, BusOptions(poll_s=0.05))
    queue = listening.subscribe("demo")
    waiter = asyncio.ensure_future(heard(queue))
    await asyncio.sleep(0.1)  # the stream is already waiting when the timer rings elsewhere
    assert await ringing.publish(note("far away")) == 0
    assert (await waiter).label == "far away"


async def test_a_listener_keeps_listening_while_the_store_is_down(tmp_path):
    (tmp_path / "file").write_text("")
    bus = NotificationBus(open_store(StateOptions(data_dir=tmp_path / "file")), BusOptions(poll_s=0.05))
    queue = bus.subscribe("demo")
    waiter = asyncio.ensure_future(heard(queue))
    await asyncio.sleep(0.2)  # several polls fail
    assert await bus.publish(note("local")) == 1
    assert (await waiter).label == "local"


@pytest.mark.parametrize("lost", [0, 1])
async def test_unsubscribed_streams_get_nothing_more(lost):
    bus = NotificationBus()
    queues = [bus.subscribe("demo"), bus.subscribe("demo")]
    bus.unsubscribe("demo", queues[lost])
    assert await bus.publish(note("x")) == 1 and queues[lost].empty()
