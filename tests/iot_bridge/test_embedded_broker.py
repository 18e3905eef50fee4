"""The embedded amqtt broker carries the simulator and the bridge (MQTT 3.1.1)."""

from __future__ import annotations

from domain.home import Home
from iot_bridge import CommandStatus, DeviceBridge, DeviceCommand, EmbeddedBroker, VirtualHome, read_states
from iot_bridge.mosquitto import free_port


async def test_round_trip_on_the_embedded_broker(demo_home: Home) -> None:
    broker = EmbeddedBroker(port=free_port())
    await broker.start()
    sim = VirtualHome(demo_home, broker.settings)
    bridge = DeviceBridge({demo_home.id: demo_home}, broker.settings)
    try:
        await sim.start()
        await bridge.start()
        assert await bridge.wait_ready(demo_home.id, 10.0), bridge.missing(demo_home.id)
        result = await bridge.execute(demo_home.id, DeviceCommand("bedroom_ac", {"power": True, "temperature": 22}))
        assert result.status is CommandStatus.DONE, result.detail
        states = await read_states(broker.settings, demo_home, 5.0)
        assert states["bedroom_ac"]["temperature"] == 22 and states["bedroom_ac"]["power"] is True
    finally:
        await bridge.stop()
        await sim.stop()
        await broker.stop()
