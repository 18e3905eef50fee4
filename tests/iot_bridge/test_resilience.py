"""Broker trouble and devices that do not cooperate: fail fast, time out, recover."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest

from domain.home import Home
from iot_bridge import (
    BridgeOptions,
    BrokerUnavailable,
    CommandStatus,
    DeviceBridge,
    DeviceCommand,
    MqttClient,
    VirtualHome,
    read_states,
)
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from iot_bridge.mqtt import MqttSettings
from tests.iot_bridge.fakes import HALL_CONFIG, HallLight

HOME = "demo"


async def test_publish_without_broker_raises_broker_unavailable(mqtt_settings: MqttSettings,
                                                                mosquitto: Mosquitto) -> None:
    client = MqttClient(mqtt_settings)
    await client.start()
    assert client.connected
    await asyncio.to_thread(mosquitto.stop)
    with pytest.raises(BrokerUnavailable) as caught:
        for _ in range(200):  # until the client has noticed the broker is gone
            await client.publish("lingxi/test", "x")
            await asyncio.sleep(0.05)
    assert caught.value.reason in ("not_connected", "connection_lost")
    await client.stop()


async def test_command_fails_fast_when_the_broker_is_down(bridge: DeviceBridge, mosquitto: Mosquitto) -> None:
    await asyncio.to_thread(mosquitto.stop)
    while bridge.connected:
        await asyncio.sleep(0.02)
    result = await bridge.execute(HOME, DeviceCommand("kitchen_light", {"power": True}), timeout=30)
    assert result.status is CommandStatus.FAILED
    assert "broker unavailable" in result.detail


async def test_commands_work_again_after_a_broker_restart(
        bridge: DeviceBridge, virtual_home: VirtualHome, mqtt_settings: MqttSettings, demo_home: Home,
        restart_broker: Callable[[float], Awaitable[None]]) -> None:
    done = await bridge.execute(HOME, DeviceCommand("living_room_tv", {"power": True, "volume": 45}))
    assert done.status is CommandStatus.DONE
    await restart_broker(0.3)  # retained state is gone with the old broker (persistence false)
    deadline = asyncio.get_running_loop().time() + 5.0
    while True:
        result = await bridge.execute(HOME, DeviceCommand("kitchen_light", {"power": True}), timeout=1.0)
        if result.status is CommandStatus.DONE or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.1)
    assert result.status is CommandStatus.DONE, result.detail
    assert await bridge.wait_ready(HOME, 5.0)
    assert bridge.state(HOME, "living_room_tv") == {"power": True, "volume": 45}
    states = await read_states(mqtt_settings, demo_home, 3.0)
    assert states["kitchen_light"] == {"power": True}
    assert states["living_room_tv"] == {"power": True, "volume": 45}


async def test_device_that_never_answers_times_out(bridge: DeviceBridge, mqtt_settings: MqttSettings) -> None:
    """A discovered device nobody simulates: the command is sent, no state comes back."""
    client = MqttClient(mqtt_settings, name="ghost")
    await client.start()
    config = {**HALL_CONFIG, "unique_id": "ghost_light", "command_topic": "ghost/light/set",
              "state_topic": "ghost/light", "brightness_command_topic": "ghost/light/set",
              "brightness_state_topic": "ghost/light", "availability": [],
              "device": {"identifiers": ["ghost"], "name": "Ghost light"}}
    await client.publish("homeassistant/light/ghost/config", json.dumps(config), retain=True)
    await client.publish("ghost/light", json.dumps({"state": "OFF", "brightness": 10}), retain=True)
    try:
        assert await bridge.sync()
        while bridge.state(HOME, "ghost") == {}:
            await asyncio.sleep(0.02)
        result = await bridge.execute(HOME, DeviceCommand("ghost", {"power": True}), timeout=0.5)
        assert result.status is CommandStatus.TIMEOUT
        assert "no confirmation" in result.detail
    finally:
        await client.stop()


async def test_device_that_answers_without_applying_fails(bridge: DeviceBridge, mqtt_settings: MqttSettings) -> None:
    light = HallLight(mqtt_settings, applies=False)
    await light.start()
    try:
        await _wait_for_device(bridge, "zigbee2mqtt_0x0017880104e45517")
        result = await bridge.execute(HOME, DeviceCommand("zigbee2mqtt_0x0017880104e45517", {"power": True}),
                                      timeout=5.0)
        assert result.status is CommandStatus.FAILED
        assert "did not apply" in result.detail
    finally:
        await light.stop()


async def test_foreign_zigbee2mqtt_light_is_discovered_and_controllable(
        bridge: DeviceBridge, mqtt_settings: MqttSettings) -> None:
    light = HallLight(mqtt_settings)
    await light.start()
    device_id = "zigbee2mqtt_0x0017880104e45517"
    try:
        await _wait_for_device(bridge, device_id)
        info = bridge.device(HOME, device_id)
        assert info is not None
        assert (info.type, info.room, info.names.first("en")) == ("light", "entrance", "Hall light")
        assert set(info.capabilities) == {"power", "brightness"}
        assert bridge.state(HOME, device_id) == {"power": False, "brightness": 50}
        result = await bridge.execute(HOME, DeviceCommand(device_id, {"power": True, "brightness": 100}))
        assert result.status is CommandStatus.DONE, result.detail
        assert light.state == {"state": "ON", "brightness": 254}
    finally:
        await light.stop()


async def _wait_for_device(bridge: DeviceBridge, device_id: str) -> None:
    async with asyncio.timeout(5):
        while not bridge.state(HOME, device_id):
            await asyncio.sleep(0.02)


async def test_bridge_started_before_the_devices_learns_them(demo_home: Home, mqtt_settings: MqttSettings) -> None:
    bridge = DeviceBridge({HOME: demo_home}, mqtt_settings, BridgeOptions())
    await bridge.start()
    sim = VirtualHome(demo_home, mqtt_settings)
    try:
        assert bridge.missing(HOME) == list(demo_home.devices)
        await sim.start()
        assert await bridge.wait_ready(HOME, 5.0)
        result = await bridge.execute(HOME, DeviceCommand("bedside_lamp", {"power": True, "brightness": 10}))
        assert result.status is CommandStatus.DONE
    finally:
        await sim.stop()
        await bridge.stop()
