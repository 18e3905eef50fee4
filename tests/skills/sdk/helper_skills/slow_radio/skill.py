"""A content provider whose find() hangs."""

from __future__ import annotations

import asyncio
from pathlib import Path

from skills.sdk import ContentQuery, ProvidedItem, SkillContext, load_manifest


class SlowRadio:
    manifest = load_manifest(Path(__file__).with_name("manifest.yaml"))

    async def find(self, query: ContentQuery, ctx: SkillContext) -> ProvidedItem | None:
        await asyncio.sleep(3600)
        return None


def create() -> SlowRadio:
    return SlowRadio()
