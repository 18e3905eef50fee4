"""Text normalisation before understanding.

ASR output and typed text reach the rules in many shapes: full-width characters from
Chinese input methods, traditional characters (whisper emits 空調 for 空调 unless
prompted), fillers ("呃", "um"), punctuation and emoji. Everything downstream matches
against one canonical form, so it is produced here once:

* Unicode NFKC (full-width → half-width: ``２６`` → ``26``, ``Ｔｖ`` → ``Tv``),
* traditional → simplified for the characters a home assistant meets (a small table;
  a full converter such as OpenCC is not needed for device names and commands),
* lower-case English, curly quotes → ``'``,
* fillers removed (呃 嗯 那个 请 帮我 麻烦 · please uh um hey), and an English word said twice in a row
  once ("turn turn on the the light"),
* template and format noise removed ("{0.__class__}", "%s%n", "${x}"): it is never a value,
* clause punctuation (，。；！？ , ; ! ?) → a single ``,`` so the multi-command
  splitter can still see clause breaks; all other punctuation, symbols and emoji → removed,
  except ``.`` and ``:`` inside numbers (``26.5``, ``pm2.5``, ``6:30``), ``%``, ``°`` and apostrophes in words.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

_LOGGER = logging.getLogger(__name__)

#: Longest input we look at; anything beyond is not a voice command (and costs time).
MAX_CHARS = 400

# Traditional → simplified for characters seen in device commands, rooms and scenes.
_T2S_PAIRS = (
    "調调 燈灯 開开 關关 臥卧 廳厅 門门 鎖锁 簾帘 視视 機机 掃扫 熱热 電电 風风 溫温 點点 幾几 氣气 質质 頭头"
    " 監监 換换 設设 們们 時时 間间 書书 廚厨 臺台 檯台 衛卫 陽阳 兒儿 淨净 嗎吗 麼么 這这 個个 還还 離离 觀观"
    " 動动 態态 聲声 響响 覺觉 啟启 啓启 紅红 藍蓝 綠绿 黃黄 檔档 擋挡 鍋锅 飯饭 帶带 圍围 讓让 來来 節节 給给"
    " 幫帮 請请 煩烦 將将 為为 後后 並并 與与 兩两 萬万 億亿 數数 說说 別别 確确 認认 對对 沒没 錯错 現现 濕湿"
    " 溼湿 環环 燒烧 涼凉 強强 靜静 標标 準准 頂顶 護护 廁厕 計计 攝摄 進进 戶户 備备 從从 裡里 裏里 應应 該该"
    " 歡欢 樂乐 聽听 體体 驗验 東东 邊边 會会 問问 題题 號号 條条 畫画 鐘钟 鬧闹 麥麦 儀仪 線线 燈灯 亮亮 籠笼"
    " 彩彩 顏颜 藝艺 劇剧 務务 據据 處处 場场 態态 術术 車车 長长 門门 櫃柜 掛挂 沖冲 級级 檢检 測测 報报 紀纪"
    " 錄录 簡简 單单 輕轻 鬆松 舊旧 優优 範范 啦啦 嘛嘛 網网 絡络 連连 接接 斷断 隻只 壓压 濾滤 淨净 積积 讀读"
)
_T2S = {pair[0]: pair[1] for pair in _T2S_PAIRS.split()}
_T2S_TABLE = str.maketrans(_T2S)

_CLAUSE_MARKS = ",;!?，。；！？、\n\r\t|"

_ZH_FILLERS = re.compile(r"呃+|嗯+|额+|那个|麻烦你|麻烦|请你|请|帮我|帮忙|给我|小爱同学|小爱|灵犀灵犀|灵犀|小灵(?:小灵)?")
#: "把 bedroom 的 light 打开": 的 between English words joins them as the name they make ("bedroom light").
_EN_DE_EN = re.compile(r"(?<=[a-z]) ?的 ?(?=[a-z])")
_EN_FILLERS = re.compile(r"(?<![a-z'])(?:please|pls|plz|kindly|do the needful(?: and)?|uh+|um+|erm|hey|hi|ok lingxi|lingxi"
                         r"|could you|can you|would you)(?![a-z'])")
_SPACES = re.compile(r"\s+")
#: Format strings and template placeholders pasted or injected into a request; "%" stays only after a number.
_NOISE = re.compile(r"\{[^{}]{0,60}\}|\$\{[^{}]{0,60}\}|\$[a-z_]\w*|(?<!\d)(?<!\d )%(?:[a-z](?![a-z]))?")
_REPEATED_EN = re.compile(r"(?<![a-z'])([a-z']+)(?: \1)+(?![a-z'])")
#: "bump it up a couple degrees": two, as a number the rules read.
_A_COUPLE = re.compile(r"(?<![a-z])a couple(?: of)?(?![a-z])")
#: "关灯关灯", "起床了起床了": a phrase said twice is said once (single characters repeat in words: 看看, 谢谢).
_REPEATED_ZH = re.compile(r"([\u4e00-\u9fff]{2,6})\1+")
_COMMAS = re.compile(r"\s*(?:,\s*)+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a CJK ideograph."""
    return bool(_CJK.match(char))


def detect_lang(text: str) -> str:
    """``zh`` when the text holds any CJK ideograph, else ``en``.

    Mixed utterances ("把living room的灯打开") are Chinese sentences with English names,
    so any ideograph makes the utterance Chinese.
    """
    return "zh" if _CJK.search(text or "") else "en"


def _keep_char(text: str, i: int) -> str:
    """What character ``i`` of NFKC text becomes: itself, a clause comma, a space or nothing."""
    ch = text[i]
    if ch.isalnum() or is_cjk(ch) or ch in "%°":
        return ch
    if ch in _CLAUSE_MARKS:
        return ","
    if ch.isspace():
        return " "
    prev_c = text[i - 1] if i > 0 else ""
    next_c = text[i + 1] if i + 1 < len(text) else ""
    if ch == "." and prev_c.isdigit() and next_c.isdigit():
        return "."
    if ch == ":" and prev_c.isdigit() and next_c.isdigit():  # clock times: 6:30
        return ":"
    if ch == "." or ch == "。":
        return ","
    if ch == "'" and prev_c.isalpha() and next_c.isalpha():
        return "'"
    if ch in "-_/+&":
        return " "
    return ""


def normalize_text(text: str) -> str:
    """The canonical form of an utterance (see the module docstring)."""
    if not text:
        return ""
    if len(text) > MAX_CHARS:
        _LOGGER.debug("utterance of %d chars truncated to %d", len(text), MAX_CHARS)
        text = text[:MAX_CHARS]
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = _NOISE.sub(" ", text.translate(_T2S_TABLE).lower())
    text = "".join(_keep_char(text, i) for i in range(len(text)))
    text = _ZH_FILLERS.sub(" ", _EN_DE_EN.sub(" ", text)).replace("咋", "怎么")  # the spoken 咋 is 怎么 in every rule
    text = _EN_FILLERS.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _A_COUPLE.sub("two", _REPEATED_EN.sub(r"\1", text))
    text = _REPEATED_ZH.sub(r"\1", text)
    text = _CJK_GAP.sub("", text)
    text = _COMMAS.sub(", ", text)
    return text.strip(" ,")


@dataclass(frozen=True)
class NormalizedText:
    text: str
    lang: str


def normalize(text: str, lang: str | None = None) -> NormalizedText:
    """Normalise ``text`` and detect its language unless ``lang`` is given."""
    norm = normalize_text(text or "")
    return NormalizedText(norm, lang if lang in ("zh", "en") else detect_lang(norm))
