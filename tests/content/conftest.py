"""The content skill over the shipped catalogue, a demo-home context and a way to ask it things."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from domain.home import Home, Names, Speaker, load_demo_home
from intents.types import Intent, IntentSource
from skills.content import ContentSkill
from skills.sdk import SkillContext, SkillResult


def _demo_home() -> Home:
    """The demo home with its spec v2 kids' room speaker (added here while the packaged copy lacks it)."""
    home = load_demo_home()
    if "kids_room_speaker" in home.speakers:
        return home
    kids = Speaker("kids_room_speaker", "kids_room", Names(("儿童房音箱", "孩子的音箱"), ("kids room speaker",)), 25)
    return replace(home, speakers={**home.speakers, kids.id: kids})


HOME = _demo_home()
CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=CST)


class FakeDevices:
    """The content skill never commands devices; this gateway has none."""

    def devices(self):
        return ()

    def state(self, device_id):
        return {}

    async def execute(self, command, timeout):
        raise AssertionError("the content skill sent a device command")


def context(lang: str = "zh", speaker: str = "living_room_speaker", now: datetime = NOW, home: Home = HOME) -> SkillContext:
    return SkillContext(home, FakeDevices(), lang, speaker, home.speakers[speaker].room, time.monotonic() + 5, now)


async def ask(skill: ContentSkill, name: str, slots: dict | None = None, text: str = "", lang: str = "zh",
              speaker: str = "living_room_speaker", now: datetime = NOW, home: Home = HOME) -> SkillResult:
    intent = Intent(name, slots or {}, 0.95, IntentSource.RULES, text)
    return await skill.handle(intent, context(lang, speaker, now, home))


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose index of the shipped catalogue is built once per test run."""
    folder = tmp_path_factory.mktemp("content-index")
    ContentSkill(None, folder).close()
    return folder


@pytest.fixture
def skill(index_dir: Path, tmp_path: Path) -> Iterator[ContentSkill]:
    """A fresh skill (no history, no players) that reuses the built index."""
    (tmp_path / "index").symlink_to(index_dir / "index")
    content = ContentSkill(None, tmp_path)
    yield content
    content.close()
