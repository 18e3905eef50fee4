"""Lingxi as a hub's language service over MQTT: requests in, answers and events out.

A hub publishes ``{"text", ...}`` on ``lingxi/<home>/request`` and gets the answer of
``assistant ask --json`` (plus ``correlation``) on its reply topic: the MQTT 5 response topic
when the request has one, else the payload's ``reply_to``, else ``lingxi/<home>/answer``. Every
request gets a reply: an error reply (``{"error": {"code", "message"}, "correlation"}``) for one
too large, not JSON, retained, or naming what its home does not have, and the service keeps
serving. Replies and events are never retained: a hub that reconnects must not act on a stale one.

Each request runs in its own task, at most ``max_in_flight`` at once (more are refused with
RESOURCE_EXHAUSTED rather than queued without bound).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.packettypes import PacketTypes

from assistant.api.convert import answer_to_json
from assistant.hub.events import answer_events
from assistant.hub.requests import (
    ReplyTo,
    default_reply,
    parse_request,
    read_fields,
    reply_on,
    with_correlation,
    with_reply_to,
)
from assistant.hub.topics import answer_topic, request_topic
from assistant.pipeline.messages import Answer, Request
from assistant.pipeline.pipeline import Pipeline
from domain.errors import BrokerUnavailable, ErrorCode, LingxiError
from domain.home import Home
from iot_bridge.mqtt import MqttClient, MqttSettings

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class HubOptions:
    #: Largest request payload read, in bytes; a larger one gets an error reply unread.
    max_payload_bytes: int = 8192
    #: Requests answered at once; more are refused (RESOURCE_EXHAUSTED).
    max_in_flight: int = 64
    #: Speak MQTT 5 (response topic, correlation data); False for a broker that speaks 3.1.1 only (amqtt).
    mqtt5: bool = True
    #: Seconds requests in flight get to finish on stop.
    shutdown_grace_s: float = 5.0


class HubService:
    """Serve the request topics of ``homes`` on the broker of ``mqtt`` with ``pipeline``."""

    def __init__(self, pipeline: Pipeline, mqtt: MqttSettings, homes: Sequence[Home], options: HubOptions = HubOptions()) -> None:
        self._pipeline = pipeline
        self._homes = {home.id: home for home in homes}
        self._by_topic = {request_topic(home.id): home for home in homes}
        self.options = options
        self._client = MqttClient(mqtt, name="hub", on_packet=self._received, mqtt5=options.mqtt5)
        self._tasks: set[asyncio.Task[None]] = set()
        self._serving = 0
        self._publishing = False
        pipeline.observe_answers(self.answered)  # every answer's events, whichever front end asked

    async def start(self) -> None:
        for topic in self._by_topic:
            self._client.subscribe(topic, qos=1)
        await self._client.start()
        self._publishing = True
        _LOGGER.info("hub requests on %s", ", ".join(self._by_topic))

    async def stop(self) -> None:
        self._publishing = False
        for topic in self._by_topic:
            self._client.unsubscribe(topic)
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=self.options.shutdown_grace_s)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await self._client.stop()

    def answered(self, answer: Answer) -> None:
        """Publish the events of ``answer`` (the hub's own, and any other the pipeline reports)."""
        if self._publishing and answer.home_id in self._homes:
            self._spawn(self._publish_events(answer))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _received(self, message: paho.MQTTMessage) -> None:
        home = self._by_topic.get(message.topic)
        if home is None:
            return
        properties = message.properties
        response_topic = getattr(properties, "ResponseTopic", None)
        reply = default_reply(answer_topic(home.id), getattr(properties, "CorrelationData", None))
        self._spawn(self._serve(home, bytes(message.payload), bool(message.retain), reply, response_topic))

    async def _serve(self, home: Home, payload: bytes, retained: bool, reply: ReplyTo, response_topic: str | None) -> None:
        self._serving += 1
        try:
            if response_topic is not None:
                reply = reply_on(reply, response_topic, home, self._homes.values())
            if retained:  # it would run again on every reconnect
                raise LingxiError(ErrorCode.INVALID_ARGUMENT, "retained requests are not served: publish with retain off")
            if self._serving > self.options.max_in_flight:
                raise LingxiError(ErrorCode.RESOURCE_EXHAUSTED, f"{self.options.max_in_flight} requests are in flight; try again")
            fields = read_fields(payload, self.options.max_payload_bytes)
            reply = with_correlation(reply, fields)
            if response_topic is None:  # the protocol's response topic wins over the payload's
                reply = with_reply_to(reply, fields, home, self._homes.values())
            request = parse_request(fields, home)
            answer = await self._pipeline.run(
                Request(request.text, request.speaker_id, uuid.uuid4().hex, request.session_id, request.lang)
            )
        except LingxiError as err:
            await self._reply(reply, {"error": {"code": err.code.value, "message": err.message}})
        except Exception:
            _LOGGER.exception("hub request on %s failed", request_topic(home.id))
            await self._reply(reply, {"error": {"code": ErrorCode.INTERNAL.value, "message": "internal error; see the server log"}})
        else:
            await self._reply(reply, answer_to_json(answer))
        finally:
            self._serving -= 1

    async def _reply(self, reply: ReplyTo, body: dict[str, Any]) -> None:
        properties = None
        if self.options.mqtt5:
            properties = paho.Properties(PacketTypes.PUBLISH)
            properties.ContentType = "application/json"
            if reply.correlation_data is not None:
                properties.CorrelationData = reply.correlation_data
        await self._publish(reply.topic, {**body, "correlation": reply.correlation}, properties)

    async def _publish_events(self, answer: Answer) -> None:
        await asyncio.gather(*(self._publish(topic, body) for topic, body in answer_events(answer)))

    async def _publish(self, topic: str, body: dict[str, Any], properties: paho.Properties | None = None) -> None:
        try:
            await self._client.publish(topic, json.dumps(body, ensure_ascii=False, default=str), retain=False,
                                       properties=properties)
        except BrokerUnavailable as err:
            _LOGGER.warning("hub: could not publish on %s: %s", topic, err)
