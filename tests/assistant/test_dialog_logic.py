"""Follow-ups, clarification answers, task stages and the session's wire form."""

from dataclasses import replace

import pytest

from assistant.dialog.clarify import resolve
from assistant.dialog.followups import with_context
from assistant.dialog.sessions import Clarification, MemorySessionStore, Session
from assistant.pipeline.tasks import plan_stages
from domain.devices import DeviceCommand, DeviceInfo
from domain.errors import LingxiError
from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.sdk import PendingAction

HOME = load_demo_home()
DEVICES = {d.id: DeviceInfo.from_home(d) for d in HOME.devices.values()}


def intent(name, **slots):
    return Intent(name, slots, 0.85, IntentSource.RULES)


def test_an_adjustment_without_a_target_takes_the_last_device():
    session = Session("s", "demo", last_devices=("living_room_main_light",), last_intent="device.set",
                      last_slots={"attribute": "brightness"})
    filled = with_context(intent("device.adjust", direction="up"), session, DEVICES)
    assert filled.slots == {"direction": "up", "attribute": "brightness", "device": "living_room_main_light"}


def test_a_value_without_an_attribute_means_the_devices_main_one():
    session = Session("s", "demo", last_devices=("bedroom_ac",), last_intent="device.turn_on")
    filled = with_context(intent("device.set", value=24), session, DEVICES)
    assert filled.slots["attribute"] == "temperature" and filled.slots["device"] == "bedroom_ac"


def test_a_turn_that_names_its_target_is_left_alone():
    session = Session("s", "demo", last_devices=("bedroom_ac",))
    said = intent("device.turn_on", device_type="light", room="kitchen")
    assert with_context(said, session, DEVICES) is said


def test_devices_that_cannot_do_it_are_not_borrowed():
    session = Session("s", "demo", last_devices=("kitchen_light",), last_intent="device.turn_on")
    said = intent("device.set", attribute="temperature", value=24)
    assert with_context(said, session, DEVICES) is said


QUESTION = Clarification("device.turn_on", {"device_type": "light"}, ("living_room_main_light", "living_room_strip"))


@pytest.mark.parametrize(
    "reply, chosen",
    [
        ("主灯", {"device": "living_room_main_light"}),
        ("灯带", {"device": "living_room_strip"}),
        ("the light strip", {"device": "living_room_strip"}),
        ("第二个", {"device": "living_room_strip"}),
        ("the first one", {"device": "living_room_main_light"}),
        ("都打开", {"devices": ["living_room_main_light", "living_room_strip"]}),
        ("both", {"devices": ["living_room_main_light", "living_room_strip"]}),
    ],
)
def test_answers_to_which_one(reply, chosen):
    (completed,) = resolve(reply, QUESTION, DEVICES)
    assert completed.name == "device.turn_on"
    assert completed.slots == chosen


def test_one_answer_finishes_every_intent_that_asked_the_same_question():
    question = replace(QUESTION, more=(("device.set", {"device_type": "light", "attribute": "brightness", "value": 50}),))
    on, dim = resolve("主灯", question, DEVICES)
    assert (on.name, on.slots) == ("device.turn_on", {"device": "living_room_main_light"})
    assert (dim.name, dim.slots) == ("device.set", {"attribute": "brightness", "value": 50, "device": "living_room_main_light"})


@pytest.mark.parametrize("reply", ["打开空调", "灯", "what time is it"])
def test_replies_that_do_not_answer_the_question(reply):
    assert resolve(reply, QUESTION, DEVICES) == ()


def test_different_devices_run_together_and_unknown_targets_wait():
    a = intent("device.turn_off", device="living_room_main_light")
    b = intent("device.turn_on", device="bedroom_ac")
    c = intent("device.set", attribute="color", value="red")  # target known only when it runs
    d = intent("device.set", device="bedroom_ac", attribute="temperature", value=24)
    assert plan_stages((a, b, c, d)) == [[a, b], [c], [d]]


def test_the_same_device_twice_runs_in_order():
    a = intent("device.set", device="living_room_strip", attribute="color", value="red")
    b = intent("device.set", device="living_room_strip", attribute="brightness", value=80)
    assert plan_stages((a, b)) == [[a], [b]]


def test_session_round_trips_through_json():
    session = Session(
        "s1", "demo", 12.5,
        pending=(PendingAction(DeviceCommand("front_door_lock", {"lock": "unlocked"}), "set", "打开门锁"),),
        pending_since=12.0,
        clarification=replace(QUESTION, more=(("device.set", {"attribute": "brightness", "value": 50}),)),
        last_devices=("kitchen_light",), last_intent="device.turn_on", last_slots={"device": "kitchen_light"},
        version=7, speaker_id="bedroom_speaker",
    )
    assert Session.from_json(session.to_json()) == session


async def test_memory_sessions_expire_and_stay_in_their_home():
    now = [1000.0]
    store = MemorySessionStore(ttl_s=60, clock=lambda: now[0])
    await store.save(Session("s", "demo", last_devices=("kitchen_light",)))
    assert (await store.load("s", "demo", "living_room_speaker")).last_devices == ("kitchen_light",)
    with pytest.raises(LingxiError, match="another home"):
        await store.load("s", "other_home", "living_room_speaker")
    now[0] += 61
    assert (await store.load("s", "demo", "living_room_speaker")).last_devices == ()


def test_volume_right_after_a_device_with_volume_goes_to_that_device():
    session = Session("s", "demo", last_devices=("living_room_tv",), last_intent="device.turn_on")
    filled = with_context(intent("media.volume", value=30), session, DEVICES)
    assert (filled.name, filled.slots) == ("device.set", {"value": 30, "attribute": "volume", "device": "living_room_tv"})


def test_volume_after_a_device_without_volume_stays_the_speakers():
    session = Session("s", "demo", last_devices=("kitchen_light",), last_intent="device.turn_on")
    said = intent("media.volume", direction="up")
    assert with_context(said, session, DEVICES) is said
