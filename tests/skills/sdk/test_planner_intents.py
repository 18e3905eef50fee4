"""Installed skills' intents in the LLM planner's schema and prompt (issue 14): their slots typed as the
manifest types them, a sample of how they are asked for, and gone again when the skill is removed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.app.skillset import builtin_skills, served_intents
from domain.devices import DeviceInfo
from domain.home import load_demo_home
from intents.llm.backends import LlmError, LlmErrorCode
from intents.llm.planner import LlmPlanner
from intents.llm.prompt import build_messages
from intents.llm.schema import llm_intents, plan_schema, schema_errors, skill_intents
from intents.types import IntentSource
from skills.kit.discovery import from_folders
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from tests.llm.fakes import FakeScriptedBackend

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = [ROOT / "examples" / "coffee_machine", ROOT / "examples" / "shopping_list"]
HOME = load_demo_home()
DEVICES = [DeviceInfo.from_home(d) for d in HOME.devices.values()]


@pytest.fixture(scope="module")
def installed() -> tuple:
    return served_intents(builtin_skills(Scheduler(NotificationBus()), (), from_folders(EXAMPLES)))


@pytest.fixture(scope="module")
def bare() -> tuple:
    return served_intents(builtin_skills(Scheduler(NotificationBus())))


def _plan(intent: str, **slots) -> dict:
    return {"tasks": [{"intent": intent, "slots": slots}]}


def test_a_skills_slots_are_typed_in_the_schema(installed):
    schema = plan_schema(installed, HOME, DEVICES)
    assert schema_errors(_plan("acme.coffee.make", drink="latte", cups=2), schema) == []
    assert schema_errors(_plan("acme.shopping.add", item="toilet_paper"), schema) == []
    assert schema_errors(_plan("acme.shopping.add", item="caviar"), schema)  # not in the skill's value list
    assert schema_errors(_plan("acme.coffee.make", drink="latte", cups="many"), schema)  # cups is a number
    assert schema_errors(_plan("acme.shopping.read", item="milk"), schema)  # read takes no slot
    assert schema_errors(_plan("device.turn_on", device="living_room_main_light"), schema) == []


def test_a_removed_skills_intents_leave_the_schema_and_the_prompt(installed, bare):
    assert {"acme.coffee.make", "acme.shopping.clear"} <= set(llm_intents(installed))
    assert not [n for n in llm_intents(bare) if n.startswith("acme.")] and not skill_intents(bare)
    schema = plan_schema(bare, HOME, DEVICES)
    assert "is not an intent this home serves" in schema_errors(_plan("acme.shopping.add", item="milk"), schema)[0]
    system = build_messages("add milk", llm_intents(bare), HOME, DEVICES, skill_intents(bare))[0]["content"]
    assert "acme." not in system


def test_the_prompt_shows_each_skill_intent_with_its_slots_and_a_sample(installed):
    system = build_messages("add milk", llm_intents(installed), HOME, DEVICES, skill_intents(installed))[0]["content"]
    coffee = next(line for line in system.splitlines() if line.startswith("acme.coffee.make("))
    assert "drink: americano|latte|espresso|cappuccino" in coffee and "cups: number" in coffee
    assert '"来一杯拿铁"' in coffee and '"make me a latte"' in coffee
    shopping = next(line for line in system.splitlines() if line.startswith("acme.shopping.add("))
    assert "item: milk|eggs|bread" in shopping


async def test_the_planner_answers_with_a_skill_intent_and_refuses_one_outside_its_values(installed):
    backend = FakeScriptedBackend("cloud", [_plan("acme.shopping.add", item="milk")])
    planner = LlmPlanner(backend)
    [intent] = await planner.plan("we are out of milk, note it", HOME, DEVICES, installed, time.monotonic() + 5)
    assert (intent.name, dict(intent.slots), intent.source) == ("acme.shopping.add", {"item": "milk"}, IntentSource.LLM)
    assert "acme.shopping.add(item: " in backend.calls[0][0]["content"]

    wrong = FakeScriptedBackend("cloud", [_plan("acme.shopping.add", item="caviar")])
    with pytest.raises(LlmError) as refused:
        await LlmPlanner(wrong).plan("we are out of caviar", HOME, DEVICES, installed, time.monotonic() + 5)
    assert refused.value.reason is LlmErrorCode.INVALID_OUTPUT
    assert "'caviar' is not one of the allowed values" in wrong.calls[1][-1]["content"]  # the repair turn said why
