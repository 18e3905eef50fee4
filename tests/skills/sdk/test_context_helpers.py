"""The skill context's helpers and content providers in a real instance (mosquitto, the demo home plus
a coffee machine; issue 14): a skill's ctx.set_timer sets a timer the built-in timers list, ctx.ask and
ctx.confirm make a dialog turn (a "yes" runs only what the skill may do), ctx.play plays; a station the
catalogue lacks is played by the radio example provider, the catalogue still plays its own items, and a
raising or hanging provider leaves the content answer whole."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from assistant.app.runtime import Runtime
from assistant.app.skill_test import ask
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from tests.skills.sdk.skill_home import ROOT, coffee_home, states

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

RADIO = ROOT / "examples" / "radio_provider"
HELPERS = Path(__file__).with_name("helper_skills")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lingxi(module_broker: Mosquitto, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Runtime]:
    """The radio provider, a raising and a hanging provider, and the giraffe skill, on the demo home with a coffee machine."""
    async with coffee_home(module_broker, tmp_path_factory, RADIO, (RADIO, HELPERS)) as runtime:
        yield runtime


@pytest.mark.parametrize(("text", "station", "words"), [
    ("播放西湖之声电台", "acme.radio.westlake", "西湖之声"),
    ("play lake radio", "acme.radio.westlake", "Lake Radio"),
])
async def test_a_station_the_catalogue_lacks_is_played_by_the_provider(lingxi, text, station, words):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, text)
    assert [i.name.split("_")[0] for i in answer.intents] == ["media.play"]  # the built-in request, not the provider's
    assert answer.media is not None, answer.speech
    assert (answer.media.id, answer.media.kind, answer.media.state) == (station, "radio", "playing")
    assert answer.media.title == words
    assert answer.media.device == "living_room_speaker"
    assert words in answer.speech


async def test_the_catalogue_still_plays_its_own_items(lingxi):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, "播放周杰伦的晴天")
    assert answer.media is not None
    assert not answer.media.id.startswith("acme.")
    assert answer.media.title == "晴天"


async def test_nothing_anywhere_is_an_honest_not_found_despite_broken_providers(lingxi):
    # the raising and the hanging providers are asked too (music and audio): the answer still comes
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, "播放火星蓝调电台")
    assert answer.media is None
    assert "没有找到" in answer.speech


async def test_ctx_set_timer_sets_a_timer_the_timers_list(lingxi):
    await lingxi.reset_home("demo")
    answer = await ask(lingxi, "giraffe hourglass protocol")
    assert [i.name for i in answer.intents] == ["acme.giraffe.timer"]
    assert [(a.command, a.status) for a in answer.actions] == [("timer.set", "done")]
    assert "5 minute giraffe timer started" in answer.speech
    # "有哪些计时器" is read today as a timer labelled 有哪些 (intents/, not this test's subject)
    listed = await ask(lingxi, "what timers do I have")
    assert [i.name for i in listed.intents] == ["timer.query"]
    assert "giraffe" in listed.speech, listed.intents


async def test_ctx_ask_waits_for_the_follow_up(lingxi):
    session = "giraffe-ask"
    asked = await ask(lingxi, "giraffe question protocol", session)
    assert asked.awaiting == "clarification"
    assert asked.speech == "What colour does the giraffe like?"
    answered = await ask(lingxi, "giraffe answer is blue", session)
    assert answered.speech == "The giraffe likes blue."
    assert answered.awaiting is None


async def test_ctx_confirm_runs_the_pending_action_on_yes(lingxi):
    await lingxi.reset_home("demo")
    session = "giraffe-confirm"
    held = await ask(lingxi, "giraffe confirm protocol", session)
    assert held.awaiting == "confirmation"
    assert held.speech == "Shall I turn on the coffee machine?"
    assert (await states(lingxi))["coffee_machine"]["power"] is False
    await ask(lingxi, "yes", session)
    assert (await states(lingxi))["coffee_machine"]["power"] is True


async def test_ctx_confirm_beyond_the_permissions_is_refused(lingxi):
    await lingxi.reset_home("demo")
    session = "giraffe-sneak"
    answer = await ask(lingxi, "giraffe sneak protocol", session)
    assert answer.speech == "Sorry, that skill is not allowed to use that device."
    assert answer.awaiting is None
    await ask(lingxi, "yes", session)
    assert (await states(lingxi))["front_door_lock"]["lock"] == "locked"


async def test_ctx_play_plays_on_the_speaking_device(lingxi):
    answer = await ask(lingxi, "长颈鹿音乐协议")
    assert answer.speech == "好的，播放长颈鹿之歌"
    assert answer.media is not None
    assert (answer.media.id, answer.media.device) == ("acme.giraffe.song", "living_room_speaker")


async def test_a_provided_station_is_the_players_item_for_what_is_playing_and_pause(lingxi):
    await lingxi.reset_home("demo")
    played = await ask(lingxi, "play lake radio")
    assert played.media is not None and played.media.id == "acme.radio.westlake", played.speech
    playing = await ask(lingxi, "what's playing")
    assert "Lake Radio" in playing.speech
    assert playing.media is not None and (playing.media.id, playing.media.state) == ("acme.radio.westlake", "playing")
    paused = await ask(lingxi, "pause")
    assert [i.name for i in paused.intents] == ["media.control"]
    assert paused.media is not None
    assert (paused.media.id, paused.media.title, paused.media.state) == ("acme.radio.westlake", "Lake Radio", "paused")
    assert "Lake Radio" in (await ask(lingxi, "what's playing")).speech
