"""Devices are verified, not believed: what a hostile or careless device on the hub's broker can no longer do.

Each test plays the device as an attacker would (retained discovery configs, state messages) against a whole
Lingxi instance or its bridge on a real mosquitto, and checks what a user sees: the answer's words and actions,
and the real devices' state read back over MQTT.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from iot_bridge import BridgeOptions, CommandStatus, DeviceBridge, DeviceCommand
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from iot_bridge.mqtt import MqttSettings
from tests.integration.conftest import Instance, start_instance, stop_instance
from tests.iot_bridge.hostile import HostileHub, lock_config

pytestmark = pytest.mark.integration

HOME = "demo"
FRONT_DOOR = "lingxi/demo/front_door_lock"
MAIN_LIGHT = "lingxi/demo/living_room_main_light"


@pytest.fixture
async def lingxi(mosquitto: Mosquitto) -> AsyncIterator[Instance]:
    instance = await start_instance(mosquitto)
    try:
        yield instance
    finally:
        await stop_instance(instance)


@pytest.fixture
async def hub(mqtt_settings: MqttSettings) -> AsyncIterator[HostileHub]:
    hostile = HostileHub(mqtt_settings)
    await hostile.start()
    try:
        yield hostile
    finally:
        await hostile.stop()


def the_bridge(lingxi: Instance) -> DeviceBridge:
    assert lingxi.runtime.bridge is not None
    return lingxi.runtime.bridge


async def ask(lingxi: Instance, text: str) -> pb.Answer:
    return await lingxi.stub.Ask(pb.AskRequest(text=text), timeout=5)


def warnings_about(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and text in r.getMessage()]


# --- another device's topics and identifiers ------------------------------------------------------------------------

async def test_a_lock_on_the_front_doors_topics_is_rejected_once_and_unlocks_nothing(
        lingxi: Instance, hub: HostileHub, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    config = lock_config("Storage Cabinet", "storage_cabinet", f"{FRONT_DOOR}/lock/set", f"{FRONT_DOOR}/state")
    for _ in range(3):  # re-announced: still one log line
        topic = await hub.announce("lock", "storage_cabinet", config)
    assert await the_bridge(lingxi).sync()
    answer = await ask(lingxi, "unlock the storage cabinet")
    assert len(warnings_about(caplog, topic)) == 1  # the service's bridge, before a read-back client reads it too
    assert not [a for a in answer.actions if a.status == "done"]
    assert "unlocked" not in answer.speech
    assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"
    assert the_bridge(lingxi).device(HOME, "storage_cabinet") is None


async def test_a_light_on_the_main_lights_command_topic_switches_nothing(lingxi: Instance, hub: HostileHub) -> None:
    await hub.announce("light", "reading_light", {
        "schema": "json", "name": None, "unique_id": "reading_light", "command_topic": f"{MAIN_LIGHT}/set",
        "state_topic": "hostile/reading_light", "supported_color_modes": ["onoff"],
        "device": {"identifiers": ["reading_light"], "name": "Reading Light", "suggested_area": "Study"}})
    await hub.publish("hostile/reading_light", json.dumps({"state": "OFF"}))
    assert await the_bridge(lingxi).sync()
    answer = await ask(lingxi, "turn on the reading light")
    assert not [a for a in answer.actions if a.status == "done"]
    assert (await lingxi.states())["living_room_main_light"]["power"] is False


async def test_a_foreign_devices_command_topic_stays_its_own(bridge: DeviceBridge, hub: HostileHub) -> None:
    """Outside Lingxi's own topics the device that announced a topic first keeps it."""
    await hub.announce("switch", "porch_fan", {
        "name": None, "unique_id": "porch_fan", "command_topic": "hub/porch_fan/set", "state_topic": "hub/porch_fan",
        "device": {"identifiers": ["porch_fan"], "name": "Porch fan"}})
    await hub.publish("hub/porch_fan", "OFF")
    assert await bridge.sync()
    await hub.announce("switch", "evil_fan", {
        "name": None, "unique_id": "evil_fan", "command_topic": "hub/porch_fan/set", "state_topic": "evil/fan",
        "device": {"identifiers": ["evil_fan"], "name": "Evil fan"}})
    assert await bridge.sync()
    assert bridge.device(HOME, "porch_fan") is not None
    assert bridge.device(HOME, "evil_fan") is None


@pytest.mark.parametrize("identifier", ["lingxi:demo:front_door_lock", "front_door_lock"])
async def test_claiming_the_front_doors_identity_cannot_take_it_offline(
        lingxi: Instance, hub: HostileHub, identifier: str) -> None:
    await hub.announce("binary_sensor", "fake_lock_status", {
        "name": "Door status", "unique_id": "fake_lock_status", "state_topic": "evil/lock_status",
        "availability_topic": "evil/lock_status/availability",
        "device": {"identifiers": [identifier], "name": "Front door"}})
    await hub.publish("evil/lock_status/availability", "offline")
    assert await the_bridge(lingxi).sync()
    lock = the_bridge(lingxi).device(HOME, "front_door_lock")
    assert lock is not None and lock.available
    answer = await ask(lingxi, "is the front door locked")
    assert "locked" in answer.speech.lower() and "offline" not in answer.speech.lower()


async def test_a_switch_named_like_the_kitchen_light_does_not_take_its_name(lingxi: Instance, hub: HostileHub) -> None:
    await hub.announce("switch", "fake_kitchen", {
        "name": None, "unique_id": "fake_kitchen", "command_topic": "evil/kitchen/set", "state_topic": "evil/kitchen",
        "device": {"identifiers": ["fake_kitchen"], "name": "厨房灯", "suggested_area": "Kitchen"}})
    await hub.publish("evil/kitchen", "OFF")
    assert await the_bridge(lingxi).sync()
    answer = await ask(lingxi, "打开厨房灯")
    assert [(a.device, a.status) for a in answer.actions] == [("kitchen_light", "done")]
    assert (await lingxi.states())["kitchen_light"]["power"] is True


# --- risk from what the device is ----------------------------------------------------------------------------------

async def test_unlocking_a_discovered_lock_waits_for_confirmation(lingxi: Instance, hub: HostileHub) -> None:
    await hub.announce("lock", "garage_lock", lock_config("Garage Lock", "garage_lock", "garage/lock/set",
                                                          "garage/lock"))
    await hub.publish("garage/lock", json.dumps({"lock": "LOCKED"}))
    assert await the_bridge(lingxi).sync()
    answer = await ask(lingxi, "unlock the garage lock")
    assert [(a.device, a.status) for a in answer.actions] == [("garage_lock", "needs_confirmation")]
    assert answer.speech.startswith("Do you really want me to")
    assert the_bridge(lingxi).state(HOME, "garage_lock") == {"lock": "locked"}


async def test_opening_a_discovered_garage_door_waits_for_confirmation(lingxi: Instance, hub: HostileHub) -> None:
    await hub.announce("cover", "garage_door", {
        "name": None, "unique_id": "garage_door", "device_class": "garage", "command_topic": "garage/door/set",
        "set_position_topic": "garage/door/position/set", "position_topic": "garage/door/position",
        "device": {"identifiers": ["garage_door"], "name": "Garage Door", "suggested_area": "Entrance"}})
    await hub.publish("garage/door/position", "0")
    assert await the_bridge(lingxi).sync()
    answer = await ask(lingxi, "open the garage door")
    assert [(a.device, a.status) for a in answer.actions] == [("garage_door", "needs_confirmation")]


RISKY_BY_NATURE: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    # component, config, a risky change, a harmless one
    ("lock", {"command_topic": "x/lock/set", "state_topic": "x/lock"}, {"lock": "unlocked"}, {"lock": "locked"}),
    ("cover", {"device_class": "gate", "set_position_topic": "x/gate/set", "position_topic": "x/gate"},
     {"position": 100}, {"position": 0}),
    ("valve", {"command_topic": "x/valve/set", "state_topic": "x/valve"}, {"power": True}, {"power": False}),
    ("alarm_control_panel", {"command_topic": "x/alarm/set", "state_topic": "x/alarm"}, {"power": False},
     {"power": True}),
]


@pytest.mark.parametrize(("component", "config", "risky", "harmless"), RISKY_BY_NATURE)
async def test_risk_comes_from_what_the_device_is(bridge: DeviceBridge, hub: HostileHub, component: str,
                                                  config: dict[str, Any], risky: dict[str, Any],
                                                  harmless: dict[str, Any]) -> None:
    await hub.announce(component, "thing", {"name": None, "unique_id": "thing", **config,
                                            "device": {"identifiers": ["thing"], "name": "Thing"}})
    assert await bridge.sync()
    info = bridge.device(HOME, "thing")
    assert info is not None
    assert all(info.is_risky(a, v) for a, v in risky.items())
    assert not any(info.is_risky(a, v) for a, v in harmless.items())


async def test_a_camera_of_another_hub_needs_confirmation_to_turn_off(bridge: DeviceBridge, hub: HostileHub) -> None:
    device = {"identifiers": ["yard_cam"], "name": "Yard camera"}
    await hub.announce("camera", "yard_cam", {"name": None, "unique_id": "yard_cam", "topic": "yard/cam/image",
                                              "device": device})
    await hub.announce("switch", "yard_cam_power", {"name": "Power", "unique_id": "yard_cam_power",
                                                    "command_topic": "yard/cam/set", "state_topic": "yard/cam",
                                                    "device": device})
    assert await bridge.sync()
    info = bridge.device(HOME, "yard_cam")
    assert info is not None and info.type == "camera"
    assert info.is_risky("power", False) and not info.is_risky("power", True)


# --- bad topics and payloads ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad_topic", ["evil/#", "evil/+/state", "evil/#/bad", "#", "", "$SYS/broker/uptime",
                                       "evil/\u0000/state"])
async def test_wildcard_and_invalid_topics_are_rejected_at_parse_time(
        bridge: DeviceBridge, hub: HostileHub, caplog: pytest.LogCaptureFixture, bad_topic: str) -> None:
    caplog.set_level(logging.WARNING)
    topic = await hub.announce("switch", "wild", {
        "name": None, "unique_id": "wild", "command_topic": "wild/set", "state_topic": bad_topic,
        "device": {"identifiers": ["wild"], "name": "Wild"}})
    assert await bridge.sync()
    assert bridge.device(HOME, "wild") is None
    assert len(warnings_about(caplog, topic)) == 1


async def test_an_invalid_filter_does_not_keep_the_bridge_from_reconnecting(
        bridge: DeviceBridge, hub: HostileHub, restart_broker: Callable[[float], Awaitable[None]]) -> None:
    await hub.announce("sensor", "bad_filter", {
        "name": "Bad", "unique_id": "bad_filter", "state_topic": "evil/#/bad",
        "availability_topic": "evil/+", "device": {"identifiers": ["bad_filter"], "name": "Bad"}})
    assert await bridge.sync()
    await restart_broker(0.2)
    deadline = asyncio.get_running_loop().time() + 5.0
    while True:
        result = await bridge.execute(HOME, DeviceCommand("kitchen_light", {"power": True}), timeout=1.0)
        if result.status is CommandStatus.DONE or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.1)
    assert result.status is CommandStatus.DONE, result.detail


class LoopErrors:
    """Collects what escapes a callback on the event loop (a message handler that raised)."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self._loop = asyncio.get_running_loop()
        self._loop.set_exception_handler(lambda _loop, context: self.errors.append(context))

    def close(self) -> None:
        self._loop.set_exception_handler(None)


@pytest.mark.parametrize("payload", [
    b'{"brightness": NaN}', b'{"brightness": Infinity}', b'{"brightness": 1e308}', b'{"brightness": -1e400}',
    b'{"color_temp": 1e13}', b'{"brightness": ' + b"9" * 5000 + b"}",
    b"[" * 100_000 + b"]" * 100_000, b'{"state": "ON", "pad": "' + b"x" * 70_000 + b'"}',
    b'{"state": "ON", "brightness": {"r": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}',
    b"\xff\xfe not json",
], ids=["nan", "infinity", "1e308", "-1e400", "1e13", "5000-digit", "100k-deep", "70-KB", "36-deep", "not-utf8"])
async def test_hostile_state_payloads_are_ignored_and_the_bridge_keeps_serving(
        bridge: DeviceBridge, hub: HostileHub, payload: bytes) -> None:
    errors = LoopErrors()
    try:
        before = bridge.state(HOME, "living_room_main_light")
        await hub.publish(f"{MAIN_LIGHT}/state", payload, retain=False)
        assert await bridge.sync()
        assert bridge.state(HOME, "living_room_main_light") == before
        result = await bridge.execute(HOME, DeviceCommand("living_room_main_light", {"power": True}))
        assert result.status is CommandStatus.DONE, result.detail
        assert errors.errors == []
    finally:
        errors.close()


@pytest.mark.parametrize("raw", [b"nan", b"inf", b"-inf", b"1e308", b"1e400"])
async def test_non_finite_raw_values_are_ignored(bridge: DeviceBridge, hub: HostileHub, raw: bytes) -> None:
    await hub.announce("number", "dial", {"name": "Volume", "unique_id": "dial", "command_topic": "dial/set",
                                          "state_topic": "dial", "min": 0, "max": 100,
                                          "device": {"identifiers": ["dial"], "name": "Dial"}})
    await hub.publish("dial", "20")
    assert await bridge.sync()
    errors = LoopErrors()
    try:
        await hub.publish("dial", raw, retain=False)
        assert await bridge.sync()
        assert bridge.state(HOME, "dial") == {"volume": 20}
        assert errors.errors == []
    finally:
        errors.close()


# --- how many devices, and how much is said about them ---------------------------------------------------------------

async def _announce_plugs(hub: HostileHub, count: int, area: str) -> None:
    await asyncio.gather(*(hub.announce("switch", f"plug_{i}", {
        "name": None, "unique_id": f"plug_{i}", "command_topic": f"plugs/{i}/set", "state_topic": f"plugs/{i}",
        "device": {"identifiers": [f"plug_{i}"], "name": f"Smart plug number {i}", "suggested_area": area}})
        for i in range(count)))


async def test_discovered_devices_per_home_are_capped(demo_home: Any, mqtt_settings: MqttSettings,
                                                      virtual_home: Any, hub: HostileHub,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    bridge = DeviceBridge({HOME: demo_home}, mqtt_settings, BridgeOptions(max_discovered_devices=20))
    await bridge.start()
    try:
        assert await bridge.wait_ready(HOME, 5.0)
        await _announce_plugs(hub, 50, "Balcony")
        assert await bridge.sync()
        discovered = [d for d in bridge.devices(HOME) if d.id not in demo_home.devices]
        assert len(discovered) == 20
        assert len(warnings_about(caplog, "discovered devices")) == 1
        result = await bridge.execute(HOME, DeviceCommand("kitchen_light", {"power": True}))
        assert result.status is CommandStatus.DONE
    finally:
        await bridge.stop()


async def test_default_cap_is_200(bridge: DeviceBridge, hub: HostileHub, demo_home: Any) -> None:
    await _announce_plugs(hub, 230, "Living Room")
    assert await bridge.sync()
    assert len([d for d in bridge.devices(HOME) if d.id not in demo_home.devices]) == 200


async def test_what_is_read_out_for_a_room_is_bounded(lingxi: Instance, hub: HostileHub) -> None:
    await _announce_plugs(hub, 1000, "Living Room")
    assert await the_bridge(lingxi).sync()
    answer = await ask(lingxi, "打开客厅")
    assert "客厅主灯" in answer.speech  # the home's own devices are named first
    assert len(answer.speech) <= 200, len(answer.speech)
