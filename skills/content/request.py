"""What a media request asks for, read from the intent's slots and its words.

The understanding layer gives search terms (song, artist, title, kind); the words still carry
what it does not: which recording (live版, 伴奏, remix), which episode (第三集, episode 3, next
episode), "carry on where we stopped" (继续, resume), and where to play (在电视上, in the bedroom).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_VERSIONS = (
    ("instrumental", re.compile(r"伴奏|纯音乐版|卡拉ok|(?<![a-z])(?:instrumental|karaoke|backing track)(?![a-z])")),
    ("live", re.compile(r"现场版?|演唱会版?|(?<![a-z])live(?![a-z])(?:\s*version)?版?")),
    ("remix", re.compile(r"混音版?|(?<![a-z])(?:remix|remixed)(?![a-z])版?")),
    ("acoustic", re.compile(r"不插电版?|(?<![a-z])(?:acoustic|unplugged)(?![a-z])版?")),
    ("cover", re.compile(r"翻唱版?|(?<![a-z])cover(?:\s*version)?(?![a-z])版?")),
)
_VERSION_WORDS = re.compile(r"\s*[(（]?\s*(?:" + "|".join(p.pattern for _, p in _VERSIONS) + r")\s*[)）]?\s*(?:的?版本|版)?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EPISODE = re.compile(r"第\s*([0-9零〇一二两三四五六七八九十百]+)\s*[集话期章回]|(?<![a-z])(?:episode|ep\.?|chapter|part)\s*(\d+)(?![0-9])")
_NEXT_EPISODE = re.compile(r"下一集|下集|(?<![a-z])next (?:episode|chapter)(?![a-z])")
_RESUME = re.compile(r"继续|接着|(?<![a-z])(?:resume|continue|carry on|pick up where)(?![a-z])")
_KIND_WORDS = (("album", re.compile(r"专辑|(?<![a-z])album(?![a-z])")), ("playlist", re.compile(r"歌单|(?<![a-z])playlist(?![a-z])")))
_KIND_STRIP = re.compile(r"这张(?:专辑)?$|(?:这张|的)?专辑|歌单|(?:the )?(?:album|playlist)(?![a-z])|^一下")
_PRONOUN = re.compile(r"^(?:it|this|that|this song|that song|the music|它|这个|这首|这首歌|这个歌|刚才的|音乐|歌)$")
_FILLER_ZH = re.compile(r"^(?:上|里)?(?:播放|放一下|放|播|看|听)+")
_FILLER_EN = re.compile(r"^(?:play|put on|watch|on|in)\s+|\s+(?:on|in)$")


def cn_number(text: str) -> int | None:
    """3, 十二, 二十三, 一百零五 -> int; ``None`` when it is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN_DIGITS[ch]
    return total + digit


@dataclass(frozen=True)
class MediaRequest:
    """One play request.

    ``family`` is ``music``, ``video`` or ``audio`` (from the intent); ``title``/``artist`` the
    search terms with version and episode words removed; ``kind`` a catalogue kind the user named;
    ``version`` a recording asked for (``None``: the original is preferred); ``episode`` a number
    asked for; ``next_episode``/``resume`` ask to continue this household's last place;
    ``pronoun`` means "it" (move what is playing); ``text`` the utterance clause.
    """

    family: str
    title: str
    artist: str
    kind: str | None
    version: str | None
    episode: int | None
    next_episode: bool
    resume: bool
    pronoun: bool
    text: str


_FAMILY = {"media.play_music": "music", "media.play_video": "video", "media.play_audio": "audio"}


def _clean(term: str, lang_zh: bool, places: tuple[str, ...], episodic: bool) -> str:
    """A search term without version words, episode words (``episodic`` families) and where-to-play words."""
    term = _VERSION_WORDS.sub(" ", term.lower() if not lang_zh else term)
    term = _KIND_STRIP.sub(" ", _EPISODE.sub(" ", term) if episodic else term)
    placed = 0
    for place in places:
        term, found = re.subn(rf"(?:在|到|用)?{re.escape(place)}(?:上|里)?|(?:on|in) (?:the |my )?{re.escape(place)}", " ", term,
                              flags=re.I)
        placed += found
    if lang_zh and not re.search(r"[A-Za-z]", term):
        term = term.replace(" ", "")
    term = term.strip(" 《》“”\"'，,。.!！?？")
    if placed:
        # What is left around a place ("在电视上放流浪地球") starts with a verb; a bare title may too (听海), so only then.
        term = (_FILLER_ZH if lang_zh else _FILLER_EN).sub("", term).strip()
    return term


def parse_request(intent_name: str, slots: dict[str, Any], text: str, places: tuple[str, ...]) -> MediaRequest:
    """The request of a ``media.play_*`` intent; ``places`` are the home's room and player names."""
    said = " ".join(str(slots.get(k) or "") for k in ("song", "title", "album"))
    lowered = f"{text} {said}".lower()
    zh = bool(re.search(r"[\u3400-\u9fff]", lowered))
    version = next((name for name, pattern in _VERSIONS if pattern.search(lowered)), None)
    family = _FAMILY.get(intent_name, "music")
    episodic = family != "music"  # songs have no episodes: 夜的第七章 is a title
    episode = None
    match = _EPISODE.search(lowered) if episodic else None
    if match:
        episode = cn_number(match.group(1)) if match.group(1) else int(match.group(2))
    title = _clean(str(slots.get("song") or slots.get("title") or slots.get("album") or ""), zh, places, episodic)
    artist = _clean(str(slots.get("artist") or ""), zh, places, episodic)
    kind = slots.get("kind") if isinstance(slots.get("kind"), str) else None
    kind = kind or next((name for name, pattern in _KIND_WORDS if pattern.search(lowered)), None)
    pronoun = bool(_PRONOUN.match(title)) and not artist
    return MediaRequest(
        family=family,
        title="" if pronoun else title,
        artist=artist,
        kind=kind,
        version=version,
        episode=episode if episode and episode > 0 else None,
        next_episode=episodic and bool(_NEXT_EPISODE.search(lowered)),
        resume=bool(_RESUME.search(lowered)),
        pronoun=pronoun,
        text=text,
    )
