"""Hand-written devices of a foreign hub, for tests: they speak only MQTT, like real ones."""

from __future__ import annotations

import json
from typing import Any

from iot_bridge.mqtt import MqttClient, MqttSettings

HALL_CONFIG_TOPIC = "homeassistant/light/0x0017880104e45517/light/config"
HALL_CONFIG: dict[str, Any] = {
    # Zigbee2MQTT-style, default light schema with JSON state templates
    "name": None,
    "unique_id": "0x0017880104e45517_light_zigbee2mqtt",
    "command_topic": "zigbee2mqtt/hall/set/state",
    "payload_on": "ON",
    "payload_off": "OFF",
    "state_topic": "zigbee2mqtt/hall",
    "state_value_template": "{{ value_json.state }}",
    "brightness_command_topic": "zigbee2mqtt/hall/set",
    "brightness_command_template": '{"brightness": {{ value }}}',
    "brightness_state_topic": "zigbee2mqtt/hall",
    "brightness_value_template": "{{ value_json['brightness'] }}",
    "brightness_scale": 254,
    "availability": [{"topic": "zigbee2mqtt/bridge/state", "value_template": "{{ value_json.state }}"}],
    "device": {"identifiers": ["zigbee2mqtt_0x0017880104e45517"], "name": "Hall light", "manufacturer": "Philips",
               "suggested_area": "Entrance"},
}


class HallLight:
    """A Zigbee2MQTT-like dimmable light: applies ``/set`` and ``/set/state`` and reports JSON state."""

    def __init__(self, settings: MqttSettings, *, applies: bool = True) -> None:
        self.state: dict[str, Any] = {"state": "OFF", "brightness": 127}
        self.applies = applies
        self.client = MqttClient(settings, name="hall", on_message=self._on_message, on_connect=self._announce)

    async def start(self) -> None:
        self.client.subscribe("zigbee2mqtt/hall/set/#")
        self.client.subscribe("zigbee2mqtt/hall/set")
        await self.client.start()

    async def stop(self) -> None:
        await self.client.stop()

    def _announce(self) -> None:
        import asyncio

        async def announce() -> None:
            await self.client.publish(HALL_CONFIG_TOPIC, json.dumps(HALL_CONFIG), retain=True)
            await self.client.publish("zigbee2mqtt/hall", json.dumps(self.state), retain=True)

        asyncio.get_running_loop().create_task(announce())

    def _on_message(self, topic: str, payload: bytes, retained: bool) -> None:
        import asyncio

        if self.applies:
            if topic.endswith("/set/state"):
                self.state["state"] = payload.decode()
            else:
                self.state.update(json.loads(payload))
        asyncio.get_running_loop().create_task(
            self.client.publish("zigbee2mqtt/hall", json.dumps(self.state), retain=True))
