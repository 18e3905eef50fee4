"""A small bilingual glossary of product and manual words, for questions asked in the other
language than the manual's (an English question about a Chinese manual and the reverse).

The e5 vectors carry some meaning across languages; this list makes the words that decide an
answer (the product, the part, the property asked for) match lexically too: a question's
glossary words bring their translations into the BM25 query and into the check that a passage
really speaks about what was asked. Entries marked ``product`` name a kind of product: they
route a question to the manuals whose title names that product, and tell an honest "no manual
for that" when the home has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["GLOSSARY", "Term", "find_terms", "mentions"]


@dataclass(frozen=True)
class Term:
    """One concept: its Chinese and English words (first = the name to speak).

    ``product`` marks a kind of product; ``action`` a verb or question-shaped word (replace,
    clean, meaning) that a paraphrase may leave out of the passage that answers.
    """

    zh: tuple[str, ...]
    en: tuple[str, ...]
    product: bool = False
    action: bool = False

    def words(self, lang: str) -> tuple[str, ...]:
        return self.zh if lang == "zh" else self.en


def _t(zh: str, en: str, product: bool = False, action: bool = False) -> Term:
    return Term(tuple(zh.split("|")), tuple(en.split("|")), product, action)


def _a(zh: str, en: str) -> Term:
    return _t(zh, en, action=True)


GLOSSARY: tuple[Term, ...] = (
    # Products (the demo home's, then common ones a home may lack).
    _t("扫地机器人|扫地机|扫拖机器人|扫地机器", "robot vacuum|vacuum cleaner|vacuum|robot cleaner|roomba", True),
    _t("空气净化器|净化器", "air purifier|purifier", True),
    _t("空调|挂机|柜机", "air conditioner|air conditioning|aircon|ac", True),
    _t("摄像头|摄像机|监控", "security camera|camera|webcam", True),
    _t("吸顶灯", "ceiling light", True),
    _t("窗帘电机|窗帘", "curtain motor|curtain|blind", True),
    _t("护眼台灯|台灯|护眼灯", "desk lamp|reading lamp", True),
    _t("门锁|指纹锁|智能锁", "door lock|smart lock|lock", True),
    _t("灯带", "light strip|led strip|strip light", True),
    _t("智能插座|插座", "smart plug|plug|socket", True),
    _t("智能音箱|音箱", "smart speaker|speaker", True),
    _t("温湿度计|温度计|湿度计", "temperature and humidity monitor|thermometer|hygrometer|humidity sensor", True),
    _t("电视机|电视", "tv|television", True),
    _t("洗衣机", "washing machine|washer", True),
    _t("热水器", "water heater|boiler", True),
    _t("洗碗机", "dishwasher", True),
    _t("冰箱", "fridge|refrigerator", True),
    _t("微波炉", "microwave", True),
    _t("烤箱", "oven", True),
    _t("空气炸锅", "air fryer", True),
    _t("加湿器", "humidifier", True),
    _t("除湿机", "dehumidifier", True),
    _t("电风扇|风扇", "electric fan|fan heater", True),
    _t("吹风机", "hair dryer", True),
    _t("投影仪", "projector", True),
    _t("咖啡机", "coffee machine", True),
    _t("抽油烟机|油烟机", "range hood|cooker hood|extractor hood", True),
    _t("燃气灶|灶具", "gas stove|hob|cooktop", True),
    _t("净水器", "water purifier|water filter", True),
    _t("电饭煲|电饭锅", "rice cooker", True),
    # Parts, properties and actions manuals speak of.
    _t("滤网|过滤网|滤芯", "filter"),
    _a("更换|换", "replace|replacement|change"),
    _a("清洁|清洗|擦拭|冲洗", "clean|cleaning|wash"),
    _t("保修", "warranty|guarantee"),
    _t("重量|净重|多重|承重|能带", "weight|weigh|heavy|carry"),
    _t("负载|负荷|最大负载", "load|maximum load"),
    _t("刷新率", "refresh rate|hz"),
    _t("拾音距离|拾音", "pickup range|pick up"),
    _t("录像|能录|录制", "recording|record"),
    _t("噪音|噪声", "noise|noisy|loud"),
    _t("额定功率|功率", "rated power|power consumption|wattage"),
    _t("电池", "battery"),
    _t("续航", "battery life|runtime|run time|run|full charge|last"),
    _t("充电时间|充电", "charging time|charge|charging"),
    _t("充电座", "charging dock|dock|base station"),
    _t("故障代码|故障|报错|代码", "error code|error|fault|code"),
    _a("含义|意思", "meaning|mean"),
    _a("处理方法|怎么办", "what to do|fix"),
    _t("配网|配对|联网", "pairing|pair|connect|wi-fi setup"),
    _t("恢复出厂设置|出厂设置|复位", "factory reset|reset"),
    _t("童锁", "child lock"),
    _t("定时", "timer"),
    _t("预约", "schedule|scheduled"),
    _t("温度", "temperature"),
    _t("湿度", "humidity"),
    _t("水箱", "water tank|tank"),
    _t("尘盒", "dust bin|dustbin"),
    _t("边刷", "side brush"),
    _t("主刷", "main brush|roller brush"),
    _t("拖布|拖地", "mop|mopping"),
    _t("吸力", "suction"),
    _t("睡眠模式|睡眠", "sleep mode|sleep"),
    _a("安装", "install|installation|mount"),
    _t("尺寸", "size|dimension"),
    _t("容量", "capacity"),
    _t("电压", "voltage"),
    _t("密码", "password|passcode|pin"),
    _t("指纹", "fingerprint"),
    _t("机械钥匙|钥匙", "mechanical key|key"),
    _t("夜视", "night vision"),
    _t("存储卡", "memory card|sd card|microsd"),
    _t("分辨率", "resolution"),
    _t("亮度", "brightness"),
    _t("色温", "colour temperature|color temperature"),
    _t("音量", "volume"),
    _t("蓝牙", "bluetooth"),
    _t("遥控器", "remote control|remote"),
    _t("指示灯", "indicator|led"),
    _t("门槛", "threshold|door sill"),
    _t("越障高度|越障", "climbing height|obstacle"),
    _t("适用面积|面积", "room size|area|square metre"),
    _t("镁棒", "magnesium rod|anode"),
    _t("自清洁", "self-clean|self-cleaning"),
    _t("化霜|除霜", "defrost"),
    _t("冷媒", "refrigerant"),
    _t("排水", "drain"),
    _t("脱水", "spin"),
    _t("洗涤剂|洗衣液", "detergent"),
    _t("运输螺栓", "transport bolt|shipping bolt"),
    _t("过热保护|过热", "overheat|overheating"),
    _t("离线", "offline"),
    _t("墙壁开关", "wall switch"),
    _t("夜灯", "night light"),
    _t("勿扰", "do not disturb|quiet hours"),
    _t("电源适配器|适配器", "power adapter|adapter"),
    _a("延长", "extend|extension"),
    _t("长度", "length"),
    _t("距离|多远", "distance|how far"),
    _t("压缩机", "compressor"),
    _t("屏幕", "screen|display"),
    _t("待机", "standby"),
    _t("功耗|耗电", "power consumption|consumption"),
    _t("速度", "speed"),
    _t("快洗", "quick wash"),
    _t("指纹容量", "fingerprint capacity"),
    _a("剪", "cut|cutting"),
    _t("进水", "water inlet|water supply"),
    _t("温度范围", "temperature range"),
    _t("防烫", "scald protection|anti-scald"),
    _t("临时密码", "temporary password|temporary code"),
    _t("型号|机型", "model|model number"),
    _t("锁定|锁住|锁死", "locked out|lockout|lock out|locks up"),
    _t("无线网络|无线网|无线", "wi-fi|wifi|wlan|wireless"),
    _t("频段", "ghz|gig|gigahertz|band"),
    _t("洗浴|洗澡|淋浴", "shower|bath|bathing"),
    _t("小时", "hour"),
    _t("个月", "month"),
    _t("分钟", "minute"),
)


@cache
def _pattern(word: str) -> re.Pattern[str]:
    if re.search(r"[\u4e00-\u9fff]", word):
        return re.compile(re.escape(word))
    # English words match whole, with a plural or a verb ending (extend → extended).
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?:s|es|d|ed|ing)?(?![a-z0-9])")


def mentions(text: str, word: str) -> bool:
    """Whether normalised ``text`` contains ``word`` (whole English words, any Chinese substring)."""
    return _pattern(word).search(text) is not None


def find_terms(text: str, *, products: bool | None = None) -> list[tuple[Term, str, tuple[tuple[int, int], ...]]]:
    """Glossary terms normalised ``text`` mentions: each with its first word found and every span
    it covers; longer words win over the words inside them ("full charge" is not also
    "charge"). ``products`` keeps only product terms (True) or only the others (False)."""
    spans = []
    for term in GLOSSARY:
        if products is not None and term.product != products:
            continue
        for word in term.zh + term.en:
            spans += [(m.start(), m.end(), term, word) for m in _pattern(word).finditer(text)]
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int]] = []
    found: dict[Term, list[tuple[int, int, str]]] = {}
    for start, end, term, word in spans:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        found.setdefault(term, []).append((start, end, word))
    ordered = sorted(found.items(), key=lambda f: min(s for s, _, _ in f[1]))
    return [(term, min(hits)[2], tuple((s, e) for s, e, _ in hits)) for term, hits in ordered]
