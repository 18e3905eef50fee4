"""Slots of the content, generation and knowledge intents.

These feed search and LLM skills, so the slots are search terms, not ids: what is left of
the clause once the request words are removed ("播放周杰伦的晴天" → artist 周杰伦, song 晴天).
Genre, mood and kind words come from small closed lists; the rest is a title or a name.
``kb.product_qa`` names a device of the home (id or type, from the vocabulary) when one is said.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from intents.vocabulary import HomeVocabulary

_LOGGER = logging.getLogger(__name__)

Slots = dict[str, Any]

_GENRES_ZH = ("轻音乐", "纯音乐", "钢琴曲", "古典音乐", "古典", "摇滚", "爵士乐", "爵士", "民谣", "流行歌曲", "流行",
              "儿歌", "说唱", "嘻哈", "粤语歌", "电子音乐", "电音", "乡村音乐", "蓝调", "古风", "戏曲", "红歌")
_GENRES_EN = ("classical music", "classical", "jazz", "rock", "hip hop", "rap", "lo-fi", "lofi", "lo fi", "country",
              "pop", "blues", "piano music", "piano", "edm", "electronic", "kids songs", "reggae", "metal", "r&b",
              "folk", "k-pop", "kpop", "soul", "disco", "techno")
_MOODS_ZH = ("安静", "欢快", "伤感", "放松", "浪漫", "励志", "开心", "轻松", "舒缓", "悲伤", "治愈", "热闹", "动感")
_MOODS_EN = ("relaxing", "happy", "sad", "chill", "upbeat", "romantic", "calm", "energetic", "soothing", "mellow")
_MUSIC_VERBS_ZH = re.compile(r"^(?:我想听|我要听|想听|我想|播放一下|播放|放一首|放首|放一些|放点|放|来一首|来首|来点|来一些|来|"
                             r"听一下|听听|听|唱一首|唱首|唱|随便放点|随便)+")
#: "来首周杰伦的歌吧": the particle is not part of a title (a title ending in one is found without it too).
_PARTICLES_ZH = re.compile(r"(?<=..)[吧啊呀呗嘛哦]+$")
_MUSIC_NOUNS_ZH = re.compile(r"(?:的)?(?:歌曲|歌|音乐|曲子|专辑)$")


def _closed(word: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if w in word), None)


#: Where to play it is not part of what to play ("play some music in the bedroom", "在卧室放点音乐").
_WHERE_EN = re.compile(r"\s+(?:in|on|through|everywhere in) (?:the |my )?(?:bedroom|living room|lounge|kitchen|bathroom|"
                       r"study|kids'? room|children's room|balcony|speaker|whole house|house)$|\s+everywhere$")
_ROOMS_ZH = "(?:客厅|卧室|厨房|卫生间|书房|儿童房|阳台|全屋)"
_WHERE_ZH = re.compile(rf"^在{_ROOMS_ZH}|(?:在|到){_ROOMS_ZH}里?$")


def music_slots(text: str, lang: str) -> Slots:
    slots: Slots = {}
    text = (_WHERE_ZH if lang == "zh" else _WHERE_EN).sub("", text)
    if lang == "zh":
        rest = _MUSIC_VERBS_ZH.sub("", _PARTICLES_ZH.sub("", text.replace(" ", "")))
        rest = re.sub(r"^(?:一首|首|一些|些|点|一点)", "", rest)
        mood, genre = _closed(rest, _MOODS_ZH), _closed(rest, _GENRES_ZH)
        artist, _, song = rest.partition("的") if "的" in rest[:-1] else ("", "", rest)
        song = "" if song in ("歌", "音乐", "歌曲") else _MUSIC_NOUNS_ZH.sub("", song)
    else:
        rest = re.sub(r"^(?:i want to hear|i'd like to listen to|i want to listen to|listen to|play|put on)\s+", "", text)
        rest = re.sub(r"^(?:me )?(?:some|a|the|something|an)\s+", "", rest)
        rest = re.sub(r"^(?:the )?song ", "", rest)
        m = re.match(r"(.+?) by (.+)$", rest)
        song, artist = (m.group(1), m.group(2)) if m else (rest, "")
        m = re.match(r"(.+?)(?:'s)? (?:songs?|music|tracks?|album)$", song) if not artist else None
        if m:
            song, artist = "", m.group(1)
        elif song in ("music", "song", "songs", "a song", "something"):
            song = ""
        mood, genre = _closed(rest, _MOODS_EN), _closed(rest, _GENRES_EN)
    if genre:
        slots["genre"] = genre
    elif mood:
        slots["mood"] = mood
    else:
        if artist:
            slots["artist"] = artist.strip()
        if song:
            slots["song"] = song.strip()
    return slots


_VIDEO_KINDS = (("cartoon", re.compile(r"动画片|动画|卡通|动漫|(?<![a-z])(?:cartoons?|animated|anime)(?![a-z])")),
                ("series", re.compile(r"电视剧|连续剧|剧集|(?<![a-z])(?:tv series|series|tv shows?)(?![a-z])")),
                ("movie", re.compile(r"电影|影片|片子|大片|片$|(?<![a-z])(?:movies?|films?)(?![a-z])")))
_VIDEO_GENRES = ("喜剧", "动作", "科幻", "纪录片", "恐怖", "爱情", "悬疑", "战争", "综艺", "comedy", "action", "sci fi", "scifi",
                 "documentary", "horror", "romantic comedy", "romance", "thriller", "drama", "anime")
_VIDEO_VERBS = re.compile(r"^(?:我想看|我要看|想看|继续看|看一下|看看|来部|来一部|放一部|放部|找个|找一部|播放|打开|放|看)+|"
                          r"^(?:i want to watch|let's watch|continue watching|put on|play|watch|show me|find me|stream)\s+")


def _kind(text: str, kinds: tuple[tuple[str, re.Pattern[str]], ...]) -> Slots:
    """``{"kind": …}`` for the first kind whose words appear, else no slot."""
    return next(({"kind": kind} for kind, pattern in kinds if pattern.search(text)), {})


def video_slots(text: str, lang: str) -> Slots:
    slots: Slots = _kind(text, _VIDEO_KINDS)
    genre = _closed(text, _VIDEO_GENRES)
    if genre:
        slots["genre"] = "sci-fi" if genre in ("sci fi", "scifi") else genre
        return slots
    rest = re.sub(r"^给孩子|^for the kids ", "", text.replace(" ", "") if lang == "zh" else text)
    rest = _VIDEO_VERBS.sub("", rest).strip()
    rest = re.sub(r"第.{1,3}[集季]|(?:the )?next episode of |for the kids$|给孩子", "", rest).strip()
    rest = re.sub(r"^(?:电视剧|电影|a |an |the )", "", rest).strip() if lang == "zh" else re.sub(r"^(?:a|an) ", "", rest)
    if rest and not any(p.fullmatch(rest) or p.fullmatch(rest.removeprefix("个").removeprefix("部")) for _, p in _VIDEO_KINDS):
        slots["title"] = rest
    return slots


_AUDIO_KINDS = (("audiobook", re.compile(r"有声书|有声小说|听书|(?<![a-z])(?:audiobook|audio book)(?![a-z])")),
                ("podcast", re.compile(r"播客|(?<![a-z])podcasts?(?![a-z])")),
                ("radio", re.compile(r"广播|电台|(?<![a-z])(?:radio|station)(?![a-z])")),
                ("story", re.compile(r"故事|(?<![a-z])(?:story|stories)(?![a-z])")))
_AUDIO_STRIP = re.compile(r"有声书|有声小说|广播|电台|播客|(?<![a-z])(?:audiobook|audio book|radio|station|podcast)(?![a-z])")
_AUDIO_VERBS = re.compile(r"^(?:我想听|我要听|听一下|听听|收听|播放|打开|来段|来个|放个|放一个|放|听)+|"
                          r"^(?:i want to listen to|listen to|tune in to|play|put on|read me)\s+(?:the |a |an )?")


def audio_slots(text: str, lang: str) -> Slots:
    slots: Slots = _kind(text, _AUDIO_KINDS)
    rest = _AUDIO_VERBS.sub("", text.replace(" ", "") if lang == "zh" else text)
    rest = _AUDIO_STRIP.sub("", rest).strip()
    rest = re.sub(r"^(?:the|a|an) ", "", rest).strip()
    if slots.get("kind") != "story" and rest and rest not in ("个", "一个", "the", "news"[:0]):
        slots["title"] = rest
    return slots


_CONTROL = (("previous", re.compile(r"上一|前一|(?<![a-z])(?:previous|go back|last song|back)(?![a-z])")),
            ("next", re.compile(r"下一|切歌|换一|换首|跳过|(?<![a-z])(?:next|skip)(?![a-z])")),
            ("resume", re.compile(r"继续|接着|恢复|(?<![a-z])(?:resume|continue|unpause)(?![a-z])")),
            ("pause", re.compile(r"暂停|(?<![a-z])pause(?![a-z])")),
            ("stop", re.compile(r"停|别放|关掉|不听|(?<![a-z])(?:stop|enough)(?![a-z])")))


def control_slots(text: str, lang: str, vocab: HomeVocabulary | None = None) -> Slots:
    """``action``, and ``device`` when a player of the home is named ("TV下一首", "skip song on the TV")."""
    slots: Slots = next(({"action": action} for action, pattern in _CONTROL if pattern.search(text)), {})
    players = [] if vocab is None else [m.id for m in vocab.find(text) if m.kind == "device"
                                        and vocab.device_type(m.id) == "media_player"]
    if players:
        slots["device"] = players[0]
    return slots


_FORMS = (("poem", re.compile(r"诗|词|(?<![a-z])(?:poem|haiku|limerick|verse|sonnet)(?![a-z])")),
          ("joke", re.compile(r"笑话|段子|(?<![a-z])jokes?(?![a-z])")),
          ("story", re.compile(r"故事|(?<![a-z])(?:story|tale)(?![a-z])")),
          ("message", re.compile(r"祝福|消息|短信|留言|贺卡|请假|(?<![a-z])(?:message|note|card|email|text)(?![a-z])")))


def write_slots(text: str, lang: str) -> Slots:
    form = next((name for name, pattern in _FORMS if pattern.search(text)), "other")
    slots: Slots = {"form": form}
    if lang == "zh":
        m = re.search(r"关于(.+?)的", text) or re.search(r"(?:一首|首|个|一段|一篇)(.+?)的(?:诗|小诗|故事|小故事|段子|作文)", text) \
            or re.search(r"(?:写|作|编)(?:一首|首|个|一个)?(.+?)的(?:诗|故事|小故事)", text)
    else:
        m = re.search(r"(?<![a-z])(?:about|on)\s+(.+)$", text)
    if m and m.group(1).strip() not in ("一", "个"):
        slots["topic"] = re.sub(r"^(?:a|an|the) ", "", m.group(1).strip())
    return slots


def product_slots(text: str, vocab: HomeVocabulary | None) -> Slots:
    slots: Slots = {"question": text}
    if vocab is not None:
        for mention in vocab.find(text):
            if mention.kind in ("device", "type"):
                slots["product"] = mention.id
                break
    return slots
