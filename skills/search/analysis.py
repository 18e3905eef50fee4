"""The one text analyser of the search layer, used for documents and queries alike.

Backends never analyse text themselves: the embedded index and Elasticsearch both receive
the space-joined tokens made here and split them on whitespace, so a query scores the same
terms on either. The steps: Unicode NFKC (full-width letters and digits, ``℃``), traditional
to simplified Chinese, lower case, then jieba's search-mode segmentation for runs of Chinese
(a long word also yields the shorter dictionary words inside it, so 扫地机器人 matches 机器人)
and words for everything else. Codes and model numbers stay whole (``e1``, ``kfr-35gw``)
and also yield their parts (``kfr``, ``35gw``), so both exact and partial mentions match.
English words lose a plural ``s`` so "filters" finds "filter". The result is deterministic.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["analyse", "normalise", "pinyin_key", "tokens"]

_LOGGER = logging.getLogger(__name__)

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-./][a-z0-9]+)*")
_PART = re.compile(r"[-./]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
#: hanziconv's own mistakes, fixed here: it turns 濾 (filter) into 泸 and the simplified 呼 into 唿.
_T2S_FIXES = {"濾": "滤", "呼": "呼"}

#: Function words that only add noise to BM25, on both sides of the match.
_STOP_ZH_WORDS = "的 了 吗 呢 吧 啊 呀 么 和 与 及 或 请 您 你 我 它 这 那 个 一下 这个 那个 是 在 有"
_STOP_ZH = frozenset(_STOP_ZH_WORDS.split())
_STOP_EN_WORDS = (
    "a an the is are was were be been am of to in on at for from by with and or as it its it's this that these "
    "those i me my we our you your do does did can could should would will shall what which who how when where "
    "why there their they them he she his her than then so if not no any some about into please"
)
_STOP_EN = frozenset(_STOP_EN_WORDS.split())

#: Product words the general jieba dictionary splits badly; more specific words win.
_DOMAIN_WORDS = (
    "扫地机", "扫地机器人", "扫拖机器人", "滤网", "过滤网", "滤芯", "净化器", "空气净化器", "热水器", "电热水器",
    "洗衣机", "门锁", "指纹锁", "摄像头", "灯带", "台灯", "护眼灯", "吸顶灯", "音箱", "温湿度计", "窗帘电机",
    "智能插座", "插座", "配网", "童锁", "镁棒", "防烫", "勿扰", "回充", "续航", "尘盒", "水箱", "边刷", "主刷",
    "拖布", "漏电保护", "运输螺栓", "筒自洁", "自清洁", "出厂设置", "恢复出厂设置", "故障代码", "保修", "防冻结",
    "充电座", "越障", "出水量", "临时密码", "机械钥匙", "应急接口", "夜视", "云台", "存储卡", "休眠",
    "挂机", "柜机", "遥控器", "化霜", "冷媒", "排水泵", "进水阀", "安全阀", "预约", "脱水", "洗涤剂",
)


def _stem(word: str) -> str:
    """Harman's S-stemmer: plural forms only, so the stems stay real words."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


class _Segmenter:
    """A private jieba tokenizer: the domain words do not leak into other users of jieba."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokenizer: Any = None

    def cut(self, text: str) -> list[str]:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter goes to stderr
                    tokenizer = jieba.Tokenizer()
                    for word in _DOMAIN_WORDS:
                        tokenizer.add_word(word, freq=50000)
                    tokenizer.initialize()
                    self._tokenizer = tokenizer
                    _LOGGER.debug("jieba segmenter ready with %d domain words", len(_DOMAIN_WORDS))
        return list(self._tokenizer.cut_for_search(text))


_SEGMENTER = _Segmenter()


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """NFKC, simplified Chinese, lower case, thousands separators removed (``4,380`` → ``4380``)."""
    from hanziconv import HanziConv

    text = unicodedata.normalize("NFKC", text)
    if _CJK_RUN.search(text):
        converted = HanziConv.toSimplified(text)
        if len(converted) == len(text):
            converted = "".join(_T2S_FIXES.get(o, c) for o, c in zip(text, converted))
        text = converted
    return _THOUSANDS.sub("", text.lower())


def _words(run: str) -> list[str]:
    out: list[str] = []
    for match in _WORD.finditer(run):
        word = match.group(0).strip(".")
        parts = [p for p in _PART.split(word) if p]
        if len(parts) > 1:
            out.append(word)
            out.extend(parts)
        else:
            out.append(word)
    return [_stem(w) for w in out if w not in _STOP_EN]


def tokens(text: str) -> list[str]:
    """The analysed tokens of ``text``, in order (repeats kept: they count in BM25)."""
    text = normalise(text)
    out: list[str] = []
    pos = 0
    for match in _CJK_RUN.finditer(text):
        out.extend(_words(text[pos:match.start()]))
        out.extend(w for w in _SEGMENTER.cut(match.group(0)) if w not in _STOP_ZH)
        pos = match.end()
    out.extend(_words(text[pos:]))
    return out


def analyse(text: str) -> str:
    """``tokens(text)`` joined by single spaces: what a whitespace tokenizer indexes."""
    return " ".join(tokens(text))


@lru_cache(maxsize=4096)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of the Chinese in ``text`` (other characters kept), for matching names
    through recognition errors that keep the sound: 扫地鸡 and 扫地机 share ``sao di ji``."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(normalise(text)))
