"""Named requests play the item the person meant, despite slips, scripts and versions."""

from __future__ import annotations

import pytest

from .conftest import ask


@pytest.mark.parametrize(("slots", "text", "expected"), [
    ({"artist": "周杰伦", "song": "晴天"}, "播放周杰伦的晴天", "song-zhou-jie-lun-qing-tian"),
    ({"song": "青天"}, "播放青天", "song-zhou-jie-lun-qing-tian"),  # homophone
    ({"artist": "周杰轮", "song": "晴天"}, "播放周杰轮的晴天", "song-zhou-jie-lun-qing-tian"),  # ASR slip in the name
    ({"song": "髮如雪"}, "播放髮如雪", "song-zhou-jie-lun-fa-ru-xue"),  # traditional characters
    ({"song": "七里湘"}, "放一首七里湘", "song-zhou-jie-lun-qi-li-xiang"),
    ({"song": "不能说的秘密"}, "播放不能说的秘密", "song-zhou-jie-lun-bu-neng-shuo-de-mi-mi"),
    ({"artist": "不能说", "song": "秘密"}, "播放不能说的秘密", "song-zhou-jie-lun-bu-neng-shuo-de-mi-mi"),  # 的 inside the title
])
async def test_zh_requests_pick_the_song(skill, slots, text, expected):
    result = await ask(skill, "media.play_music", slots, text)
    assert result.media is not None and result.media.id == expected, result.speech


@pytest.mark.parametrize(("slots", "text", "expected"), [
    ({"song": "shape of you", "artist": "ed sheeran"}, "play shape of you by ed sheeran", "song-ed-sheeran-shape-of-you"),
    ({"song": "shap of yuo"}, "play shap of yuo", "song-ed-sheeran-shape-of-you"),  # typos
    ({"song": "hotel califronia"}, "play hotel califronia", "song-eagles-hotel-california"),
    ({"song": "stand", "artist": "me"}, "play stand by me", "song-ben-e-king-stand-by-me"),  # "by" inside the title
    ({"song": "sunny day", "artist": "jay chou"}, "play sunny day by jay chou", "song-zhou-jie-lun-qing-tian"),
])
async def test_en_requests_pick_the_song(skill, slots, text, expected):
    result = await ask(skill, "media.play_music", slots, text, lang="en")
    assert result.media is not None and result.media.id == expected, result.speech


async def test_the_answer_names_the_song_and_artist_in_the_listeners_language(skill):
    zh = await ask(skill, "media.play_music", {"artist": "周杰伦", "song": "晴天"}, "播放周杰伦的晴天")
    en = await ask(skill, "media.play_music", {"song": "qing tian", "artist": "jay chou"}, "play qing tian by jay chou", lang="en")
    assert zh.speech == "好的，为你播放周杰伦的《晴天》"
    assert en.speech == "Playing Sunny Day by Jay Chou"


@pytest.mark.parametrize(("slots", "text", "expected"), [
    ({"title": "rocky 4"}, "watch rocky 4", "movie-rocky-iv-1985"),
    ({"title": "frozen 2"}, "put on frozen 2", "movie-frozen-ii-2019"),
    ({"title": "流浪地球"}, "我想看流浪地球", "movie-liu-lang-di-qiu-2019"),
    ({"title": "西游记", "kind": "cartoon"}, "看西游记动画片", "cartoon-xi-you-ji-1999"),
])
async def test_videos_by_title_and_numbers_either_way(skill, slots, text, expected):
    result = await ask(skill, "media.play_video", slots, text, lang="en" if text.isascii() else "zh")
    assert result.media is not None and result.media.id == expected


async def test_audio_kind_chooses_between_works_of_one_name(skill):
    book = await ask(skill, "media.play_audio", {"title": "三体", "kind": "audiobook"}, "听一下三体有声书")
    assert book.media is not None and book.media.id == "audiobook-san-ti"


@pytest.mark.parametrize(("slots", "text", "expected"), [
    ({"song": "晴天"}, "播放晴天", "song-zhou-jie-lun-qing-tian"),
    ({"song": "晴天live版"}, "播放晴天live版", "song-zhou-jie-lun-qing-tian-live"),
    ({"song": "晴天伴奏"}, "放一下晴天的伴奏", "song-zhou-jie-lun-qing-tian-instrumental"),
    ({"song": "hotel california live"}, "play hotel california live", "song-eagles-hotel-california-live"),
    ({"song": "shape of you remix"}, "play the shape of you remix", "song-ed-sheeran-shape-of-you-remix"),
])
async def test_the_original_unless_a_version_is_asked_for(skill, slots, text, expected):
    result = await ask(skill, "media.play_music", slots, text, lang="en" if text.isascii() else "zh")
    assert result.media is not None and result.media.id == expected


@pytest.mark.parametrize(("slots", "expected"), [
    ({"song": "hello"}, "song-adele-hello"),  # the most popular of several
    ({"song": "hello", "artist": "lionel richie"}, "song-lionel-richie-hello"),
    ({"song": "stay", "artist": "rihanna"}, "song-rihanna-stay"),
    ({"song": "photograph", "artist": "nickelback"}, "song-nickelback-photograph"),
])
async def test_same_title_resolved_by_the_artist_named_else_popularity(skill, slots, expected):
    result = await ask(skill, "media.play_music", slots, "play it", lang="en")
    assert result.media is not None and result.media.id == expected


async def test_same_title_in_chinese_by_artist(skill):
    result = await ask(skill, "media.play_music", {"artist": "陈奕迅", "song": "好久不见"}, "播放陈奕迅的好久不见")
    assert result.media is not None and result.media.id == "song-chen-yi-xun-hao-jiu-bu-jian"


async def test_an_artist_plays_their_top_songs(skill):
    result = await ask(skill, "media.play_music", {"artist": "周杰伦"}, "播放周杰伦的歌")
    assert result.media is not None and result.media.id == "artist-zhou-jie-lun"
    assert len(result.media.queue) >= 10 and "song-zhou-jie-lun-qing-tian" in result.media.queue
    assert result.speech == "好的，为你播放周杰伦的热门歌曲"


async def test_an_album_plays_its_tracks_in_order(skill):
    result = await ask(skill, "media.play_music", {"song": "叶惠美"}, "播放叶惠美这张专辑")
    assert result.media is not None and result.media.id == "album-zhou-jie-lun-ye-hui-mei"
    assert "song-zhou-jie-lun-qing-tian" in result.media.queue
    assert "专辑《叶惠美》" in result.speech


@pytest.mark.parametrize(("slots", "text", "lang", "said"), [
    ({"song": "这首歌根本不存在"}, "播放这首歌根本不存在", "zh", "没有找到《这首歌根本不存在》"),
    ({"song": "zyxwv qrstu"}, "play zyxwv qrstu", "en", "I couldn't find zyxwv qrstu"),
])
async def test_not_found_is_honest_and_plays_nothing(skill, slots, text, lang, said):
    result = await ask(skill, "media.play_music", slots, text, lang=lang)
    assert result.media is None
    assert result.speech == said


async def test_kids_speaker_does_not_play_adult_titles(skill):
    adult = await ask(skill, "media.play_video", {"title": "小丑"}, "放小丑", speaker="kids_room_speaker")
    assert adult.media is None
    kids = await ask(skill, "media.play_video", {"title": "小猪佩奇"}, "放小猪佩奇", speaker="kids_room_speaker")
    assert kids.media is not None and kids.media.id == "cartoon-xiao-zhu-pei-qi-2004"
