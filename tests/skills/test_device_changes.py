import pytest

from domain.devices import DeviceInfo
from domain.home import load_demo_home
from skills.devices.changes import plan_change

HOME = load_demo_home()
DEV = {d.id: DeviceInfo.from_home(d) for d in HOME.devices.values()}
STATE = {d.id: dict(d.initial_state) for d in HOME.devices.values()}


def plan(intent, device, **slots):
    return plan_change(intent, slots, DEV[device], STATE[device])


def test_curtains_open_and_close_by_position():
    assert plan("device.turn_on", "bedroom_curtain").changes == {"position": 100}
    assert plan("device.turn_off", "living_room_curtain").changes == {"position": 0}


def test_setting_below_the_range_is_clamped_and_remembered():
    change = plan("device.set", "living_room_ac", attribute="temperature", value=10)
    assert change.changes["temperature"] == 16 and change.clamped == "min"
    assert change.changes["power"] is True  # setting a temperature turns the AC on


def test_relative_steps_default_per_attribute():
    assert plan("device.adjust", "living_room_main_light", attribute="brightness", direction="up").changes["brightness"] == 90
    assert plan("device.adjust", "living_room_ac", attribute="temperature", direction="down", amount=2).changes["temperature"] == 24
    assert plan("device.adjust", "living_room_tv", attribute="volume", direction="down").changes == {"volume": 10}


def test_adjust_past_the_top_is_clamped():
    change = plan("device.adjust", "living_room_main_light", attribute="brightness", direction="up", amount=50)
    assert change.changes["brightness"] == 100 and change.clamped == "max"


def test_warm_and_cool_mean_the_ends_of_the_colour_temperature_range():
    assert plan("device.set", "study_desk_lamp", attribute="color_temp", value="warm").changes["color_temp"] == 3000
    assert plan("device.set", "bedroom_light", attribute="color_temp", value="cool").changes["color_temp"] == 6500


@pytest.mark.parametrize(
    "device, slots, error",
    [
        ("living_room_main_light", {"attribute": "color", "value": "red"}, "unsupported"),
        ("living_room_ac", {"attribute": "mode", "value": "turbo"}, "bad_value"),
        ("living_room_sensor", {}, "unsupported"),
    ],
)
def test_what_a_device_cannot_do_is_an_error_not_a_command(device, slots, error):
    intent = "device.set" if slots else "device.turn_on"
    assert plan_change(intent, slots, DEV[device], STATE[device]).error == error
