"""Questions a product manual answers, told apart from questions about a device's state.

"空调开着吗" and "what's the living room temperature" read the device; "空调的适用面积是多少",
"what is the CADR of the air purifier" and "扫地机报E2是什么意思" are the manual's. The tell is
a concept no device state has (a spec, a part, maintenance, a fault code, a price), asked as
a question; the device the question names only says which manual.
"""

from __future__ import annotations

import re

#: Specs, parts, maintenance, faults and set-up: what manuals say and no device reports.
_CONCEPTS_ZH = re.compile(
    r"滤网|滤芯|边刷|主刷|滚刷|尘盒|水箱|什么电池|几号电池|电池型号|换电池|类型|功率|额定|电压|电流|适用面积|面积|刷新率|分辨率|接口|容量|尺寸|重量|多重|承重|"
    r"噪音|噪声|分贝|多响|多吵|距离|多远|寿命|保修|价格|多少钱|型号|故障|错误码|报错|代码|意思|安装|清洗|清洁|保养|维护|"
    r"更换|换一次|多久换|充满|续航|密码|指纹|镁棒|除垢|螺栓|转速|显色|推荐|建议|说明书|配网|蓝牙|存储|内存卡|能录|吸力|"
    r"自清洁|勿扰|支持|兼容|材质|防水|规格|参数|能带|带多|最高|最大|最多|几个|几颗|几次|几年|多少年|怎么用|如何使用|怎么设置|"
    r"怎么连接|怎么重置|恢复出厂|重置|材质|品牌|厂家|工厂|生产的|门槛|剪短|能剪|烧满|加热要|过热|几种颜色|安装高度|装多高"
)
_CONCEPTS_EN = re.compile(
    r"(?<![a-z])(?:filters?|brush(?:es)?|dust ?bin|tank|type|power|wattage|watts?|rated|voltage|coverage|area|"
    r"refresh rate|resolution|ports?|hdmi|capacity|size|dimensions?|weight|weigh|load|noise|noisy|loud|decibels?|db|range|"
    r"distance|lifespan|life|warranty|price|cost|model|error|code|mean|install|clean|maintain|maintenance|replace|"
    r"how often|charge|charging|runtime|password|fingerprint|suction|lumens?|luminous|flux|leds?|schedules?|cadr|"
    r"manual|support|supports|compatible|waterproof|spec|specs|specifications?|maximum|max|minimum|pair|reset|factory|"
    r"bluetooth|wi-?fi|storage|sd card|record|setup|set up|pin|parental|program|material|brand|manufacturer|"
    r"night vision|in the dark|threshold|trim|heaviest|how far)(?![a-z])"
)
_FAULT_CODE = re.compile(r"(?<![A-Za-z0-9])[EeFfHhPp]\s?-?\d{1,2}(?![0-9])")
_QUESTION_ZH = re.compile(r"[吗呢？?]|多少|多[久长重大高宽厚远快响]|几|什么|怎么|怎样|如何|哪|能否|能不能|可不可以|是否|有没有")
_QUESTION_EN = re.compile(r"\?|^(?:what|how|why|which|when|where|who|can|could|does|do|is|are|should|will)(?![a-z])")
#: A state question stays one even with a concept word: "现在多少度", "is it on".
_STATE_ZH = re.compile(r"现在|目前|当前|开着|关着|开了|关了|状态|温度是|湿度是|亮度是|音量是|在放|还有|还剩|剩余|剩下|电量")
_STATE_EN = re.compile(
    r"(?<![a-z])(?:right now|currently|status|state|is it on|is it off|turned on|turned off|left|remaining|level)(?![a-z])"
)


_PRONOUN = re.compile(r"它|这个|这台|这款|音箱|(?<![a-z])(?:it|its|this one|this|speakers?)(?![a-z])")


def refers_to_a_product(text: str) -> bool:
    """A fault code, "它/it", or the speaker itself (not a device of the home): a product the question means."""
    return bool(_FAULT_CODE.search(text) or _PRONOUN.search(text.lower()))


def asks_the_manual(text: str, lang: str) -> bool:
    """Whether ``text`` (normalised, lower-case for en) is a question a product manual answers."""
    if _FAULT_CODE.search(text):
        return True
    if lang == "zh":
        return bool(_QUESTION_ZH.search(text) and _CONCEPTS_ZH.search(text) and not _STATE_ZH.search(text))
    lowered = text.lower().strip()
    return bool(_QUESTION_EN.search(lowered) and _CONCEPTS_EN.search(lowered) and not _STATE_EN.search(lowered))
