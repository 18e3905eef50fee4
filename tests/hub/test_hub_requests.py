"""A hub asks Lingxi over MQTT: answers on the reply topic, device state read back over MQTT."""

from __future__ import annotations

import asyncio
import json

import pytest

from assistant.hub import HubService
from assistant.pipeline.messages import Answer, Request

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

#: The keys of ``assistant ask --json`` (docs/eval-cases.md), which every answer carries, plus ``correlation``.
ASK_JSON = {"request_id", "session_id", "input", "transcript", "intents", "actions", "speech", "awaiting", "route",
            "timings_ms", "media", "citations"}


async def test_a_hub_asks_and_the_light_goes_on(hub):
    await hub.reset()
    answer = await hub.demo.send(json.dumps({"text": "打开客厅的灯"}), correlation="living-1")
    assert set(answer) == ASK_JSON | {"correlation"}
    assert answer["correlation"] == "living-1"
    assert answer["actions"] == [
        {"device": "living_room_main_light", "command": "turn_on", "params": {"power": True}, "status": "done"}
    ]
    assert answer["input"]["speaker"] == "living_room_speaker"  # no speaker: the home's first
    assert "客厅主灯" in answer["speech"]
    assert (await hub.states())["living_room_main_light"]["power"] is True


async def test_mqtt_311_hub_uses_reply_to_and_correlation_fields(hub):
    await hub.reset()
    client = await hub.client(mqtt5=False)
    try:
        answer = await client.ask("turn on the kitchen light", speaker="bedroom_speaker", lang="en")
    finally:
        await client.stop()
    assert answer["speech"] == "OK. The kitchen light is on."
    assert answer["input"] == {"text": "turn on the kitchen light", "lang": "en", "speaker": "bedroom_speaker"}
    assert (await hub.states())["kitchen_light"]["power"] is True


async def test_session_carries_a_follow_up(hub):
    await hub.reset()
    first = await hub.demo.ask("打开卧室的灯", session="hub-session-1")
    dimmer = await hub.demo.ask("调暗一点", session="hub-session-1")
    assert first["session_id"] == dimmer["session_id"] == "hub-session-1"
    assert dimmer["actions"] == [
        {"device": "bedroom_light", "command": "adjust", "params": {"brightness": 60}, "status": "done"}
    ]


async def test_without_a_reply_topic_the_answer_goes_to_the_homes_answer_topic_unretained(hub):
    client = await hub.client(mqtt5=False)
    answers = client.follow("lingxi/demo/answer")
    try:
        await client.publish(json.dumps({"text": "现在几点", "correlation": 42}))
        topic, answer = await asyncio.wait_for(answers.get(), 10)
        assert (topic, answer["correlation"]) == ("lingxi/demo/answer", 42)
        assert answer["intents"][0]["name"] == "time.query"
    finally:
        await client.stop()
    # a hub that subscribes later finds no answer kept on the broker (its own reply comes after any retained one)
    late = await hub.client()
    kept = late.follow("lingxi/demo/answer")
    try:
        await late.ask("现在几点")
        assert kept.empty()
    finally:
        await late.stop()


async def test_automations_see_the_intent_and_the_action(hub):
    await hub.reset()
    automation = await hub.client()
    intents = automation.follow("lingxi/demo/intent/device.turn_on")
    actions = automation.follow("lingxi/demo/action/+")
    try:
        answer = await hub.demo.ask("打开卧室的灯", speaker="bedroom_speaker")
        topic, intent = await asyncio.wait_for(intents.get(), 10)
        action_topic, action = await asyncio.wait_for(actions.get(), 10)
    finally:
        await automation.stop()
    assert topic == "lingxi/demo/intent/device.turn_on"
    assert intent | {"confidence": None} == {
        "intent": "device.turn_on", "slots": {"device": "bedroom_light", "room": "bedroom"}, "confidence": None,
        "source": intent["source"], "text": "打开卧室的灯", "lang": "zh", "request_id": answer["request_id"],
        "session_id": answer["session_id"], "speaker": "bedroom_speaker",
    }
    assert action_topic == "lingxi/demo/action/bedroom_light"
    assert action == {
        "device": "bedroom_light", "status": "done", "command": "turn_on", "params": {"power": True}, "detail": "",
        "request_id": answer["request_id"], "session_id": answer["session_id"], "speaker": "bedroom_speaker",
    }


async def test_requests_that_came_another_way_publish_their_events_too(hub):
    """A gRPC or Wyoming request runs the same pipeline, whose answers the hub observes."""
    await hub.reset()
    automation = await hub.client()
    actions = automation.follow("lingxi/demo/action/kitchen_light")
    try:
        answer = await hub.runtime.pipeline.run(Request("打开厨房灯", "living_room_speaker", "grpc-1", ""))
        _, action = await asyncio.wait_for(actions.get(), 10)
    finally:
        await automation.stop()
    assert (action["request_id"], action["status"]) == ("grpc-1", "done")
    assert isinstance(answer, Answer)


async def test_a_request_on_one_homes_topic_never_acts_on_another_home(hub):
    await hub.reset()
    refused = await hub.demo.ask("打开厨房灯", speaker="cabin_speaker")
    assert refused["error"]["code"] == "NOT_FOUND"
    assert "cabin_speaker" in refused["error"]["message"]
    assert (await hub.states("cabin"))["cabin_kitchen_light"]["power"] is False
    assert (await hub.states("demo"))["kitchen_light"]["power"] is False
    cabin = await hub.client("cabin")
    try:
        answer = await cabin.ask("打开厨房灯")
    finally:
        await cabin.stop()
    assert [(a["device"], a["status"]) for a in answer["actions"]] == [("cabin_kitchen_light", "done")]
    assert answer["input"]["speaker"] == "cabin_speaker"
    assert (await hub.states("demo"))["kitchen_light"]["power"] is False


@pytest.mark.parametrize("reply_to", ["lingxi/cabin/answer", "homeassistant/light/kitchen_light/set", "lingxi/demo/request",
                                      "lingxi/demo/#", "$SYS/x", ""])
async def test_a_reply_topic_outside_the_home_is_refused_on_the_homes_answer_topic(hub, reply_to):
    await hub.reset()
    client = await hub.client(mqtt5=False)
    answers = client.follow("lingxi/demo/answer")
    try:
        await client.publish(json.dumps({"text": "打开厨房灯", "reply_to": reply_to, "correlation": "r"}))
        _, reply = await asyncio.wait_for(answers.get(), 10)
    finally:
        await client.stop()
    assert (reply["error"]["code"], reply["correlation"]) == ("INVALID_ARGUMENT", "r")
    assert (await hub.states())["kitchen_light"]["power"] is False


@pytest.mark.parametrize(("payload", "code", "words"), [
    (b"{not json", "INVALID_ARGUMENT", "not JSON"),
    (b"\xff\xfe\x00", "INVALID_ARGUMENT", "not JSON"),
    (json.dumps({"text": "开灯" * 5000}).encode(), "INVALID_ARGUMENT", "the limit is 8192"),
    (b"[1, 2]", "INVALID_ARGUMENT", "JSON object"),
    (b'{"text": ""}', "INVALID_ARGUMENT", "empty"),
    (b'{"text": "   "}', "INVALID_ARGUMENT", "empty"),
    (b'{"speaker": "bedroom_speaker"}', "INVALID_ARGUMENT", "empty"),
    (b'{"text": 5}', "INVALID_ARGUMENT", "text must be a string"),
    (b'{"text": "\\u5f00\\u706f", "speeker": "bedroom_speaker"}', "INVALID_ARGUMENT", "speeker"),
    (b'{"text": "\\u5f00\\u706f", "speaker": "nobody"}', "NOT_FOUND", "nobody"),
    (b'{"text": "\\u5f00\\u706f", "lang": "fr"}', "INVALID_ARGUMENT", "lang"),
    (json.dumps({"text": "开灯", "session": "s" * 200}).encode(), "INVALID_ARGUMENT", "session"),
    (b'{"text": "\\u5f00\\u706f", "correlation": true}', "INVALID_ARGUMENT", "correlation"),
])
async def test_bad_requests_get_an_error_reply_and_the_service_keeps_serving(hub, payload, code, words):
    reply = await hub.demo.send(payload, correlation="bad-1")
    assert set(reply) == {"error", "correlation"}
    assert reply["correlation"] == "bad-1"
    assert reply["error"]["code"] == code and words in reply["error"]["message"]
    assert (await hub.demo.ask("现在几点"))["intents"][0]["name"] == "time.query"


async def test_a_retained_request_is_not_run_again_by_a_hub_service_that_starts_later(hub):
    client = await hub.client()
    replies = client.follow(client.reply_topic)
    later = HubService(hub.runtime.pipeline, hub.runtime.mqtt, [hub.home("demo")])
    try:
        await client.publish(json.dumps({"text": "现在几点"}), correlation="kept", retain=True)
        _, served = await asyncio.wait_for(replies.get(), 10)  # live: the running service answers it once
        assert served["intents"][0]["name"] == "time.query"
        await later.start()  # a restart finds the request kept on the broker
        _, replayed = await asyncio.wait_for(replies.get(), 10)
        assert replayed["error"]["code"] == "INVALID_ARGUMENT" and "retained" in replayed["error"]["message"]
    finally:
        await client.publish(b"", retain=True)  # clear it from the broker
        await later.stop()
        await client.stop()
