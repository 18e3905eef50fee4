"""Assistant.Ask end to end: gRPC in, device state read back over MQTT out."""

from __future__ import annotations

import ast
import logging

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from lingxi.assistant.v1 import assistant_pb2 as pb

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def ask(lingxi, text: str, **fields) -> pb.Answer:
    return await lingxi.stub.Ask(pb.AskRequest(text=text, **fields), timeout=5)


async def test_chinese_command_turns_the_light_on(lingxi):
    await lingxi.reset()
    answer = await ask(lingxi, "打开客厅的灯")
    assert [(a.device, a.status) for a in answer.actions] == [("living_room_main_light", "done")]
    assert answer.intents[0].name == "device.turn_on"
    assert answer.intents[0].slots["device"].string_value == "living_room_main_light"
    assert "客厅主灯" in answer.speech
    assert (await lingxi.states())["living_room_main_light"]["power"] is True


async def test_english_command_turns_the_kitchen_light_off(lingxi):
    await lingxi.reset()
    await ask(lingxi, "turn on the kitchen light")
    assert (await lingxi.states())["kitchen_light"]["power"] is True
    answer = await ask(lingxi, "turn off the kitchen light")
    assert answer.actions[0].status == "done"
    assert answer.speech == "OK. The kitchen light is off."
    assert (await lingxi.states())["kitchen_light"]["power"] is False


async def test_timings_and_route_are_reported(lingxi):
    answer = await ask(lingxi, "关闭厨房灯")
    assert {"asr", "nlu", "plan", "skills", "total"} <= set(answer.timings_ms)
    assert answer.route.tier == "edge" and "confidence" in answer.route.reason
    assert answer.session_id and answer.request_id and answer.home_id == "demo"


async def test_health_says_serving(lingxi):
    health = health_pb2_grpc.HealthStub(lingxi.channel)
    for service in ("", "lingxi.assistant.v1.Assistant"):
        reply = await health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


async def test_reflection_lists_the_service(lingxi):
    stub = reflection_pb2_grpc.ServerReflectionStub(lingxi.channel)
    replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = [s.name async for r in replies for s in r.list_services_response.service]
    assert "lingxi.assistant.v1.Assistant" in names


async def test_out_of_range_value_is_clamped_and_said(lingxi):
    await lingxi.reset()
    answer = await ask(lingxi, "客厅空调调到十度")
    assert answer.actions[0].status == "done"
    assert "最低" in answer.speech and "16" in answer.speech
    assert (await lingxi.states())["living_room_ac"]["temperature"] == 16


async def test_unsupported_command_is_rejected_with_a_reason(lingxi):
    await lingxi.reset()
    answer = await ask(lingxi, "把客厅主灯调成红色")
    assert [(a.device, a.status) for a in answer.actions] == [("living_room_main_light", "rejected")]
    assert "不支持" in answer.speech
    assert (await lingxi.states())["living_room_main_light"]["power"] is False


@pytest.mark.parametrize("text, said", [("turn on the garage light", "couldn't find garage"), ("打开车库的灯", "没有找到车库")])
async def test_unknown_room_is_said_not_guessed(lingxi, text, said):
    await lingxi.reset()
    answer = await ask(lingxi, text)
    assert not answer.actions
    assert said in answer.speech
    states = await lingxi.states()
    assert [d for d in ("living_room_main_light", "living_room_strip") if states[d]["power"]] == []


async def test_a_command_for_every_light_is_summed_up(lingxi):
    await lingxi.reset()
    answer = await ask(lingxi, "打开所有的灯")
    assert len(answer.actions) == 9 and {a.status for a in answer.actions} == {"done"}
    assert answer.speech == "好的，9个设备都已打开"
    states = await lingxi.states()
    assert all(states[a.device]["power"] is True for a in answer.actions)


async def test_out_of_scope_is_answered_honestly(lingxi):
    answer = await ask(lingxi, "帮我订一张去上海的机票")
    assert [i.name for i in answer.intents] == ["out_of_scope"]
    assert not answer.actions
    assert "不会" in answer.speech


async def test_unlocking_waits_for_confirmation(lingxi):
    await lingxi.reset()
    first = await ask(lingxi, "开门")
    assert first.awaiting == "confirmation"
    assert [(a.device, a.status) for a in first.actions] == [("front_door_lock", "needs_confirmation")]
    assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"
    second = await ask(lingxi, "确定", session_id=first.session_id)
    assert [(a.device, a.status) for a in second.actions] == [("front_door_lock", "done")]
    assert (await lingxi.states())["front_door_lock"]["lock"] == "unlocked"


async def test_a_confirmation_in_another_session_releases_nothing(lingxi):
    await lingxi.reset()
    await ask(lingxi, "unlock the front door")
    answer = await ask(lingxi, "yes")
    assert not answer.actions
    assert (await lingxi.states())["front_door_lock"]["lock"] == "locked"


@pytest.mark.parametrize(
    "fields, code, fragment",
    [
        ({"text": ""}, grpc.StatusCode.INVALID_ARGUMENT, "text is empty"),
        ({"text": "   "}, grpc.StatusCode.INVALID_ARGUMENT, "text is empty"),
        ({"text": "开" * 10_000}, grpc.StatusCode.INVALID_ARGUMENT, "the limit is"),
        ({"text": "开灯", "device_id": "nobodys_speaker"}, grpc.StatusCode.NOT_FOUND, "unknown speaking device"),
        ({"text": "开灯", "lang": "fr"}, grpc.StatusCode.INVALID_ARGUMENT, "lang 'fr'"),
        ({"text": "开灯", "client_time": "yesterday"}, grpc.StatusCode.INVALID_ARGUMENT, "ISO 8601"),
        ({"text": "开灯", "client_time": "2026-12-01T20:00:00"}, grpc.StatusCode.INVALID_ARGUMENT, "has no UTC offset"),
        ({"text": "开灯", "client_time": "9999-12-31T23:00:00+08:00"}, grpc.StatusCode.INVALID_ARGUMENT, "out of range"),
        ({"text": "开灯", "session_id": "s" * 129}, grpc.StatusCode.INVALID_ARGUMENT, "session_id is 129 characters"),
        ({"text": "开灯", "session_id": "s" * 3_000_000}, grpc.StatusCode.INVALID_ARGUMENT, "the limit is 128"),
        ({"text": "开灯", "device_id": "d" * 100_000}, grpc.StatusCode.INVALID_ARGUMENT, "device_id is 100000 characters"),
        ({"text": "开灯", "request_id": "r" * 200}, grpc.StatusCode.INVALID_ARGUMENT, "request_id is 200 characters"),
    ],
)
async def test_bad_requests_get_specific_codes(lingxi, fields, code, fragment):
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await lingxi.stub.Ask(pb.AskRequest(**fields), timeout=5)
    assert info.value.code() == code
    assert fragment in info.value.details()
    assert len(info.value.details()) < 300  # never the client's unbounded input echoed back


async def test_a_year_9999_alarm_is_refused_not_overflowed(lingxi):
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await ask(lingxi, "明天早上七点叫我起床", client_time="9999-12-31T20:00:00+08:00")
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "client_time" in info.value.details()
    assert (await ask(lingxi, "关闭厨房灯")).speech  # and the server keeps serving


async def test_each_request_is_logged_once_at_info(lingxi, caplog):
    caplog.set_level(logging.INFO, logger="assistant.api")
    answer = await ask(lingxi, "打开厨房灯", request_id="logged-1", device_id="bedroom_speaker")
    lines = [r.getMessage() for r in caplog.records if "logged-1" in r.getMessage()]
    assert len(lines) == 1
    line = lines[0]
    for part in ("Ask logged-1", "speaker=bedroom_speaker", "'打开厨房灯'", "intents=device.turn_on", "statuses=done",
                 f"tier={answer.route.tier}", "total="):
        assert part in line, line
    caplog.clear()
    with pytest.raises(grpc.aio.AioRpcError):
        await ask(lingxi, "", request_id="logged-2")
    assert [r.levelname for r in caplog.records if "logged-2" in r.getMessage()] == ["INFO"]


async def test_what_was_said_is_cut_to_80_characters_in_the_log(lingxi, caplog):
    caplog.set_level(logging.INFO, logger="assistant.api")
    await ask(lingxi, "打开厨房灯" + "，" * 200, request_id="logged-3")
    (line,) = [r.getMessage() for r in caplog.records if "logged-3" in r.getMessage()]
    said = line.split("said=", 1)[1].split(" intents=", 1)[0]
    assert len(ast.literal_eval(said)) == 80


async def test_invalid_utf8_on_the_wire_is_an_invalid_argument(lingxi):
    # field 1 (text), length-delimited, 2 bytes that are not UTF-8
    raw = lingxi.channel.unary_unary("/lingxi.assistant.v1.Assistant/Ask", request_serializer=None, response_deserializer=None)
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await raw(b"\x0a\x02\xff\xfe", timeout=5)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "UTF-8" in info.value.details()
    assert (await ask(lingxi, "关闭厨房灯")).speech  # and the server keeps serving


async def test_an_expired_deadline_is_reported_as_such(lingxi):
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await lingxi.stub.Ask(pb.AskRequest(text="打开厨房灯"), timeout=0.001)
    assert info.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
