"""What kind of fact a question asks for, read from its shape: the answer's type and the units
that type is written in (“尘盒能装多少” → a capacity, in 毫升 / 升; “how loud” → a noise level, in
dB), whether it wants an extreme (“最多”, “at most”, “top”: the total, not a sub-limit), and,
for a yes/no question about a feature (“有没有新风功能”, “does it support Dolby Atmos”), the
words naming that feature.

The units let a passage that holds the asked quantity answer even when it words the question's
attribute differently (“能装多少灰” is answered by “尘盒容量：400 毫升”), and let the search
say honestly that the manuals never state it at all: a price where no price is printed, a
noise level in a manual without decibels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Asked", "asked_in"]

_NUM = r"\d(?:[\d.]*)\s*"
#: Chinese measure words: “几级” asks for a figure in 级.
_MEASURE = "(个|组|次|节|颗|种|档|级|位|把|张|路|挡|块|条)"
_DURATION = (rf"{_NUM}(?:个月|月|年|周|天|日|小时|分钟|秒|months?|years?|weeks?|days?|hours?|minutes?|seconds?"
             r"|h|min|s)(?![a-z])")


def _units(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


#: (kind, what a question of that kind says, what an answer of that kind holds), first match wins.
#: Questions and passages are normalised (lower case, NFKC: ℃ is °c, ㎡ is m2).
_KINDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (kind, re.compile(question), _units(answer)) for kind, question, answer in (
        ("price", r"多少钱|价格|价钱|售价|几块钱|多贵|贵不贵|(?<![a-z])(?:cost|costs|price|prices|priced|pay"
                  r"|how much (?:is|are|would|will) (?:an?|one|it|they|that|this|the)|how much for)(?![a-z])",
         rf"{_NUM}(?:元|块钱|rmb|yuan|usd|dollars?|euros?)|[¥$€£]\s*\d"),
        ("people", r"几个人|多少人|几口人|(?<![a-z])how many (?:people|persons)",
         rf"{_NUM}(?:(?:到|至|-|~|～)\s*\d+\s*)?(?:个人|人|people|persons)"),
        ("noise", r"噪音|噪声|吵|多响|分贝|(?<![a-z])(?:loud|noise|noisy|decibels?)(?![a-z])",
         rf"{_NUM}(?:db|分贝)"),
        ("pressure", r"吸力|水压|(?<![a-z])(?:suction|pressure)(?![a-z])", rf"{_NUM}(?:k?pa|mpa)(?![a-z])"),
        ("power", r"功率|多少瓦|几瓦|费电|耗电|用电|(?<![a-z])(?:watts?|wattage|power draw|draw|power consumption)(?![a-z])",
         rf"{_NUM}(?:k?w|瓦|千瓦|kwh|度电)(?![a-z])"),
        ("speed", r"多快|速度|转速|几转|多少转|(?<![a-z])(?:how fast|speed|rpm)(?![a-z])",
         rf"{_NUM}(?:cm/s|m/s|km/h|转/分|rpm|转)"),
        ("temperature", r"几度|多少度|温度|零下|多冷|多热|(?<![a-z])(?:temperature|how (?:hot|cold|warm)|degrees?|freezing)(?![a-z])",
         rf"-?{_NUM}(?:°c?|度)"),
        ("capacity", r"能装多少|装多少|多大容量|容量|几升|多少升|多少毫升"
                     r"|(?<![a-z])(?:capacity|hold|holds|litres?|liters?|storage)(?![a-z])",
         rf"{_NUM}(?:毫升|升|ml|l|litres?|liters?|公斤|kg|gb|tb)(?![a-z])"),
        ("weight", r"多重|重量|几斤|几公斤|多少公斤|承重|净重|(?<![a-z])(?:how heavy|weigh|weighs|weight)(?![a-z])",
         rf"{_NUM}(?:kg|公斤|千克|克|斤|g)(?![a-z])"),
        ("length", r"多长(?!时间)|多高|多宽|多远|多厚|尺寸|高度|长度|距离|面积|(?<![a-z])(?:how (?:tall|high|wide|far|thick)|"
                   r"how long (?:can|could|may) .{0,30}(?<![a-z])be(?![a-z])|size|dimensions?|length|height|distance)(?![a-z])",
         rf"{_NUM}(?:mm|cm|m|km|m2|毫米|厘米|米|公里|inch|inches|英寸|平方米|metres?|meters?|square)(?![a-z])"),
        ("interval", r"多久.{0,4}(?:换|清洗|清洁|擦|保养|一次|一回)|每隔多久|(?<![a-z])how often",
         rf"(?:每|每隔|周期|(?<![a-z])(?:every|each|interval|per))[^。;；.]{{0,12}}?{_DURATION}|{_NUM}(?:个月|月|年|周|months?|years?|weeks?)(?![a-z])"
         r"|每月|每周|每年|每天|monthly|weekly|daily|yearly"),
        ("time", r"多久|多长时间|几个月|几年|几天|几小时|几分钟|(?<![a-z])how long", _DURATION),
        ("count", rf"(?:几|多少){_MEASURE}|(?<![a-z])how many", r"\d"),
        ("number", r"多少|多大|多高|几|(?<![a-z])how (?:much|big)", r"\d"),
    ))

_MOST = re.compile(r"最多|最大|最高|最长|上限|至多|总共|一共|总数"
                   r"|(?<![a-z])(?:most|max|maximum|top|highest|up to|at most|in total|total)(?![a-z])")
_LEAST = re.compile(r"最少|最低|最小|最短|下限|至少|(?<![a-z])(?:least|min|minimum|lowest|at least)(?![a-z])")
#: A yes/no question about a feature: what follows "有没有" / "支持" / "does it have".
_FEATURE = re.compile(
    r"(?:有没有|支不支持|支持不支持|带不带|支持|带有|自带)(?P<zh>[^吗呢？?，,。]+)"
    r"|(?<![a-z])(?:have|has|support|supports|come with|comes with|include|includes)\s+(?!to\s)(?:an?\s+|any\s+|the\s+)?"
    r"(?P<en>[a-z0-9 -]+)")
_FEATURE_TAIL = re.compile(r"(?:功能|模式|的)+$")


@dataclass(frozen=True)
class Asked:
    """What a question asks for.

    ``kind`` is the answer's type (``price``, ``noise``, ``capacity``, ``time``…, ``number`` for
    a bare “how much”, empty when the shape says nothing) and ``units`` what an answer of that
    kind holds (``None`` when empty); ``extreme`` is ``max`` or ``min`` when the question wants
    the largest or smallest figure; ``feature`` the span naming the feature a yes/no question
    asks about (empty when it is no such question).
    """

    kind: str = ""
    units: re.Pattern[str] | None = None
    extreme: str = ""
    feature: str = ""

    @property
    def typed(self) -> bool:
        """Whether the kind names a measure with units of its own (not a bare number)."""
        return self.units is not None and self.units.pattern != r"\d"

    def held_by(self, text: str) -> bool:
        """Whether normalised ``text`` holds a figure of the asked kind."""
        return self.units is not None and self.units.search(text) is not None


def asked_in(question: str) -> Asked:
    """What normalised ``question`` asks for (see :class:`Asked`)."""
    kind, units = next(((k, u) for k, q, u in _KINDS if q.search(question)), ("", None))
    counted = re.search(f"(?:几|多少){_MEASURE}", question)
    if kind == "count" and counted:
        units = re.compile(rf"{_NUM}{counted.group(1)}")
    extreme = "max" if _MOST.search(question) else "min" if _LEAST.search(question) else ""
    feature = ""
    match = _FEATURE.search(question)
    if match:
        feature = _FEATURE_TAIL.sub("", (match.group("zh") or match.group("en") or "").strip())
    return Asked(kind, units, extreme, feature)
