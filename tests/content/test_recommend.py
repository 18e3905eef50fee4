"""Vague requests: everything played satisfies every stated constraint; kids get kids' things only."""

from __future__ import annotations

import pytest

from skills.content.catalog import MediaItem

from .conftest import ask


def _item(skill, item_id: str) -> MediaItem:
    item = skill.catalogs.item(item_id, "demo")
    assert item is not None, item_id
    return item


def _played(skill, media) -> list[MediaItem]:
    return [_item(skill, i) for i in (media.id, *media.queue)]


@pytest.mark.parametrize(("name", "slots", "text", "lang", "check"), [
    ("media.play_music", {"mood": "轻松"}, "来点轻松的音乐", "zh", lambda i: "relaxing" in i.moods and i.kind == "song"),
    ("media.play_music", {}, "放点80年代的粤语歌", "zh", lambda i: i.language == "yue" and 1980 <= (i.year or 0) <= 1989),
    ("media.play_music", {}, "play something to focus", "en", lambda i: "focus" in i.moods),
    ("media.play_music", {"genre": "jazz"}, "play some jazz", "en", lambda i: "jazz" in i.genres),
    ("media.play_music", {"genre": "摇滚"}, "来点摇滚", "zh", lambda i: "rock" in i.genres),
    ("media.play_music", {}, "play some sad english songs", "en", lambda i: "sad" in i.moods and i.language == "en"),
    ("media.play_music", {"genre": "儿歌"}, "给宝宝放几首儿歌", "zh", lambda i: i.audience == "kids"),
    ("media.play_music", {}, "play some workout music", "en", lambda i: "workout" in i.moods),
    ("media.play_music", {}, "放点助眠的音乐", "zh", lambda i: "sleep" in i.moods),
    ("media.play_video", {"kind": "cartoon"}, "给孩子放个动画片", "zh", lambda i: i.kind == "cartoon" and i.audience == "kids"),
    ("media.play_video", {"genre": "comedy", "kind": "movie"}, "put on a comedy movie", "en",
     lambda i: i.kind == "movie" and "comedy" in i.genres),
    ("media.play_audio", {"kind": "story"}, "讲个睡前故事", "zh", lambda i: i.kind == "story" and "sleep" in i.moods),
    ("media.play_audio", {"kind": "radio"}, "play the news radio", "en", lambda i: i.kind == "radio" and "news" in i.genres),
])
async def test_every_item_satisfies_every_stated_constraint(skill, name, slots, text, lang, check):
    result = await ask(skill, name, slots, text, lang=lang)
    assert result.media is not None, result.speech
    for item in _played(skill, result.media):
        assert check(item), item
        assert not item.adult


async def test_kids_speaker_only_ever_gets_kids_items(skill):
    for name, slots, text in (("media.play_music", {}, "放点音乐"), ("media.play_music", {"mood": "伤感"}, "来点伤感的歌"),
                              ("media.play_video", {}, "放个电影"), ("media.play_audio", {"kind": "story"}, "讲个故事")):
        result = await ask(skill, name, slots, text, speaker="kids_room_speaker")
        if result.media is None:
            assert result.speech == "没有找到符合要求的内容"
            continue
        for item in _played(skill, result.media):
            assert item.audience == "kids" and not item.explicit, (text, item.id)


async def test_a_second_request_brings_something_new(skill):
    first = await ask(skill, "media.play_music", {"genre": "rock"}, "play some rock", lang="en")
    second = await ask(skill, "media.play_music", {"genre": "rock"}, "play some rock", lang="en")
    assert not {second.media.id, *second.media.queue} & {first.media.id, *first.media.queue}


async def test_nothing_fits_is_said_not_improvised(skill):
    result = await ask(skill, "media.play_music", {}, "放点50年代的粤语说唱")
    assert result.media is None and result.speech == "没有找到符合要求的内容"
