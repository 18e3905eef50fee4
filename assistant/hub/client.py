"""The hub's end of the contract: ask Lingxi over MQTT and follow its events.

What a hub-side script, the tests and ``bench/hub.py`` use. Each client has a reply topic of its
own under its home (``lingxi/<home>/answer/<id>``) and tells its replies apart by correlation:
with MQTT 5 the request's response-topic and correlation-data properties, with MQTT 3.1.1 the
payload's ``reply_to`` and ``correlation``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.packettypes import PacketTypes

from assistant.hub.topics import answer_topic, request_topic
from domain.errors import ErrorCode, LingxiError
from iot_bridge.mqtt import MqttClient, MqttSettings

#: A decoded event or answer: (topic, JSON object).
Received = tuple[str, dict[str, Any]]


class HubClient:
    def __init__(self, mqtt: MqttSettings, home_id: str, *, mqtt5: bool = True) -> None:
        self.home_id = home_id
        self.mqtt5 = mqtt5
        self.reply_topic = f"{answer_topic(home_id)}/{uuid.uuid4().hex[:12]}"
        self._client = MqttClient(mqtt, name="hub-client", on_packet=self._received, mqtt5=mqtt5)
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._follows: list[tuple[str, asyncio.Queue[Received]]] = []

    async def start(self) -> HubClient:
        self._client.subscribe(self.reply_topic)
        await self._client.start()
        if not self._client.connected:
            raise LingxiError(ErrorCode.UNAVAILABLE, f"no MQTT broker at {self._client.settings.url()}")
        return self

    async def stop(self) -> None:
        await self._client.stop()

    def follow(self, topic_filter: str) -> asyncio.Queue[Received]:
        """Every message on ``topic_filter`` from now on (``lingxi/demo/intent/#``), decoded."""
        queue: asyncio.Queue[Received] = asyncio.Queue()
        self._follows.append((topic_filter, queue))
        self._client.subscribe(topic_filter)
        return queue

    async def ask(self, text: str, *, timeout: float = 10.0, **fields: Any) -> dict[str, Any]:
        """Send ``{"text": text, **fields}`` on the home's request topic; the reply (answer or error)."""
        correlation = uuid.uuid4().hex
        body = {"text": text, **fields}
        if not self.mqtt5:
            body |= {"reply_to": self.reply_topic, "correlation": correlation}
        return await self.send(json.dumps(body, ensure_ascii=False), correlation=correlation, timeout=timeout)

    async def send(self, payload: str | bytes, *, correlation: str | None = None, retain: bool = False,
                   timeout: float = 10.0) -> dict[str, Any]:
        """Publish ``payload`` as it is and wait for the reply that carries ``correlation``.

        With MQTT 5 the correlation travels as the request's property (so even a payload that is
        not JSON gets its reply here); with 3.1.1 it must be in the payload already.
        """
        correlation = correlation or uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[correlation] = future
        try:
            await self.publish(payload, correlation=correlation, retain=retain)
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiting.pop(correlation, None)

    async def publish(self, payload: str | bytes, *, correlation: str | None = None, retain: bool = False) -> None:
        """Publish ``payload`` on the request topic without waiting: with MQTT 5 and a ``correlation``,
        the reply comes to this client's reply topic."""
        properties = None
        if self.mqtt5 and correlation is not None:
            properties = paho.Properties(PacketTypes.PUBLISH)
            properties.ResponseTopic = self.reply_topic
            properties.CorrelationData = correlation.encode()
        await self._client.publish(request_topic(self.home_id), payload, retain=retain, properties=properties)

    def _received(self, message: paho.MQTTMessage) -> None:
        try:
            body = json.loads(message.payload)
        except ValueError:
            body = {"raw": bytes(message.payload).decode(errors="replace")}
        if message.topic == self.reply_topic:
            data = getattr(message.properties, "CorrelationData", None)
            key = data.decode(errors="replace") if data is not None else str(body.get("correlation"))
            future = self._waiting.get(key)
            if future is not None and not future.done():
                future.set_result(body)
        for topic_filter, queue in self._follows:
            if paho.topic_matches_sub(topic_filter, message.topic):
                queue.put_nowait((message.topic, body))
