"""Questions a product manual answers, told apart from questions about a device's state.

"空调开着吗" and "what's the living room temperature" read the device; "空调的适用面积是多少",
"what is the CADR of the air purifier" and "扫地机报E2是什么意思" are the manual's. The tell is
a concept no device state has (a spec, a part, maintenance, a fault code, a price, a capability),
asked as a question; or a trouble question ("why…", "正常吗", "what happens if…"); or a fault told
as a statement ("窗帘电机的红灯一直闪", "the tv keeps shutting itself off"). The device the question
names only says which manual: none of these ever changes a device.
"""

from __future__ import annotations

import re

#: Specs, parts, maintenance, faults, capabilities and set-up: what manuals say and no device reports.
_CONCEPTS_ZH = re.compile(
    r"滤网|滤芯|边刷|主刷|滚刷|尘盒|水箱|什么电池|几号电池|电池型号|换电池|类型|功率|额定|电压|电流|适用面积|面积|刷新率|分辨率|接口|容量|尺寸|重量|多重|承重|"
    r"噪音|噪声|分贝|多响|多吵|吵|距离|多远|寿命|保修|价格|多少钱|型号|故障|错误码|报错|代码|意思|安装|清洗|清洁|保养|维护|"
    r"更换|换一次|多久换|充满|续航|密码|指纹|镁棒|除垢|螺栓|转速|显色|推荐|建议|说明书|配网|蓝牙|存储|内存卡|能录|录像|吸力|"
    r"自清洁|勿扰|支持|兼容|材质|防水|规格|参数|能带|带多|最高|最大|最多|几个|几颗|几次|几年|多少年|怎么用|如何使用|怎么设置|"
    r"怎么连接|怎么重置|恢复出厂|重置|品牌|厂家|工厂|生产的|门槛|剪短|能剪|烧满|加热要|过热|几种颜色|安装高度|装多高|"
    r"功能|几级|等级|级别|合适|一般|通常|正常情况|多快|速度|能装|装多少|多少升|待机|耗电|费电|功耗|电费|零下|低温|高温|"
    r"工作温度|环境温度|能[^，,]{0,3}多[久长]|撑多[久长]|遥控器|配件|多宽|多厚|钻|爬|转起来|运转|运行时|工作时|干活|"
    r"效果|好不好用|好用吗|耐用|多少寸|英寸|能[^，,]{0,4}多少|干嘛的|干什么用|什么用|啥用|区别|用什么|用哪|该用|应该用|准吗|准不准|精度|"
    r"(?:看|听|装|带|拉|推|扫|洗|烧|用|爬|钻|录|存|连)得(?:清|见|到|下|动|了|住|过|进)|安全吗|安不安全|多少电|用电|耗电量"
)
_CONCEPTS_EN = re.compile(
    r"(?<![a-z])(?:filters?|brush(?:es)?|dust ?bin|tank|type|power|wattage|watts?|rated|voltage|coverage|area|"
    r"refresh rate|resolution|ports?|hdmi|capacity|size|dimensions?|weight|weigh|load|noise|noisy|loud|quiet|decibels?|db|range|"
    r"distance|lifespan|life|warranty|price|cost|model|error|code|mean|install|clean|maintain|maintenance|replace|"
    r"how often|charge|charging|runtime|password|fingerprint|suction|lumens?|luminous|flux|leds?|schedules?|cadr|"
    r"manual|support|supports|compatible|waterproof|spec|specs|specifications?|maximum|max|minimum|pair|reset|factory|"
    r"bluetooth|wi-?fi|storage|sd card|record|setup|set up|pin|parental|program|material|brand|manufacturer|"
    r"night vision|in the dark|threshold|trim|heaviest|how far|remote|batteries|(?:what|which|kind of|type of) battery|"
    r"battery life|handle|heavy|how long (?:does|do|will|would) .{0,40} last|(?:have|has|come with) (?:a|an|any)|"
    r"built-?in|features?|sleep timer|options|how (?:big|heavy|fast|much water)|draw|top speed|max speed|spin speed|"
    r"temperature range|operating temperature|below (?:freezing|zero)|typically|usually|normally|safe|4k|8k|hdr|1080p|"
    r"fingerprints|codes|models|filters|accurate|accuracy|difference|what is .{1,30} for|what's .{1,30} for)(?![a-z])"
)
_FAULT_CODE = re.compile(r"(?<![A-Za-z0-9])[EeFfHhPp]\s?-?\d{1,2}(?![0-9])")
#: "吵不吵", "费不费电": a question asked by repeating the word (not "开不开", which asks the state).
_A_NOT_A = re.compile(r"([^开关\W\d])不\1")
_QUESTION_ZH = re.compile(r"[吗呢？?]|多少|多[久长重大高宽厚远快响]|几|什么|啥|干嘛|怎么|怎样|如何|哪|能否|能不能|可不可以|是否|有没有")
_QUESTION_EN = re.compile(
    r"\?|^(?:(?:and|so|ok|okay|then|but|also|um|uh|hey),? )?"
    r"(?:what|how|why|which|when|where|who|can|could|does|do|is|are|should|will)(?![a-z])"
)
#: Questions about trouble or about what a product does, whatever they name: the manual's.
_TROUBLE_ZH = re.compile(
    r"为什么|为啥|咋回事|怎么回事|咋了|怎么了|是咋|啥情况|什么情况|正常吗|正常不|是不是坏|坏了吗|坏没坏|怎么办|咋办|咋整|咋弄|"
    r"怎么弄|怎么搞|怎么操作|得怎么|要怎么|怎么那么|怎么这么|咋这么|咋那么|会不会|啥意思"
)
_TROUBLE_EN = re.compile(
    r"(?<![a-z])(?:why|what happens|what's going on|what is going on|what does (?:that|this|it) mean|what's that|"
    r"what is that|is (?:it|that|this) (?:normal|broken|ok|okay|safe)|did i break|do i (?:have|need) to|"
    r"how do i|how can i|how to|what should i do)(?![a-z])"
)
#: A fault told as a statement: something a device did that it should not have.
_SYMPTOM_ZH = re.compile(
    r"闪|[红黄橙]灯|滴水|漏水|渗水|离线|掉线|断网|连不上|不好使|不管用|不灵|失灵|没反应|不响应|不动了|不转了|卡住|卡死|"
    r"坏了|异响|怪声|报警|不出风|不出水|不加热|不制冷|不制热|不工作|罢工|自己(?:关|开|停|断|亮|灭)|死机|发烫|冒烟|异味|"
    r"不接着|充不进|打不开|关不掉|关不了|开不了|用不了|不能用|卡在|被卡|黑屏|花屏|不亮了|没声音|没画面|乱响|响个不停|一直响|"
    r"自己(?!来|去)|突然|莫名其妙|无缘无故|老是|总是|经常|动不动|时不时|嘀|哔|[一老]直叫|乱叫|叫个不停|嗡嗡|吱吱|就停了|停住了|"
    r"不走了|出热风|吹热风|出冷风|吹冷风|不凉|不热|不显示|没显示|没有?(?:声音|画面|反应|信号)|滴滴|臭|味道|报错|故障|"
    r"[调开关设连充用转拉打动升降听看找回识认](?:不了|不到|不上|不动|不起来|不进去|不懂|不见|不清|不回|不出)"
)
_SYMPTOM_EN = re.compile(
    r"(?<![a-z])(?:blink(?:s|ed|ing)|flash(?:es|ed|ing)|beep(?:s|ed|ing)|keeps|kept|stuck|won't|can't|cannot|"
    r"couldn't|doesn't (?:work|respond|turn|do|start|charge|connect)|didn't|isn't \w+ing|aren't \w+ing|not working|"
    r"stopped|quit (?:working|responding|on)|broke|broken|offline|disconnect(?:s|ed)|glow(?:s|ed|ing)?|leak(?:s|ed|ing)|"
    r"drip(?:s|ped|ping)|went (?:red|off|out|dim|dark|orange|yellow|black)|by itself|on its own|suddenly|"
    r"(?:light|led) is (?:solid|red|orange|yellow|flashing|blinking)|flicker(?:s|ed|ing)?|buzz(?:es|ed|ing)|"
    r"hum(?:s|med|ming)|click(?:s|ed|ing)|making (?:a |an )?(?:\w+ )?(?:noise|sound)|weird|strange|smells?|smelly|"
    r"odou?rs?|blowing (?:warm|hot|cold)|no (?:sound|picture|signal)|error|errors|leaking|dripping|overheat(?:s|ed|ing)?)(?![a-z])"
)
#: "can't you turn the light on" is a request, "I can't hear the tv" a feeling: neither is a fault.
_NOT_A_FAULT_EN = re.compile(r"(?<![a-z])(?:(?:can't|won't|couldn't) you|i (?:can't|cannot|couldn't) (?:hear|see))(?![a-z])")
#: A question stays one about the state even with a concept word: "现在多少度", "is it on", "还能用多久".
_STATE_ZH = re.compile(
    r"现在|目前|当前|开着|关着|开了|关了|状态|温度是|湿度是|亮度是|音量是|在放|还有|还剩|剩余|剩下|电量|还能[^，,]{0,4}多|还要多"
)
_STATE_EN = re.compile(
    r"(?<![a-z])(?:right now|currently|status|state|is it on|is it off|turned on|turned off|left|remaining|"
    r"(?<!noise )(?<!sound )level)(?![a-z])"
)


_PRONOUN = re.compile(r"它|这个|这台|这款|音箱|(?<![a-z])(?:it|its|this one|this|speakers?)(?![a-z])")
#: Appliances a home may have without a device here or a manual: "咱家冰箱…", "our dehumidifier".
_APPLIANCES = re.compile(
    r"冰箱|洗碗机|除湿机|加湿器|油烟机|烟机|微波炉|烤箱|咖啡机|电水壶|烧水壶|电饭煲|饮水机|净水器|干衣机|烘干机|电风扇|风扇|"
    r"(?<![a-z])(?:fridge|refrigerator|freezer|dishwasher|dehumidifier|humidifier|range hood|cooker hood|microwave|oven|"
    r"coffee (?:machine|maker)|kettle|rice cooker|dryer|water purifier|fan|(?:the|our|my) lock)(?![a-z])"
)


#: "扫地机能拖地吗", "can the curtain motor handle…": what a device can do, not what it is doing.
_CAPABILITY_ZH = re.compile(r"能|可以|会|支持")
_CAPABILITY_EN = re.compile(r"^(?:can|could|does|do|will|would)(?![a-z])|(?<![a-z])(?:able to|capable)(?![a-z])")
#: "能帮我看看空调吗", "can you check the tv": a request to look, not a question about the product.
_ASKS_ME = re.compile(r"帮|麻烦|请|(?<![a-z])(?:you|please)(?![a-z])")


def asks_what_it_can_do(text: str, lang: str) -> bool:
    """Whether a question about a device (no state named) asks what it can do."""
    lowered = text.lower()
    can = _CAPABILITY_ZH if lang == "zh" else _CAPABILITY_EN
    return bool(can.search(lowered)) and not _ASKS_ME.search(lowered)


#: "扫地机能不能拖地", "空调可以调到16度吗": the device asked what it can do, not told to do it; "能把空调
#:调到16度吗", "你能开一下灯吗", "can you turn it on" are requests.
_CAN_IT_ZH = re.compile(r"能不能|可不可以|能否|会不会|(?:能|可以|会)[^，,]*(?:吗|几|多少|什么|哪)")
_REQUEST_ZH = re.compile(r"^(?:能|可以|可不可以|你|您)|把|帮|请|麻烦|给我|一下|一点|一些|点儿")
_CAN_IT_EN = re.compile(r"^(?:can|could|will|does|do) (?:the|my|our|it|this|that)(?![a-z])")
#: "can the lights be a bit brighter": a request put as a question.
_REQUEST_EN = re.compile(
    r"(?<![a-z])(?:you|please|a bit|a little|brighter|dimmer|louder|quieter|softer|warmer|cooler|higher|lower|more|less)(?![a-z])"
)


def asks_if_it_can(text: str, lang: str) -> bool:
    """Whether a sentence that reads as a command to a device asks instead whether the device can do it."""
    lowered = text.lower().strip()
    if lang == "zh":
        return bool(_CAN_IT_ZH.search(lowered)) and not _REQUEST_ZH.search(lowered)
    return bool(_CAN_IT_EN.search(lowered)) and not _REQUEST_EN.search(lowered)


#: "如果我把空调关了它还会除湿吗", "if I turn off the camera does it still record": what would happen,
#: asked; the command inside the condition is never carried out. A time before 以后 ("十分钟以后关灯") is a delay.
_WHAT_IF_ZH = re.compile(r"如果|要是|假如|万一|的话|了[^，,]{0,8}再|(?<![钟时秒天点半儿周月年])(?:以后|之后)")
_ASKED_AFTER_ZH = re.compile(r"吗|会不会|能不能|是不是|多久|多长|几|怎么|什么|啥|要不要|呢")
_POLITE_ZH = re.compile(r"好吗|好不好|可以吗|行吗|行不行|帮|请|麻烦")
_WHAT_IF_EN = re.compile(
    r"^(?:if|when|whenever|after|once|while) (?:i|we|you|it|the|my|our|someone|somebody|there)(?![a-z])|"
    r"^(?:turning|switching|opening|closing|unplugging|leaving) "
)
_ASKED_AFTER_EN = re.compile(
    r"(?<![a-z])(?:does|do|did|will|would|can|could|should|is|are) (?:it|that|this|the|they|i|we|my|our)(?![a-z])|\?$"
)


def asks_what_if(text: str, lang: str) -> bool:
    """Whether ``text`` asks what happens under a condition (a command inside it is only the condition)."""
    lowered = text.lower().strip()
    if lang == "zh":
        condition = _WHAT_IF_ZH.search(lowered)
        return bool(condition and _ASKED_AFTER_ZH.search(lowered, condition.end())) and not _POLITE_ZH.search(lowered)
    condition = _WHAT_IF_EN.search(lowered)
    return bool(condition and _ASKED_AFTER_EN.search(lowered, condition.end()))


def refers_to_a_product(text: str) -> bool:
    """A fault code, "它/it", the speaker itself, or a household appliance ("our dehumidifier", "冰箱"),
    which may have no device here: a product the question means."""
    lowered = text.lower()
    return bool(_FAULT_CODE.search(text) or _PRONOUN.search(lowered) or _APPLIANCES.search(lowered))


def asks_the_manual(text: str, lang: str) -> bool:
    """Whether ``text`` (normalised, lower-case for en) is a question a product manual answers."""
    if _FAULT_CODE.search(text):
        return True
    if lang == "zh":
        if _TROUBLE_ZH.search(text):
            return True
        asked = _QUESTION_ZH.search(text) or _A_NOT_A.search(text)
        return bool(asked and _CONCEPTS_ZH.search(text) and not _STATE_ZH.search(text))
    lowered = text.lower().strip()
    if _TROUBLE_EN.search(lowered):
        return True
    return bool(_QUESTION_EN.search(lowered) and _CONCEPTS_EN.search(lowered) and not _STATE_EN.search(lowered))


def describes_a_fault(text: str, lang: str) -> bool:
    """Whether ``text`` tells of a fault ("扫地机一直闪红灯", "the tv keeps shutting itself off"): a
    question to the manual even without a question word, and never a command to the device named."""
    if lang == "zh":
        return bool(_SYMPTOM_ZH.search(text))
    lowered = text.lower()
    return bool(_SYMPTOM_EN.search(lowered)) and not _NOT_A_FAULT_EN.search(lowered)


def about_a_product(text: str, lang: str) -> bool:
    """A manual question, a fault told, or whether a product can do something."""
    return (asks_the_manual(text, lang) or describes_a_fault(text, lang) or asks_if_it_can(text, lang)
            or asks_what_if(text, lang))


#: "那水箱呢", "what about the remote", "and its filter?": a question that leans on the one before.
_ELLIPSIS = re.compile(r"呢[？?]?$|^那|(?<![a-z])(?:what about|how about|and (?:the|its|it))(?![a-z])")


def leans_on_the_turn_before(text: str) -> bool:
    """"那它的电池呢", "what about its battery": an ellipsis that asks the last turn's question again of something else."""
    return bool(_ELLIPSIS.search(text.lower()))


def follows_up_on_a_product(text: str, lang: str, *, loose: bool) -> bool:
    """Whether ``text`` asks the manual about the product just talked about ("那它的水箱呢", "what
    about its remote"). ``loose``: nothing else was understood, so a manual question is enough; else
    it must also lean on the turn before (an ellipsis or "它/it"), as "what about autumn" after a poem
    does not."""
    if not asks_the_manual(text, lang):
        return False
    return loose or bool(_ELLIPSIS.search(text.lower()) or _PRONOUN.search(text.lower()))
