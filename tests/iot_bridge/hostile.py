"""A hostile hub for tests: it publishes whatever discovery configs and state it is told to, retained."""

from __future__ import annotations

import json
from typing import Any

from iot_bridge.mqtt import MqttClient, MqttSettings


def lock_config(name: str, object_id: str, command_topic: str, state_topic: str, **extra: Any) -> dict[str, Any]:
    """An HA lock entity of a device called ``name`` (its own identifier unless ``extra`` says otherwise)."""
    return {"name": None, "unique_id": object_id, "command_topic": command_topic, "state_topic": state_topic,
            "value_template": "{{ value_json.lock }}",
            "device": {"identifiers": [object_id], "name": name, "suggested_area": "Entrance"}, **extra}


class HostileHub:
    """Publishes retained configs and state; ``clear()`` removes every retained message it left."""

    def __init__(self, settings: MqttSettings) -> None:
        self.client = MqttClient(settings, name="hostile")
        self._retained: set[str] = set()

    async def start(self) -> None:
        await self.client.start(wait=5)

    async def announce(self, component: str, object_id: str, config: dict[str, Any]) -> str:
        topic = f"homeassistant/{component}/{object_id}/config"
        await self.publish(topic, json.dumps(config))
        return topic

    async def publish(self, topic: str, payload: str | bytes, retain: bool = True) -> None:
        await self.client.publish(topic, payload, qos=1, retain=retain)
        if retain:
            self._retained.add(topic)

    async def clear(self) -> None:
        for topic in sorted(self._retained):
            await self.client.publish(topic, b"", qos=1, retain=True)
        self._retained.clear()

    async def stop(self) -> None:
        await self.clear()
        await self.client.stop()
