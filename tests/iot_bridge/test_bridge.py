"""The bridge against the virtual demo home on a real mosquitto: what a user would see."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.home import Home
from iot_bridge import CommandStatus, DeviceBridge, DeviceCommand, VirtualHome, read_states
from iot_bridge.mqtt import MqttSettings

HOME = "demo"


async def run(bridge: DeviceBridge, device_id: str, **changes: Any) -> Any:
    return await bridge.execute(HOME, DeviceCommand(device_id, changes))


@pytest.mark.parametrize(("device_id", "changes", "expected"), [
    ("living_room_main_light", {"power": True, "brightness": 30}, {"power": True, "brightness": 30}),
    ("bedroom_light", {"power": True, "color_temp": 2700}, {"power": True, "color_temp": 2700}),
    ("living_room_strip", {"power": True, "color": "blue", "brightness": 20}, {"color": "blue", "brightness": 20}),
    ("living_room_ac", {"power": True, "temperature": 24, "mode": "heat", "fan_speed": "high"},
     {"power": True, "temperature": 24, "mode": "heat", "fan_speed": "high"}),
    ("living_room_ac", {"mode": "fan"}, {"power": True, "mode": "fan"}),
    ("living_room_curtain", {"position": 100}, {"position": 100}),
    ("living_room_tv", {"power": True, "volume": 35}, {"power": True, "volume": 35}),
    ("air_purifier", {"power": True, "mode": "sleep", "fan_speed": "medium"},
     {"power": True, "mode": "sleep", "fan_speed": "medium"}),
    ("robot_vacuum", {"power": True}, {"power": True, "status": "cleaning"}),
    ("water_heater", {"temperature": 55}, {"power": True, "temperature": 55}),
    ("front_door_lock", {"lock": "unlocked"}, {"lock": "unlocked", "battery": 80}),
    ("living_room_camera", {"power": False}, {"power": False}),
    ("rice_cooker_plug", {"power": True}, {"power": True}),
])
async def test_command_is_confirmed_and_read_back(bridge: DeviceBridge, mqtt_settings: MqttSettings,
                                                  demo_home: Home, device_id: str, changes: dict[str, Any],
                                                  expected: dict[str, Any]) -> None:
    result = await bridge.execute(HOME, DeviceCommand(device_id, changes))
    assert result.status is CommandStatus.DONE, result.detail
    states = await read_states(mqtt_settings, demo_home, 3.0)
    assert {k: states[device_id][k] for k in expected} == expected
    assert {k: bridge.state(HOME, device_id)[k] for k in expected} == expected


async def test_vacuum_returns_to_dock(bridge: DeviceBridge) -> None:
    assert (await run(bridge, "robot_vacuum", power=True)).status is CommandStatus.DONE
    result = await run(bridge, "robot_vacuum", power=False)
    assert result.status is CommandStatus.DONE
    assert result.state["status"] == "docked"


async def test_numbers_are_clamped_to_the_device_range(bridge: DeviceBridge, mqtt_settings: MqttSettings,
                                                       demo_home: Home) -> None:
    ac = await run(bridge, "living_room_ac", power=True, temperature=10)
    light = await run(bridge, "living_room_main_light", brightness=150)
    assert (ac.status, light.status) == (CommandStatus.DONE, CommandStatus.DONE)
    assert "clamped to 16" in ac.detail
    states = await read_states(mqtt_settings, demo_home, 3.0)
    assert states["living_room_ac"]["temperature"] == 16
    assert states["living_room_main_light"]["brightness"] == 100


@pytest.mark.parametrize(("device_id", "changes", "reason"), [
    ("living_room_main_light", {"color": "red"}, "does not support color"),
    ("living_room_ac", {"mode": "turbo"}, "cannot set mode to 'turbo'"),
    ("front_door_lock", {"lock": "jammed"}, "options: locked, unlocked"),
    ("living_room_sensor", {"power": True}, "does not support power"),
    ("kitchen_light", {"power": "maybe"}, "true or false"),
    ("no_such_device", {"power": True}, "unknown device"),
])
async def test_unsupported_commands_are_rejected_and_change_nothing(
        bridge: DeviceBridge, mqtt_settings: MqttSettings, demo_home: Home, device_id: str,
        changes: dict[str, Any], reason: str) -> None:
    before = await read_states(mqtt_settings, demo_home, 3.0)
    result = await bridge.execute(HOME, DeviceCommand(device_id, changes))
    assert result.status is CommandStatus.REJECTED
    assert reason in result.detail
    assert await read_states(mqtt_settings, demo_home, 3.0) == before


async def test_state_already_at_target_is_done(bridge: DeviceBridge) -> None:
    result = await run(bridge, "kitchen_light", power=False)
    assert result.status is CommandStatus.DONE


async def test_commands_to_several_devices_run_concurrently(bridge: DeviceBridge, mqtt_settings: MqttSettings,
                                                            demo_home: Home) -> None:
    lights = [d.id for d in bridge.devices(HOME) if d.type == "light"]
    results = await asyncio.gather(*(run(bridge, d, power=True) for d in lights))
    assert [r.status for r in results] == [CommandStatus.DONE] * len(lights)
    states = await read_states(mqtt_settings, demo_home, 3.0)
    assert all(states[d]["power"] is True for d in lights)


async def test_reset_restores_the_home_file_state(bridge: DeviceBridge, virtual_home: VirtualHome,
                                                  mqtt_settings: MqttSettings, demo_home: Home) -> None:
    await run(bridge, "living_room_tv", power=True, volume=80)
    await run(bridge, "front_door_lock", lock="unlocked")
    await virtual_home.reset()
    assert await bridge.sync()
    assert bridge.state(HOME, "living_room_tv") == {"power": False, "volume": 20}
    states = await read_states(mqtt_settings, demo_home, 3.0)
    assert states["front_door_lock"] == {"lock": "locked", "battery": 80}


async def test_discovered_devices_carry_home_names_and_capabilities(bridge: DeviceBridge, demo_home: Home) -> None:
    assert [d.id for d in bridge.devices(HOME)] == list(demo_home.devices)
    lock = bridge.device(HOME, "front_door_lock")
    assert lock is not None and lock.room == "entrance" and lock.is_risky("lock", "unlocked")
    ac = bridge.device(HOME, "living_room_ac")
    assert ac is not None and ac.capabilities["mode"].options == ("cool", "heat", "dry", "fan", "auto")
    assert bridge.state(HOME, "living_room_sensor") == {"temperature": 27.5, "humidity": 60}


async def test_offline_device_fails_fast(bridge: DeviceBridge, virtual_home: VirtualHome) -> None:
    await virtual_home.stop()  # publishes "offline" on the simulator's availability topic
    assert await bridge.sync()
    info = bridge.device(HOME, "kitchen_light")
    assert info is not None and not info.available
    result = await run(bridge, "kitchen_light", power=True)
    assert result.status is CommandStatus.FAILED and "offline" in result.detail
