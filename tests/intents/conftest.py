"""Shared fixtures: the demo home, its vocabulary and one understander (built once per session)."""

from __future__ import annotations

import pytest

from domain.devices import DeviceInfo
from domain.home import load_demo_home
from intents import HomeVocabulary, RuleUnderstander, UnderstandingContext


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
