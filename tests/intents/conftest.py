"""Shared fixtures: the demo home, its vocabulary and one understander (built once per session)."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.devices import DeviceInfo
from domain.home import load_demo_home
from intents import HomeVocabulary, RuleUnderstander, Understander, UnderstandingContext

#: The case files' clock: Tuesday 2026-12-01, 20:00 in Beijing.
CASES_NOW = datetime.fromisoformat("2026-12-01T20:00:00+08:00")


@pytest.fixture(scope="session")
def home():
    return load_demo_home()


@pytest.fixture(scope="session")
def vocab(home):
    return HomeVocabulary.build(home, [DeviceInfo.from_home(d) for d in home.devices.values()])


@pytest.fixture(scope="session")
def understand(vocab):
    rules = RuleUnderstander()

    def run(text, lang=None, speaker_room=None):
        return rules.understand(text, UnderstandingContext(lang=lang, speaker_room=speaker_room), vocab)

    return run


@pytest.fixture(scope="session")
def hear(vocab):
    """The whole cascade's intents for ``text`` said to a speaker in ``speaker_room`` at the cases' clock."""
    engine = Understander()

    def run(text, speaker_room="living_room"):
        return engine.understand(text, UnderstandingContext(speaker_room=speaker_room, now=CASES_NOW), vocab).intents

    return run


@pytest.fixture(scope="session")
def heard(hear):
    """``hear`` as (intent name, slots) pairs, the shape the phrasing tests compare."""
    return lambda text, speaker_room="living_room": [(i.name, dict(i.slots)) for i in hear(text, speaker_room)]
