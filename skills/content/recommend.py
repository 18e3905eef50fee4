"""Vague requests ("来点轻松的音乐", "80年代的粤语歌", "play some jazz"): constraints, then a pick.

The words are mapped onto the catalogue's own vocabularies (moods, genres, language, era,
audience, kind). Every stated constraint is hard: an item either satisfies all of them or is
not offered. Among those that do, popularity is the prior, the household's history adds what it
plays often, and what it played recently is left out so a second request brings something new.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .catalog import AUDIO_KINDS, VIDEO_KINDS, MediaItem
from .request import cn_number

#: (pattern on the lower-cased request, what it constrains, to which values).
_VOCABULARY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"轻松|放松|舒缓|安静|治愈|轻音乐|\bchill|\brelax|\bcalm|\bsoothing|\bmellow|easy listening", "moods", ("relaxing",)),
    (r"欢快|开心|快乐|高兴|\bhappy|\bcheerful|feel.good", "moods", ("happy",)),
    (r"伤感|悲伤|难过|忧伤|\bsad\b|\bmelanchol|heartbreak", "moods", ("sad",)),
    (r"浪漫|情歌|恋爱|\bromantic|\blove songs?", "moods", ("romantic",)),
    (r"专注|学习|工作时|看书|读书|\bfocus|\bconcentrat|\bstudy|\bstudying|while i work|\bwork to\b", "moods", ("focus",)),
    (r"睡觉|助眠|催眠|入睡|哄睡|睡前|\bsleep|\bbedtime|\bfall asleep", "moods", ("sleep",)),
    (r"派对|聚会|蹦迪|\bparty|\bdance floor", "moods", ("party",)),
    (r"怀旧|老歌|经典老歌|\bnostalgic|\boldies|\bgolden oldies|\bthrowback", "moods", ("nostalgic",)),
    (r"运动|健身|跑步|锻炼|\bworkout|\bgym\b|\brunning|\bexercise", "moods", ("workout",)),
    (r"圣诞|节日|过年|新年|\bchristmas|\bxmas|\bholiday|\bfestive", "moods", ("festive",)),
    (r"搞笑|好笑|幽默|\bfunny|\bcomedy|\bhilarious", "moods", ("funny",)),
    (r"动感|劲爆|嗨|带劲|激情|\benergetic|\bupbeat|\bpump", "moods", ("energetic",)),
    (r"爵士|\bjazz", "genres", ("jazz",)),
    (r"摇滚|\brock\b|rock music|rock songs", "genres", ("rock",)),
    (r"民谣|\bfolk", "genres", ("folk",)),
    (r"说唱|嘻哈|\brap\b|hip.?hop", "genres", ("hip-hop",)),
    (r"古典|交响|\bclassical|\bsymphon", "genres", ("classical",)),
    (r"钢琴|\bpiano", "genres", ("piano",)),
    (r"电子|电音|\bedm\b|\belectronic|\btechno", "genres", ("electronic", "dance")),
    (r"乡村|\bcountry", "genres", ("country",)),
    (r"蓝调|布鲁斯|\bblues", "genres", ("blues",)),
    (r"古风|中国风|\bchinese.style", "genres", ("chinese-style",)),
    (r"民乐|戏曲|古筝|二胡|\bchinese traditional", "genres", ("chinese-traditional",)),
    (r"儿歌|童谣|\bnursery|\bkids'? songs|\bchildren'?s songs", "genres", ("children", "lullaby")),
    (r"摇篮曲|\blullab", "genres", ("lullaby",)),
    (r"灵魂乐|\bsoul\b", "genres", ("soul",)),
    (r"迪斯科|\bdisco", "genres", ("disco",)),
    (r"金属|\bmetal", "genres", ("metal",)),
    (r"雷鬼|\breggae", "genres", ("reggae",)),
    (r"节奏布鲁斯|\br&b|\brnb\b", "genres", ("r&b",)),
    (r"原声|配乐|\bsoundtrack", "genres", ("soundtrack",)),
    (r"喜剧|\bcomed(?:y|ies)", "genres", ("comedy", "sitcom")),
    (r"动作|\baction", "genres", ("action",)),
    (r"科幻|\bsci.?fi|\bscience fiction", "genres", ("sci-fi", "science-fiction")),
    (r"纪录片|\bdocumentar", "genres", ("documentary",)),
    (r"恐怖|\bhorror|\bscary", "genres", ("horror",)),
    (r"爱情片|爱情剧|\bromance|\bromcom|romantic comed", "genres", ("romance",)),
    (r"悬疑|推理|\bmystery|\bthriller|\bdetective", "genres", ("mystery", "thriller")),
    (r"战争|\bwar (?:film|movie)", "genres", ("war",)),
    (r"武侠|功夫|\bwuxia|\bkung fu|\bmartial arts", "genres", ("wuxia",)),
    (r"古装|宫廷|\bcostume drama|\bperiod drama", "genres", ("costume",)),
    (r"新闻|\bnews", "genres", ("news",)),
    (r"路况|交通|\btraffic", "genres", ("traffic",)),
    (r"相声|脱口秀|\bstand.?up", "genres", ("comedy",)),
    (r"童话|\bfairy", "genres", ("fairy-tale",)),
    (r"成语故事|\bidiom", "genres", ("idiom-story",)),
    (r"财经|\bfinance|\bbusiness news", "genres", ("finance", "business")),
    (r"体育|\bsports", "genres", ("sports",)),
    (r"科技|\btech\b|\btechnology", "genres", ("technology",)),
    (r"粤语|广东话|\bcantonese|\bcantopop", "languages", ("yue",)),
    (r"国语|普通话|华语|中文歌|汉语|\bmandarin|\bchinese songs|\bc-?pop|\bmandopop", "languages", ("zh",)),
    (r"英文|英语|欧美|\benglish songs|\bwestern", "languages", ("en",)),
    (r"纯音乐|轻音乐|器乐|没有歌词|\binstrumental|\bno lyrics|\bwithout (?:lyrics|words)", "languages", ("instrumental",)),
    (r"孩子|儿童|宝宝|小朋友|幼儿|儿歌|童谣|\bkids?\b|\bchildren|\bchild\b|\btoddler|\bbab(?:y|ies)|\bnursery", "audience", ("kids",)),
    (r"动画|卡通|动漫|\bcartoons?|\banimated|\banime", "kinds", ("cartoon",)),
    (r"电视剧|连续剧|剧集|\btv series|\bseries|\btv shows?", "kinds", ("series",)),
    (r"电影|影片|大片|\bmovies?|\bfilms?", "kinds", ("movie",)),
    (r"有声书|有声小说|听书|\baudiobooks?|\baudio books?", "kinds", ("audiobook",)),
    (r"播客|\bpodcasts?", "kinds", ("podcast",)),
    (r"电台|广播|\bradio|\bstation", "kinds", ("radio",)),
    (r"故事|\bstor(?:y|ies)", "kinds", ("story",)),
    (r"歌单|\bplaylist", "kinds", ("playlist",)),
)
_PATTERNS = tuple((re.compile(pattern), target, values) for pattern, target, values in _VOCABULARY)
_ERA = re.compile(r"([0-9]{2}|[一二三四五六七八九零]{1,2}十)年代|(?:19|20)?([0-9])0'?s\b|\b(fifties|sixties|seventies|eighties|nineties)\b")
_DECADE_WORDS = {"fifties": 1950, "sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990}
#: Vague music means songs (a queue of them); video and audio take any kind of their family.
FAMILY_DEFAULT_KINDS = {"music": frozenset({"song"}), "video": VIDEO_KINDS, "audio": AUDIO_KINDS}
#: Plays this recent are not suggested again.
NO_REPEAT_WITHIN = 30


@dataclass(frozen=True)
class Constraints:
    """What a vague request requires; an empty set constrains nothing.

    ``years`` is an inclusive (first, last) range or ``None``; ``kids`` requires audience
    ``kids``; every set is "any of".
    """

    kinds: frozenset[str]
    moods: frozenset[str] = field(default_factory=frozenset)
    genres: frozenset[str] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)
    kids: bool = False
    years: tuple[int, int] | None = None

    @property
    def stated(self) -> bool:
        """Whether anything beyond the kind was asked for."""
        return bool(self.moods or self.genres or self.languages or self.kids or self.years)

    def allows(self, item: MediaItem) -> bool:
        return (item.kind in self.kinds
                and (not self.moods or not self.moods.isdisjoint(item.moods))
                and (not self.genres or not self.genres.isdisjoint(item.genres))
                and (not self.languages or item.language in self.languages)
                and (not self.kids or (item.audience == "kids" and not item.explicit))
                and (self.years is None or (item.year is not None and self.years[0] <= item.year <= self.years[1])))


_FILLER = re.compile(r"\b(?:to|for|some|something|music|songs?|tunes|the|a|me|while|with)\b|的|歌曲?|音乐|一些|一点|点|来|首")


def describes(term: str) -> bool:
    """Whether a would-be title is only description ("to focus", "news", "christmas", "轻松的"), nothing to look up."""
    rest = term.lower()
    for pattern, _, _ in _PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = _ERA.sub(" ", rest)
    return not _FILLER.sub(" ", rest).strip() and rest.strip() != term.lower().strip()


def _decade(match: re.Match[str]) -> int | None:
    if match.group(3):
        return _DECADE_WORDS[match.group(3)]
    digits = match.group(1)
    if digits:
        value = int(digits) if digits.isdigit() else (cn_number(digits) or 0)
        return (1900 if value >= 30 else 2000) + value
    value = int(match.group(2)) * 10
    return (1900 if value >= 30 else 2000) + value


def parse_constraints(text: str, family: str, slots: dict[str, str]) -> Constraints:
    """Constraints of a request from its words and the understanding layer's genre/mood/kind slots."""
    words = " ".join([text, *(str(v) for k, v in slots.items() if k in ("genre", "mood"))]).lower()
    found: dict[str, set[str]] = {"moods": set(), "genres": set(), "languages": set(), "audience": set(), "kinds": set()}
    for pattern, target, values in _PATTERNS:
        if pattern.search(words):
            found[target].update(values)
    kind = slots.get("kind")
    kinds = {kind} if kind else found["kinds"] & FAMILY_DEFAULT_KINDS.get(family, frozenset()) or found["kinds"]
    if family == "music":
        # A "story" or "radio" word inside a music request ("睡前故事" moods) does not turn it into audio.
        kinds = kinds & {"playlist"} or set(FAMILY_DEFAULT_KINDS["music"])
    era = _ERA.search(words)
    first = _decade(era) if era else None
    return Constraints(
        kinds=frozenset(kinds or FAMILY_DEFAULT_KINDS.get(family, FAMILY_DEFAULT_KINDS["music"])),
        moods=frozenset(found["moods"]),
        genres=frozenset(found["genres"]),
        languages=frozenset(found["languages"]),
        kids=bool(found["audience"]),
        years=(first, first + 9) if first else None,
    )


def recommend(items: Iterable[MediaItem], constraints: Constraints, recent: Sequence[str], queued: Iterable[str],
              allowed: Callable[[MediaItem], bool], limit: int = 20) -> list[MediaItem]:
    """Up to ``limit`` items satisfying every constraint, best first, avoiding recent plays and
    what the home's players have queued."""
    catalogue = {item.id: item for item in items}
    liked_artists: Counter[str] = Counter()
    liked_genres: Counter[str] = Counter()
    for item_id in recent:
        played = catalogue.get(item_id)
        if played:
            liked_artists.update(played.artist[:1])
            liked_genres.update(played.genres)
    total = sum(liked_genres.values()) or 1
    just_played, waiting = set(recent[:NO_REPEAT_WITHIN]), set(queued)
    fits = [item for item in catalogue.values()
            if constraints.allows(item) and allowed(item) and item.version == "original" and not item.adult]

    def score(item: MediaItem) -> float:
        tags = len(constraints.moods & set(item.moods)) + len(constraints.genres & set(item.genres))
        affinity = 0.15 * min(1.0, liked_artists[item.artist[0]] / 3) if item.artist else 0.0
        affinity += 0.1 * sum(liked_genres[g] for g in item.genres) / total
        return item.popularity / 100 + 0.05 * tags + affinity

    # Repeats only when nothing else fits: what just played last, what is already queued before it.
    return sorted(fits, key=lambda item: (item.id in just_played, item.id in waiting, -score(item), item.id))[:limit]
