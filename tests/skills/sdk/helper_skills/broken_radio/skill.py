"""A content provider whose find() raises."""

from __future__ import annotations

from pathlib import Path

from skills.sdk import ContentQuery, ProvidedItem, SkillContext, load_manifest


class BrokenRadio:
    manifest = load_manifest(Path(__file__).with_name("manifest.yaml"))

    async def find(self, query: ContentQuery, ctx: SkillContext) -> ProvidedItem | None:
        raise RuntimeError(f"broken radio cannot look up {query.title!r}")


def create() -> BrokenRadio:
    return BrokenRadio()
