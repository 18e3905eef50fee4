"""Ranking on its own, over a handful of items: the words decide, then version and popularity."""

from __future__ import annotations

from dataclasses import replace

from skills.content.catalog import MediaItem
from skills.content.library import Library
from skills.content.rank import find
from skills.content.recommend import describes, parse_constraints
from skills.content.request import parse_request

BASE = MediaItem(id="song-a", kind="song", title="晴天", title_alt=("Sunny Day",), artist=("周杰伦",), album=None, year=2003,
                 language="zh", genres=("mandopop",), moods=("sad",), audience="all", popularity=90, duration_s=260,
                 episodes=None, version="original", explicit=False)
LIBRARY = Library([
    BASE,
    replace(BASE, id="song-a-live", version="live", popularity=95),
    replace(BASE, id="song-b", artist=("别人",), popularity=20),
    replace(BASE, id="movie-c", kind="movie", title="晴天电影", title_alt=(), artist=()),
])


def _best(intent: str, slots: dict, text: str = "") -> str | None:
    found = find(parse_request(intent, slots, text, ()), [LIBRARY], lambda item: True)
    return found.best.item.id if found.best else None


def test_the_original_beats_a_more_popular_live_version():
    assert _best("media.play_music", {"song": "晴天"}) == "song-a"
    assert _best("media.play_music", {"song": "晴天"}, "晴天现场版") == "song-a-live"


def test_the_artist_named_beats_popularity():
    assert _best("media.play_music", {"song": "晴天", "artist": "别人"}) == "song-b"


def test_a_far_match_is_not_found_and_nothing_random_is_offered():
    far = find(parse_request("media.play_music", {"song": "完全不同的东西"}, "", ()), [LIBRARY], lambda item: True)
    assert far.best is None and far.closest is None


def test_kids_never_get_what_is_withheld():
    adult = Library([replace(BASE, audience="adult", explicit=True)])
    found = find(parse_request("media.play_music", {"song": "晴天"}, "", ()), [adult], lambda item: item.audience == "kids")
    assert found.best is None and found.withheld is not None


def test_requests_read_episodes_only_where_there_are_episodes():
    assert parse_request("media.play_video", {"title": "甄嬛传第十二集"}, "看甄嬛传第十二集", ()).episode == 12
    song = parse_request("media.play_music", {"song": "夜的第七章"}, "放夜的第七章", ())
    assert song.episode is None and song.title == "夜的第七章"


def test_descriptions_are_not_titles():
    assert describes("to focus") and describes("news") and describes("christmas")
    assert not describes("宇宙摇篮曲") and not describes("shape of you")


def test_constraints_from_words():
    c = parse_constraints("放点80年代的粤语歌", "music", {})
    assert c.years == (1980, 1989) and c.languages == {"yue"} and c.kinds == {"song"}
    kids = parse_constraints("给孩子放个动画片", "video", {"kind": "cartoon"})
    assert kids.kids and kids.kinds == {"cartoon"}
