"""media.volume: the speaking device's own volume, kept per home and speaker, clamped to 0-100."""

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.sdk import ActionReport
from skills.utilities.volume import VolumeSkill
from tests.skills.standins import context

HOME = load_demo_home()  # living_room_speaker starts at 40, bedroom_speaker at 30
OTHER_HOME = dataclasses.replace(HOME, id="other")
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=timezone(timedelta(hours=8)))



@pytest.fixture
def skill():
    return VolumeSkill()


async def ask(skill, lang, speaker="living_room_speaker", home=HOME, **slots):
    ctx = context(lang, speaker, home=home)
    return await skill.handle(Intent("media.volume", slots, 0.99, IntentSource.RULES), ctx)


def action(volume, speaker="living_room_speaker"):
    return (ActionReport(device=speaker, command="set", params={"volume": volume}, status="done"),)


@pytest.mark.parametrize(
    "lang, slots, speech, volume",
    [
        ("zh", {"direction": "up"}, "好的，音量已调到50", 50),
        ("en", {"direction": "down"}, "OK. Volume set to 30.", 30),
        ("zh", {"direction": "up", "amount": 25}, "好的，音量已调到65", 65),
        ("zh", {"direction": "down", "amount": "5"}, "好的，音量已调到35", 35),
        ("en", {"value": 30}, "OK. Volume set to 30.", 30),
        ("zh", {"value": "75"}, "好的，音量已调到75", 75),
        ("zh", {"value": 150}, "好的，音量已调到最高 100", 100),
        ("en", {"value": -5}, "OK. Volume set to its minimum, 0.", 0),
        ("zh", {"direction": "up", "amount": 90}, "好的，音量已调到最高 100", 100),
        ("zh", {"value": 33.6}, "好的，音量已调到34", 34),
    ],
)
async def test_changes_are_reported_as_a_set_on_the_speaker(skill, lang, slots, speech, volume):
    result = await ask(skill, lang, **slots)
    assert result.speech == speech and result.actions == action(volume)


async def test_volume_is_remembered_per_home_and_speaker(skill):
    await ask(skill, "zh", direction="up")
    assert (await ask(skill, "zh", direction="up")).actions == action(60)
    assert (await ask(skill, "zh", speaker="bedroom_speaker", direction="up")).actions == action(40, "bedroom_speaker")
    assert (await ask(skill, "zh", home=OTHER_HOME, direction="up")).actions == action(50)
    assert await skill.volume(context("zh")) == 60


async def test_already_at_the_edge_is_said_plainly(skill):
    await ask(skill, "zh", value=100)
    result = await ask(skill, "zh", direction="up")
    assert result.speech == "音量已经是最大了（100）" and result.actions == action(100)
    await ask(skill, "en", value=0)
    assert (await ask(skill, "en", direction="down")).speech == "The volume is already at its minimum, 0."


@pytest.mark.parametrize(
    "slots, speech",
    [
        ({}, "音量要调大还是调小？"),
        ({"direction": "sideways"}, "音量要调大还是调小？"),
        ({"value": "loud"}, "音量可以设成0到100之间的数"),
        ({"value": True}, "音量可以设成0到100之间的数"),
    ],
)
async def test_missing_or_malformed_slots_are_asked_for(skill, slots, speech):
    result = await ask(skill, "zh", **slots)
    assert result.speech == speech and result.awaiting == "clarification" and not result.actions
