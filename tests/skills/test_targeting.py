import pytest

from domain.devices import DeviceInfo
from domain.home import load_demo_home
from skills.devices.targeting import resolve_targets

HOME = load_demo_home()
DEVICES = [DeviceInfo.from_home(d) for d in HOME.devices.values()]


def ids(targets):
    return sorted(d.id for d in targets.devices)


def test_a_named_device_wins():
    assert ids(resolve_targets("device.turn_on", {"device": "bedside_lamp"}, DEVICES, "living_room")) == ["bedside_lamp"]


def test_the_speakers_room_is_preferred_when_no_room_is_said():
    targets = resolve_targets("device.set", {"attribute": "temperature", "value": 24}, DEVICES, "bedroom")
    assert ids(targets) == ["bedroom_ac"]


def test_several_of_one_type_ask_which_one():
    targets = resolve_targets("device.turn_on", {"device_type": "light"}, DEVICES, "living_room")
    assert targets.ambiguous
    assert sorted(d.id for d in targets.candidates) == ["living_room_main_light", "living_room_strip"]


def test_all_scope_takes_every_match_in_the_home():
    targets = resolve_targets("device.turn_off", {"device_type": "light", "scope": "all"}, DEVICES, "living_room")
    assert len(targets.devices) == sum(d.type == "light" for d in DEVICES)


def test_all_scope_within_a_room():
    targets = resolve_targets("device.turn_off", {"device_type": "light", "scope": "all", "room": "bedroom"}, DEVICES, "living_room")
    assert ids(targets) == ["bedroom_light", "bedside_lamp"]


def test_room_temperature_question_prefers_the_sensor():
    assert ids(resolve_targets("device.query", {"attribute": "temperature", "room": "living_room"}, DEVICES, "bedroom")) == [
        "living_room_sensor"
    ]


@pytest.mark.parametrize("slots", [{"device": "garage_door"}, {"device_type": "light", "room": "garage"}])
def test_nothing_matching_is_reported_missing(slots):
    assert resolve_targets("device.turn_on", slots, DEVICES, "living_room").missing
