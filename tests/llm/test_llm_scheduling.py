"""Scheduled device commands on the LLM path (issue 12): a planner answer with ``when`` on a device intent
is valid and is scheduled, not done now, and schedule.cancel/change name a task with times in words.

The planner answers through FakeScriptedBackend (a model cannot be made to answer a given plan on cue);
the runtime, its router, the skills, the scheduler, mosquitto and the devices are real, and device state
is read back over MQTT."""

from __future__ import annotations

from assistant.routing.llm_tiers import LlmFallback
from intents.llm.planner import LlmPlanner
from intents.llm.prompt import build_messages
from intents.llm.schema import llm_intents, plan_schema, schema_errors
from iot_bridge.mosquitto import MosquittoProcess
from tests.llm.conftest import ask, lingxi, states
from tests.llm.fakes import FakeScriptedBackend
from tests.llm.test_llm_paths import DEVICES, HOME, SERVED


def _plan(intent: str, **slots: object) -> dict:
    return {"tasks": [{"intent": intent, "slots": slots}]}


def test_when_and_the_schedule_intents_are_in_the_schema() -> None:
    schema = plan_schema(SERVED, HOME, DEVICES)
    assert schema_errors(_plan("device.turn_off", device="living_room_tv", when="in forty minutes"), schema) == []
    assert schema_errors(_plan("device.set", device="bedroom_ac", attribute="temperature", value=24,
                               when="每天 早上七点"), schema) == []
    assert schema_errors(_plan("schedule.query"), schema) == []
    assert schema_errors(_plan("schedule.cancel", action="device.turn_off", device_type="light", at="11 pm",
                               scope="all"), schema) == []
    assert schema_errors(_plan("schedule.change", action="device.turn_on", datetime="11:30 pm"), schema) == []
    # a scheduled task's action is a device intent, a player's is a media action: each refuses the other's
    assert schema_errors(_plan("schedule.cancel", action="pause"), schema)
    assert schema_errors(_plan("media.control", action="device.turn_off"), schema)
    assert schema_errors(_plan("schedule.query", when="now"), schema)  # the listing takes no slot
    assert schema_errors(_plan("device.query", device="living_room_tv", when="at 11 pm"), schema)  # a reading is now


def test_the_prompt_says_how_times_are_given_and_shows_it() -> None:
    messages = build_messages("turn the tv off later", llm_intents(SERVED), HOME, DEVICES)
    assert '"when": the time words as said' in messages[0]["content"]
    shown = "\n".join(m["content"] for m in messages if m["role"] == "assistant")
    assert '"when": "十分钟后"' in shown and '"intent": "schedule.change"' in shown


def _fallback(*plans: dict) -> tuple[LlmFallback, FakeScriptedBackend]:
    backend = FakeScriptedBackend("cloud", plans)
    return LlmFallback(SERVED, cloud=LlmPlanner(backend)), backend


async def test_a_planned_command_with_a_time_is_scheduled_listed_and_cancelled(broker: MosquittoProcess) -> None:
    fallback, backend = _fallback(
        _plan("device.turn_off", device="living_room_tv", when="in forty minutes"),
        _plan("schedule.cancel", action="device.turn_off", device="living_room_tv"),
    )
    async with lingxi(broker, fallback=fallback) as runtime:
        await ask(runtime, "turn on the tv", "en")
        assert (await states(runtime))["living_room_tv"]["power"] is True
        answer = await ask(runtime, "the telly should go dark once the film ends", "en")
        assert answer.route.tier == "cloud" and len(backend.calls) == 1, (answer.route, answer.speech, answer.intents)
        assert answer.speech.startswith("OK. I've scheduled it: turn off the tv at "), answer.speech
        assert [a.command for a in answer.actions] == ["schedule.set"]
        assert (await states(runtime))["living_room_tv"]["power"] is True  # not done now
        listed = await ask(runtime, "what's scheduled", "en")
        assert "1 scheduled task" in listed.speech and "turn off the tv" in listed.speech, listed.speech
        dropped = await ask(runtime, "forget about the telly going dark later on", "en")
        assert dropped.route.tier == "cloud" and len(backend.calls) == 2
        assert dropped.speech.startswith("OK. Cancelled: turn off the tv"), dropped.speech
        assert (await ask(runtime, "what's scheduled", "en")).speech == "Nothing is scheduled."
        assert (await states(runtime))["living_room_tv"]["power"] is True


async def test_a_planned_change_moves_a_task_to_a_time_said_in_words(broker: MosquittoProcess) -> None:
    fallback, backend = _fallback(
        _plan("device.turn_off", device="kitchen_light", when="at 11 pm"),
        _plan("schedule.change", action="device.turn_off", device_type="light", at="11 pm", datetime="11:30 pm"),
    )
    async with lingxi(broker, fallback=fallback) as runtime:
        await ask(runtime, "turn on the kitchen light", "en")
        set_at = await ask(runtime, "the kitchen should be dark come eleven tonight", "en")
        assert set_at.route.tier == "cloud" and "11:00 pm" in set_at.speech.lower(), set_at.speech
        moved = await ask(runtime, "let the kitchen stay lit half an hour past that", "en")
        assert moved.route.tier == "cloud" and len(backend.calls) == 2
        assert moved.speech.startswith("OK. Moved:") and "11:30 pm" in moved.speech.lower(), moved.speech
        [task] = [a for a in moved.actions if a.command == "schedule.change"]
        assert task.params["at"][11:16] == "23:30"
        assert (await states(runtime))["kitchen_light"]["power"] is True


async def test_a_planned_when_without_a_time_is_asked_about_and_nothing_changes(broker: MosquittoProcess) -> None:
    fallback, _ = _fallback(_plan("device.turn_off", device="living_room_tv", when="at some point"))
    async with lingxi(broker, fallback=fallback) as runtime:
        await ask(runtime, "turn on the tv", "en")
        answer = await ask(runtime, "the telly can go dark at some point", "en")
        assert answer.speech.startswith("At what time?"), answer.speech
        assert (await states(runtime))["living_room_tv"]["power"] is True
