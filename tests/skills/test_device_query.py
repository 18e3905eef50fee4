"""The device-query skill's answers: the set point when it is asked for, which devices are on, honest absences."""

from __future__ import annotations

import time

import pytest

from domain.devices import DeviceInfo
from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.devices.query import DeviceQuerySkill
from skills.sdk import SkillContext
from tests.skills.standins import NOW, StandInDevices

HOME = load_demo_home()


class DemoStates(StandInDevices):
    """The demo home's devices in their initial state, with some switched on."""

    def __init__(self, on=()):
        self._on = set(on)

    def devices(self):
        return tuple(DeviceInfo.from_home(d) for d in HOME.devices.values())

    def state(self, device_id):
        state = dict(HOME.devices[device_id].initial_state)
        return {**state, "power": True} if device_id in self._on else state


async def ask(lang="zh", on=(), **slots) -> str:
    ctx = SkillContext(HOME, DemoStates(on), lang, "living_room_speaker", "living_room", time.monotonic() + 5, NOW)
    result = await DeviceQuerySkill().handle(Intent("device.query", slots, 0.95, IntentSource.RULES), ctx)
    return result.speech


@pytest.mark.asyncio
async def test_the_set_point_is_read_when_it_is_asked_for_not_the_water_temperature():
    assert "50" in await ask(device="water_heater", attribute="target_temperature")
    measured = await ask(device="water_heater", attribute="temperature")
    assert "48" in measured and "水温" in measured and "室温" not in measured


@pytest.mark.asyncio
async def test_which_lights_are_on_names_the_ones_that_are():
    assert "卧室灯" in await ask(on=("bedroom_light",), device_type="light", scope="all", attribute="power")
    assert "None of them is on" in await ask("en", device_type="light", scope="all", attribute="power")


@pytest.mark.asyncio
async def test_an_outdoor_reading_the_home_cannot_give_is_said_honestly():
    assert await ask(room="室外", attribute="temperature") == "家里没有找到室外的温度"


async def test_a_reading_a_room_has_no_sensor_for_names_that_room():
    assert await ask("en", room="bedroom", attribute="humidity") == "I couldn't find the humidity in the bedroom in your home"
    assert await ask(room="bedroom", attribute="humidity") == "家里没有找到卧室的湿度"
