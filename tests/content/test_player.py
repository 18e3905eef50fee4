"""Players per home: play, next, what's playing, pause, resume, episodes, moving rooms, restarts."""

from __future__ import annotations

from datetime import timedelta

from skills.content import ContentSkill

from .conftest import NOW, ask


async def test_album_session_in_chinese(skill):
    played = await ask(skill, "media.play_music", {"song": "叶惠美"}, "播放叶惠美专辑")
    first, second = played.media.queue[0], played.media.queue[1]
    nxt = await ask(skill, "media.control", {"action": "next"}, "下一首", now=NOW + timedelta(seconds=30))
    assert nxt.media.id == second and nxt.media.state == "playing"
    assert nxt.media.queue == played.media.queue[2:]
    now = await ask(skill, "media.now_playing", {}, "现在放的是什么歌", now=NOW + timedelta(seconds=40))
    assert now.media.id == second and now.speech.startswith("正在播放周杰伦的《")
    paused = await ask(skill, "media.control", {"action": "pause"}, "暂停", now=NOW + timedelta(seconds=60))
    assert paused.media.state == "paused" and paused.speech == "已暂停"
    assert paused.media.position_s == 30.0
    resumed = await ask(skill, "media.control", {"action": "resume"}, "继续播放", now=NOW + timedelta(seconds=600))
    assert resumed.media.id == second and resumed.media.state == "playing" and resumed.media.position_s == 30.0
    back = await ask(skill, "media.control", {"action": "previous"}, "上一首", now=NOW + timedelta(seconds=620))
    assert back.media.id == first


async def test_album_session_in_english(skill):
    played = await ask(skill, "media.play_music", {"song": "hotel california"}, "play the album hotel california", lang="en")
    assert played.media.id in ("song-eagles-hotel-california", "album-eagles-hotel-california")
    album = await ask(skill, "media.play_music", {"song": "21", "artist": "adele"}, "play 21 by adele", lang="en")
    assert album.media.id == "album-adele-21" and album.speech == "Playing the album 21 by Adele"
    nxt = await ask(skill, "media.control", {"action": "next"}, "skip this song", lang="en")
    assert nxt.media.id == album.media.queue[1]
    what = await ask(skill, "media.now_playing", {}, "what's playing", lang="en")
    assert what.media.id == album.media.queue[1] and what.speech.startswith("This is ")
    paused = await ask(skill, "media.control", {"action": "pause"}, "pause", lang="en")
    assert paused.media.state == "paused" and paused.speech == "Paused"
    resumed = await ask(skill, "media.control", {"action": "resume"}, "resume", lang="en")
    assert resumed.media.state == "playing" and resumed.speech.startswith("Resuming ")
    stopped = await ask(skill, "media.control", {"action": "stop"}, "stop", lang="en")
    assert stopped.media.state == "stopped"
    after = await ask(skill, "media.now_playing", {}, "what's playing", lang="en")
    assert after.media is None and after.speech == "Nothing is playing right now"


async def test_control_with_nothing_playing_is_honest(skill):
    for action, text, said in (("pause", "暂停", "现在没有在播放任何内容"), ("next", "下一首", "现在没有在播放任何内容")):
        result = await ask(skill, "media.control", {"action": action}, text)
        assert result.media is None and result.speech == said
    resume = await ask(skill, "media.control", {"action": "resume"}, "resume", lang="en")
    assert resume.media is None and resume.speech == "There's nothing to resume"


async def test_end_of_an_album_says_so_and_keeps_playing(skill):
    await ask(skill, "media.play_music", {"song": "晴天"}, "播放晴天")
    result = await ask(skill, "media.control", {"action": "next"}, "下一首")
    assert result.speech == "已经是最后一个了" and result.media.id == "song-zhou-jie-lun-qing-tian"


async def test_episodes_next_episode_and_resume_where_the_household_stopped(skill):
    third = await ask(skill, "media.play_video", {"title": "甄嬛传"}, "我想看甄嬛传第三集")
    assert third.media.id == "series-zhen-huan-chuan-2011" and third.media.episode == 3
    assert third.media.device == "living_room_tv" and third.speech == "好的，在电视上为你播放《甄嬛传》第3集"
    nxt = await ask(skill, "media.control", {"action": "next"}, "下一集", now=NOW + timedelta(minutes=50))
    assert nxt.media.episode == 4
    await ask(skill, "media.control", {"action": "pause"}, "暂停", now=NOW + timedelta(minutes=60))
    await ask(skill, "media.play_music", {"song": "晴天"}, "播放晴天", now=NOW + timedelta(minutes=61))
    again = await ask(skill, "media.play_video", {"title": "甄嬛传"}, "继续看甄嬛传", now=NOW + timedelta(days=1))
    assert again.media.episode == 4 and again.media.position_s == 600.0
    assert again.speech.startswith("好的，在电视上继续播放《甄嬛传》第4集")
    more = await ask(skill, "media.play_video", {"title": "friends"}, "play the next episode of friends", lang="en")
    assert more.media.id == "series-friends-1994" and more.media.episode == 1


async def test_episode_beyond_the_series_is_refused(skill):
    result = await ask(skill, "media.play_video", {"title": "甄嬛传"}, "播放甄嬛传第100集")
    assert result.media is None and result.speech == "《甄嬛传》只有76集"


async def test_play_on_the_tv_and_move_to_the_bedroom(skill):
    tv = await ask(skill, "media.play_video", {"title": "在电视上放流浪地球"}, "在电视上放流浪地球")
    assert tv.media.id == "movie-liu-lang-di-qiu-2019" and tv.media.device == "living_room_tv"
    song = await ask(skill, "media.play_music", {"song": "稻香"}, "放稻香", lang="zh")
    assert song.media.device == "living_room_speaker"
    moved = await ask(skill, "media.play_music", {"song": "it"}, "play it in the bedroom", lang="en")
    assert moved.media.id == "song-zhou-jie-lun-dao-xiang" and moved.media.device == "bedroom_speaker"
    assert moved.speech == "Moving Rice Field by Jay Chou to the bedroom speaker"
    what = await ask(skill, "media.now_playing", {}, "卧室在放什么", speaker="bedroom_speaker")
    assert what.media.id == "song-zhou-jie-lun-dao-xiang"


async def test_history_and_players_survive_a_restart(skill, tmp_path):
    await ask(skill, "media.play_video", {"title": "老友记"}, "看老友记第五集")
    await ask(skill, "media.control", {"action": "pause"}, "暂停", now=NOW + timedelta(minutes=5))
    skill.close()
    reopened = ContentSkill(None, tmp_path)
    try:
        what = await ask(reopened, "media.now_playing", {}, "现在在放什么")
        assert what.media.id == "series-friends-1994" and what.media.episode == 5 and what.media.state == "paused"
        resumed = await ask(reopened, "media.control", {"action": "resume"}, "继续播放")
        assert resumed.media.episode == 5 and resumed.media.position_s == 300.0
    finally:
        reopened.close()


async def test_homes_do_not_share_players(skill):
    from dataclasses import replace

    from .conftest import HOME
    await ask(skill, "media.play_music", {"song": "晴天"}, "播放晴天")
    other = await ask(skill, "media.now_playing", {}, "现在在放什么", home=replace(HOME, id="another"))
    assert other.media is None
