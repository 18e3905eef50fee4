"""Fixtures for the bridge tests: the demo home simulated and bridged on the test broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.home import Home
from iot_bridge import BridgeOptions, DeviceBridge, VirtualHome
from iot_bridge.mqtt import MqttSettings


@pytest.fixture
async def virtual_home(demo_home: Home, mqtt_settings: MqttSettings) -> AsyncIterator[VirtualHome]:
    sim = VirtualHome(demo_home, mqtt_settings)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture
async def bridge(demo_home: Home, mqtt_settings: MqttSettings,
                 virtual_home: VirtualHome) -> AsyncIterator[DeviceBridge]:
    """A bridge that has discovered every demo device."""
    device_bridge = DeviceBridge({demo_home.id: demo_home}, mqtt_settings, BridgeOptions(command_timeout_s=2.0))
    await device_bridge.start()
    try:
        assert await device_bridge.wait_ready(demo_home.id, 5.0), device_bridge.missing(demo_home.id)
        yield device_bridge
    finally:
        await device_bridge.stop()
