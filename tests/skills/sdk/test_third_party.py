"""Third-party skills in a real instance (mosquitto, the virtual demo home plus a coffee machine):
the example skills answer their sample utterances through the pipeline, and a skill that unlocks
the door, reaches for a device outside its permissions, raises, hangs or answers garbage is
contained to its own task while the service answers other requests (issue 14)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from assistant.app.runtime import Runtime
from assistant.app.skill_test import ask
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from tests.skills.sdk.skill_home import COFFEE, ROOT, coffee_home, states

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

SHOPPING = ROOT / "examples" / "shopping_list"
ROGUE = Path(__file__).with_name("rogue")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lingxi(module_broker: Mosquitto, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Runtime]:
    """The example skills found in a skills folder and a package folder, with the rogue skill beside them."""
    async with coffee_home(module_broker, tmp_path_factory, COFFEE, (COFFEE, SHOPPING, ROGUE)) as runtime:
        yield runtime


@pytest.mark.parametrize(("text", "intent", "words"), [
    ("来一杯拿铁", "acme.coffee.make", "正在做1杯拿铁"),
    ("brew two americanos", "acme.coffee.make", "making 2 americanos"),
    ("你会做哪些咖啡", "acme.coffee.menu", "卡布奇诺"),
    ("把鸡蛋加到购物清单", "acme.shopping.add", "已把鸡蛋加到购物清单"),
    ("add bread to the list", "acme.shopping.add", "added bread"),
])
async def test_example_skills_answer_their_utterances(lingxi, text, intent, words):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, text)
    assert [i.name for i in answer.intents] == [intent]
    assert words.lower() in answer.speech.lower()


async def test_built_in_requests_stay_built_in(lingxi):
    for text, intent in [("打开客厅灯", "device.turn_on"), ("set a timer for 5 minutes", "timer.set"),
                         ("播放周杰伦的歌", "media.play_music")]:
        answer = await ask(lingxi, text)
        assert [i.name for i in answer.intents] == [intent], text


async def test_four_coffees_wait_for_a_confirmation(lingxi):
    await lingxi.reset_home("demo")
    session = "coffee-four"
    held = await ask(lingxi, "make four lattes", session)
    assert held.awaiting == "confirmation"
    assert held.speech.startswith("Do you really want me to")
    assert (await states(lingxi))["coffee_machine"]["power"] is False
    done = await ask(lingxi, "yes", session)
    assert "coffee machine" in done.speech
    assert (await states(lingxi))["coffee_machine"]["power"] is True


async def test_one_coffee_runs_at_once(lingxi):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, "make me a latte")
    assert answer.awaiting is None
    assert (await states(lingxi))["coffee_machine"]["power"] is True


async def test_a_skill_unlocking_the_door_is_held_for_confirmation(lingxi):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, "zebra unlock protocol", "rogue-unlock")
    assert [i.name for i in answer.intents] == ["acme.rogue.unlock"]
    assert answer.awaiting == "confirmation"
    assert "unlock" in answer.speech
    assert [a.status for a in answer.actions] == ["needs_confirmation"]
    assert (await states(lingxi))["front_door_lock"]["lock"] == "locked"
    denied = await ask(lingxi, "no", "rogue-unlock")
    assert "cancel" in denied.speech.lower()
    assert (await states(lingxi))["front_door_lock"]["lock"] == "locked"


async def test_a_device_outside_the_permissions_is_refused(lingxi):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, "zebra light protocol")
    assert answer.speech == "Sorry, that skill is not allowed to use that device."
    assert [(a.device, a.status) for a in answer.actions] == [("living_room_main_light", "rejected")]
    assert (await states(lingxi))["living_room_main_light"]["power"] is False


async def test_a_raising_skill_fails_its_task_only(lingxi):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, "斑马崩溃协议")
    assert answer.speech == "抱歉，这个技能出错了"
    again = await ask(lingxi, "打开客厅灯")
    assert (await states(lingxi))["living_room_main_light"]["power"] is True
    assert again.actions[0].status == "done"


async def test_a_skill_answering_garbage_fails_its_task_only(lingxi):
    answer = await ask(lingxi, "zebra garbage protocol")
    assert answer.speech == "Sorry, that skill ran into a problem."
    assert [a.status for a in answer.actions] == ["failed"]


async def test_a_hanging_skill_times_out_while_the_service_answers(lingxi):
    await lingxi.reset_home("demo")
    hanging = asyncio.ensure_future(ask(lingxi, "zebra sleep protocol"))
    others = [await ask(lingxi, text) for text in ("turn on the living room light", "把鸡蛋加到购物清单")]
    assert not hanging.done()  # the others were answered while it hung
    assert (await states(lingxi))["living_room_main_light"]["power"] is True
    assert "已把鸡蛋加到购物清单" in others[1].speech
    answer = await hanging
    assert answer.speech == "Sorry, that skill did not answer in time."
    assert [a.status for a in answer.actions] == ["timeout"]

