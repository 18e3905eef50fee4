"""Local radio stations offered to the content skill (a content provider, loaded from a skills folder)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from skills.sdk import ContentQuery, MediaDirective, ProvidedItem, SkillContext, load_manifest

#: Words that say "a station", not which one.
_STATION_WORDS = re.compile(r"电台|广播|频率|(?<![a-z])(?:radio|station|fm)(?![a-z])")


@dataclass(frozen=True)
class Station:
    id: str
    zh: str
    en: str
    names: tuple[str, ...]  # every way a listener says it, without "电台"/"radio"


STATIONS = (
    Station("acme.radio.westlake", "西湖之声", "Lake Radio", ("西湖之声", "西湖", "lake", "west lake", "westlake")),
    Station("acme.radio.qiantang", "钱塘交通台", "Qiantang Traffic", ("钱塘交通台", "钱塘交通", "qiantang traffic")),
)


def _bare(words: str) -> str:
    return " ".join(_STATION_WORDS.sub(" ", words.lower()).split())


class RadioProvider:
    manifest = load_manifest(Path(__file__).with_name("manifest.yaml"))

    async def find(self, query: ContentQuery, ctx: SkillContext) -> ProvidedItem | None:
        asked = _bare(query.title or query.artist)
        if not asked:
            return None
        score, station = max(((SequenceMatcher(None, asked, name).ratio(), s) for s in STATIONS for name in s.names),
                             key=lambda pair: pair[0])
        if score < 0.5:
            return None
        return ProvidedItem(MediaDirective(id=station.id, kind="radio", title=ctx.say(station.zh, station.en)), round(score, 2))


def create() -> RadioProvider:
    return RadioProvider()
