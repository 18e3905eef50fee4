"""Command words of the rules, zh and en, as compiled patterns.

Kept apart from the rule logic so the words can grow (new colours, dialects, phrasings)
without touching how a clause is read. Patterns run on normalised text (normalize.py):
simplified, lower-case, no punctuation except clause commas; device, room and type
names are already masked out with ``#`` (so 玄关 never reads as the verb 关).
English patterns use ``(?<![a-z])``/``(?![a-z])`` as word boundaries because Chinese
text has no spaces around embedded English.
"""

from __future__ import annotations

import logging
import re

from intents.slots.time import WHEN_SAID

_LOGGER = logging.getLogger(__name__)


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _w(words: str) -> str:
    """An English alternation with word boundaries."""
    return rf"(?<![a-z])(?:{words})(?![a-z])"


# ---- dialog (whole utterance) -------------------------------------------------------
_PARTICLES = "吧啊呀了啦哦喔嘛呗的哈噻咯喽哟呐撒"
#: Money: not a unit with a fixed factor (the unit skill says so instead of asking "which units?").
CURRENCY = _c(r"美元|美金|人民币|欧元|日元|英镑|港币|港元|韩元|汇率|"
              + _w("dollars?|usd|euros?|eur|yuan|rmb|cny|yen|jpy|pounds? sterling|gbp|exchange rates?"))
#: Two currencies, or a rate, in one request: a currency conversion, whatever the model says.
CURRENCY_CONVERSION = _c(rf"(?:{CURRENCY.pattern}).*(?:{CURRENCY.pattern})|汇率|" + _w("exchange rates?"))

_DISMISS = (r"取消|停|停止|别说了|闭嘴|退出|安静|结束|不聊了|没事|没事儿|没什么|没什么事|没有事|再见|拜拜|拜|退下|你退下|"
            r"你可以退下|下去吧|走开|不用了|没别的|就这样|就这些|别讲了|别念了|别读了|别唠叨了|够了|好了好了|行了行了|"
            r"stop|cancel|quit|exit|shut up|be quiet|forget it|abort|stop it|cancel that|never ?mind|nothing|"
            r"bye|bye bye|goodbye|good bye|see you|see ya|that's all|that is all|that's it|that will be all|"
            r"i'm done|i'm good|all done|dismiss|go away|nothing else")
#: Said after a dismissal ("that's all, thanks"), never one on its own (谢谢 alone is chat).
_THANKS = r"谢谢|谢谢你|多谢|谢了|thanks|thank you|thanks a lot"
#: A clause of courtesy alone ("谢谢啊", "pls thx") beside a request is part of it, not a chat of its own.
COURTESY = _c(rf"^(?:(?:{_THANKS}|麻烦你?了?|辛苦了?|拜托了?|你好|您好|please|pls|plz|thx|ty|cheers|ta|thank you kindly"
               r"|thank you so much|thanks so much|much appreciated|hello|hi there|hello there|hello dear|dear|good evening"
               r"|good afternoon|i wonder|i was wondering|if it isn't too much trouble|if it's not too much trouble"
               r"|if you don't mind|do the needful|kindly|请问|请问一下|打扰一下|问一下)"
               rf"[{_PARTICLES}, .]*)+$")
#: Thanks said after a request in the same clause ("desk lamp on pls thx").
TRAILING_THANKS_EN = _c(r"(?<=[a-z0-9%])(?:,? (?:thx|thanks|thank you|ty|cheers|thank you kindly|for me|can|can or not"
                        r"|lah|leh|lor|hor))+$")
DIALOG = (
    ("dialog.confirm", _c(rf"^(?:确定|确认|是|是的|对|对的|好|好的|好啊|可以|行|没问题|执行|同意|没错|确定执行|确认执行"
                          rf"|开吧|对就是|ok|okay|yes|yeah|yep|yup|sure|confirm|confirmed|do it|go ahead|correct"
                          rf"|right|affirmative|of course|yes do it|ok do it)[{_PARTICLES}]*$")),
    ("dialog.deny", _c(rf"^(?:不要|不用|不|不是|不对|算了|还是算了|别|别了|不行|不可以|否|不需要|先不要|先不用|不要了"
                       rf"|no|nope|nah|don't|do not|no thanks|no thank you|negative|not now"
                       rf"|don't do it)[{_PARTICLES}]*$")),
    # dismissals too: "没事", "再见", "退下", "never mind" end the conversation, they are not out of scope
    ("dialog.cancel", _c(rf"^(?:{_DISMISS})[{_PARTICLES}]*(?:[, ]*(?:{_DISMISS}|{_THANKS})[{_PARTICLES}]*)*$")),
)

# ---- scenes said naturally (whole clause) -------------------------------------------
# Matched against the clause with its final particles (了 啦 吧 …) removed.
_WE = r"(?:我|我们|俺|俺们|咱|咱们)?"
_WE_EN = r"(?:i'm|i am|we're|we are|were)"
SCENE_TRIGGERS = (
    ("sleep", _c(rf"^{_WE}(?:要|准备|想|该)?(?:去)?睡觉?(?:去)?$|^晚安$|^{_WE}(?:好)?困(?:死)?$"
                 rf"|^good ?night$|^night(?: night)?$|^nighty night$|^{_WE_EN} (?:going|off|heading) to (?:bed|sleep)(?: now)?$"
                 r"|^(?:going|off|heading) to bed$"
                 r"|^time (?:for bed|to sleep)$|^bed ?time$")),
    ("away", _c(rf"^{_WE}(?:要|准备)?(?:出门|出去|离家|去上班|上班去|离开)儿?$|^(?:我|我们|俺|俺们|咱|咱们)(?:要)?走$"
                rf"|^{_WE_EN} (?:leaving|heading out|going out|off)(?: now| home)?$|^leaving (?:now|home)$"
                r"|^(?:heading|going) out(?: now)?$|^off to work$")),
    ("home", _c(rf"^{_WE}(?:回来|到家|回家)$|^{_WE_EN} (?:home|back|back home)(?: now)?$")),
    ("movie", _c(rf"^{_WE}(?:要|想)?看(?:个|部)?电影$|^电影时间$"
                 r"|^movie (?:time|night)$|^(?:let's|i want to|i'd like to)? ?watch a movie$")),
    ("wake_up", _c(rf"^{_WE}起床$|^早上好$|^早安$|^good morning$|^{_WE_EN} (?:up|awake)$"
                   r"|^time to (?:get up|wake up)$")),
)
SCENE_ON = _c(r"打开|开启|切换|进入|启动|执行|启用|来个|设为|设置|开|" + _w("activate|turn on|switch to|start|enable|run|set"))
SCENE_OFF = _c(r"关闭|关掉|退出|取消|结束|停止|" + _w("turn off|deactivate|disable|stop|exit|cancel|end"))

# ---- power ----------------------------------------------------------------------------
ON_ZH = _c(r"打开|开启|启动|点亮|开开|拉开|升起|开始|启用|运行|通(?:一下|上)?电|上电|接通电源|整上|整起|弄上|搞起|开")
OFF_ZH = _c(r"关闭|关掉|关上|熄灭|拉上|合上|放下|降下|停止|停下|停掉|暂停|断(?:一下)?电|切断电源|断开电源|关|灭|停")
ON_EN = _c(_w("turn on|switch on|power on|open|start|activate|enable|light up|put on|raise|pull up"))
OFF_EN = _c(_w("turn off|switch off|power off|shut off|shut down|close|shut|stop|disable|deactivate|kill|draw"))
ON_EN_SPLIT = _c(r"(?<![a-z])(?:turn|switch|power|put)(?![a-z]).*(?<![a-z])on(?![a-z])")
OFF_EN_SPLIT = _c(r"(?<![a-z])(?:turn|switch|power)(?![a-z]).*(?<![a-z])off(?![a-z])")
#: "on the aircon", "please off the lights": on and off as verbs (Indian and Singaporean English).
VERB_ON_OFF_EN = _c(r"^(?:please |kindly |can |pls )?(on|off) (?=the |my |all |#)")
ON_EXPLICIT = _c(r"打开|开启|启动|" + _w("turn on|switch on|power on"))
SET_VERB = _c(r"调|设|换成|变成|改成|切换|弄成|开到|" + _w("set|change|make|switch|turn|put"))
VACUUM_ON = _c(r"扫地|扫一下|打扫|清扫|拖地|干活|" + _w("clean|cleaning|vacuum the|go|get going|get to work|do your thing"))
VACUUM_OFF = _c(r"回去充电|回充|充电|回到?充电座|回到?基站|回家|回去|"
                + _w("dock|go home|return|recharge|go charge|back home|send (?:it|them|the #+|#+) home"
                     "|back to (?:base|the dock|its dock|the charger)"))
#: Heat asked for by name: the air conditioner in its heating mode.
HEATING = _c(r"暖气|" + _w("heating"))
#: "what does the thermometer say": the reading the device shows.
_SAYS = r"what does (?:the |my )?{0} (?:say|read|show)|what is (?:the |my )?{0} (?:saying|reading|showing)"
READING_SAYS = _c(_w(_SAYS.format("#+")))
READING_SAYS_TEXT = _c(_w(_SAYS.format(r"[a-z][a-z ]*?")) + "$")
#: "我想看会儿电视", "could do with some telly": watching asks for the TV on.
WATCH_TV = _c(r"看(?:会儿|一会儿|一下|下)?#|" + _w("watch (?:some |a bit of )?(?:the )?#+"))
#: What is playing, asked of the song itself ("这歌叫什么名字来着", "what's this song").
NOW_PLAYING = _c(r"(?:这|那|刚才|现在)(?:首|个)?(?:歌|曲子|音乐)(?:的名字)?(?:叫|是)(?:什么|啥)|(?:这|现在)(?:首)?歌?是?谁唱的|"
                 + _w("what(?:'s| is) (?:this|that) (?:song|track|tune)|what song is (?:this|that|playing)|who sings this"))
#: A reading of the home, never a quantity to convert ("温度是多少" with no number said).
READING_WORDS = _c(r"温度|湿度|室温|电量|" + _w("temperature|humidity|battery"))
#: An elliptical turn: the last order again, on the devices named ("and the kitchen one", "what about the bedroom",
#: "the bedroom too", "还有厨房的", "卧室的呢", "卧室也"). What is left once the names are masked must be these words.
ELLIPSIS = {
    "zh": _c(r"^(?:还有|那|那么)?[#\s]+(?:的)?(?:也是|也要|也|呢|的呢)?[吧啊呀]?$"),
    "en": _c(r"^(?:(?:and|also|and also|what about|how about|same for|same with|now) )?(?:the |my )?[#\s]+"
             r"(?: ones?)?(?: too| as well| please)?$"),
}
#: Said first or last, these make a bare name elliptical; a name said alone ("厨房") stays unread.
ELLIPSIS_MARK = _c(r"^(?:还有|那|那么)|(?:也是|也要|也|呢)[吧啊呀]?$|"
                   + _w("^(?:and|also|and also|what about|how about|same for|same with)|(?:too|as well|ones?)$"))
#: Words that open an English turn without being part of it ("ok resume", "right, I'm off to bed").
OPENERS_EN = _c(r"^(?:ok|okay|alright|all right|right|so|now|well)(?:,? )(?=[a-z])")
#: Locking up the house is locking its door ("lock up", "锁好门" needs no name of the lock).
LOCK_UP = _c(r"^(?:把门)?锁(?:好|上)?门$|" + _w("^lock (?:up|everything up|the house|it all up)$"))
UNLOCK = _c(r"开锁|解锁|打开|开门|开|" + _w("unlock|open"))
LOCK = _c(r"锁|关|" + _w("lock|close|shut"))

# ---- queries --------------------------------------------------------------------------
# A question never acts, whatever verb it holds ("卧室灯开着不", "哪个灯开着", "is the curtain left closed").
#: A state said ("好多灯开着", "客厅灯一直亮着"): answered as a question alone, only the reason beside a command.
STATE_SAID_ZH = _c(r"(?<!让)(?<!就)(?<!先)(?:开|关|亮|锁|黑)着$")
QUERY_ZH = _c(r"(?:吗|嘛|么|没有?|没得|呢|不)$|好多(?:度|了)?$"
              r"|多少|几度|几级|怎么样|咋样|如何|是否|是不是|有没有|什么|状态|查一下|查询"
              r"|开着没|开没开|关没关|锁没锁|哪|有几|几[个盏扇台把道]|干嘛|在做什么|在干什么|多[重大长久高宽远厚亮]|啥|怎么还")
QUERY_EN = _c(r"(?:^|, )(?:(?:and|so|ok|okay|also|but|then) )?"
              r"(?:is|are|was|were|did|does|do|have|has|what|what's|whats|how|how's|hows|which|any|check|who|who's|why|"
              r"how come|"
              r"tell me|show me|see if|is there|are there)(?![a-z])|" + _w("status|state of|how much|how many"))
#: A state said back as a statement is a question in speech ("the tv is still on?", "the door, it is locked?"):
#: the question mark is gone by now, and an imperative never says "is on". "make sure the door is locked" asks
#: for a change, so it is left to the other readings.
QUERY_EN_STATEMENT = _c(r"(?<![a-z])(?:is|are|'s)(?: (?:still|already|left|now|all|both))* "
                        r"(?:on|off|open|opened|closed|shut|locked|unlocked|running|playing)(?![a-z])")
NOT_QUERY_EN_STATEMENT = _c(_w("make sure|ensure|keep|leave|let|so that|until|while|when|if"))
#: A request put politely as a question ("能把灯打开吗", "把卧室的灯打开好吗") is a command: these go first.
POLITE_ZH = _c(r"^(?:你)?(?:能不能|可不可以|能否|可否|能|可以)(?:帮我|给我)?(?P<ask>.+?)(?:吗|嘛|么)?$")
POLITE_ZH_TAIL = _c(r",?\s*(?:好吗|好不好|好嘛|行吗|行不行|可以吗|成吗|谢谢你?|谢了)$")
#: Every device, not every one of a kind: "除了X其他都关了" borrows X's kind, "everything except the tv" does not.
EVERYTHING = _c(r"一切|所有东西|所有设备|全部设备|所有电器|全部电器|" + _w("everything|all devices|every device|all the devices"))
#: A repair names the target again: "is the telly on... the tv I mean", "打开卧室灯，我是说客厅灯".
REPAIR = _c(r"我是说|我说的是|我指的是|不对是|(?<=[,，])\s*(?:不对|不是|哦不)[,，]|"
            + _w("i mean|i meant|sorry i mean|no i mean|no wait|wait no|(?<=, )no(?=, )|(?<=, )actually(?=, )"))
#: Which/how-many questions about a type ask about the whole home unless a room is said.
QUERY_WHICH = _c(r"哪|有几|几[个盏扇台把道]|" + _w("which|how many|any"))
# Said alone, these are questions ("pm2.5?"); 温度 alone is not (it starts "温度再低两度").
QUERY_BARE = _c(r"^(?:pm ?2\.?5|空气质量|湿度|室温|air quality|humidity|indoor temperature)$")
#: A reading named beside a place and nothing else asks for it ("humidity in the living room", "客厅湿度"):
#: no verb, no value. The place is masked to "#" by then.
READING_ONLY = _c(r"^(?:#|the|in|of|at|now|right now|current|现在|目前|的|里|,|\s)*"
                  r"(?:湿度|温度|室温|空气质量|空气|pm ?2\.?5|电量|电池电量|电池|humidity|temperature|temp|air quality|battery(?: level)?)"
                  r"(?:#|the|in|of|at|now|right now|现在|的|里|,|\s)*$")
#: What a question about the time or the date says one way or another; without any, "is it raining" is not one.
TIME_WORDS = _c(r"时间|几点|点钟|点了|钟|日期|几号|几月|星期|周几|礼拜|今天|明天|昨天|后天|前天|日子|报个时|报时|"
                + _w("time|clock|date|day|days|today|tomorrow|yesterday|hour|o'clock|monday|tuesday|wednesday|thursday"
                     "|friday|saturday|sunday|week|month|year|now"))
NOT_HOME_QUERY = _c(r"天气|明天|今天|" + _w("weather|tomorrow|today"))
#: Outdoors: a reading asked there comes from an outdoor sensor (or the answer says the home has none).
OUTDOORS = _c(r"室外|户外|外面|屋外|" + _w("outside|outdoors?"))
#: "设的多少度", "what is it set to": the set point, not the measured temperature.
SET_POINT = _c(r"设的|设定|设置的|设了|调的|调到了|定的|目标温度|" + _w("set to|set at|setting|target"))
QUERY_ATTRIBUTES = (
    ("pm25", _c(r"pm ?2\.?5|空气|雾霾|" + _w("air quality|pollution|air|pm"))),
    ("humidity", _c(r"湿度|潮湿|干燥|" + _w("humidity|humid"))),
    ("battery", _c(r"电量|电池|多少电|剩.{0,2}电|没电|" + _w("battery|charge"))),
    ("lock", _c(r"锁|" + _w("locked|unlocked|lock"))),
    ("brightness", _c(r"亮度|多亮|" + _w("brightness|bright"))),
    ("color", _c(r"颜色|什么色|啥色|" + _w("colou?r"))),
    ("volume", _c(r"音量|声音|" + _w("volume|loud"))),
    ("mode", _c(r"模式|" + _w("mode"))),
    ("fan_speed", _c(r"风速|风量|" + _w("fan speed"))),
    ("temperature", _c(r"温度|水温|室温|气温|多少度|几度|好多度|冷不冷|热不热|多热|多冷|冷吗|热吗|"
                       + _w("temperature|temp|hot|cold|warm|degrees|set to"))),
    ("position", _c(r"开了多少|拉开了|开合|" + _w("position|open|closed"))),
    ("power", _c(r"开着|关着|亮着|黑着|开了|关了|开没开|关没关|在运行|在工作|打开|关闭|开启|" + _w("on|off|running"))),
)

# ---- attributes, values, directions ---------------------------------------------------
ATTRIBUTE_WORDS = (
    ("color_temp", _c(r"色温|" + _w("colou?r temperature|colou?r temp"))),
    ("brightness", _c(r"亮度|" + _w("brightness"))),
    ("temperature", _c(r"温度|" + _w("temperature|temp"))),
    ("volume", _c(r"音量|声音|" + _w("volume|sound"))),
    ("fan_speed", _c(r"风速|风量|风力|档位|档|吸力|" + _w("fan speed|speed|suction"))),
    ("mode", _c(r"模式|" + _w("mode"))),
    ("position", _c(r"开合度|位置|" + _w("position"))),
    ("color", _c(r"颜色|" + _w("colou?r"))),
    # no demo device has channels; named, so "换到CCTV5" is answered as unsupported, not read as volume 5
    ("channel", _c(r"频道|换台|台(?=\s*$)|cctv|" + _w("channel"))),
)
COLOR_TEMP_VALUES = (
    ("warm", _c(r"暖光|暖色|暖白|暖黄|" + _w("warm white|warm light|warm"))),
    ("cool", _c(r"冷光|冷色|冷白|" + _w("cool white|cold white|cool light|cold light|daylight"))),
)
_COLORS = (("red", "红"), ("orange", "橙"), ("yellow", "黄"), ("green", "绿"), ("cyan", "青"), ("blue", "蓝"),
           ("purple", "紫"), ("pink", "粉"), ("white", "白"))
COLOR_VALUES = tuple(
    (en, _c(rf"{zh}(?:色|光|颜色)|(?:成|为|到){zh}|" + _w(en + ("|violet" if en == "purple" else ""))))
    for en, zh in _COLORS
)
MODE_VALUES = (
    ("heat", _c(r"制热|暖风|热风|加热|" + _w("heat|heating|heat mode|warm mode"))),
    ("dry", _c(r"除湿|抽湿|" + _w("dry|dehumidify|dehumidifying"))),
    ("fan", _c(r"送风|通风|" + _w("fan only|fan mode"))),
    ("sleep", _c(r"睡眠|" + _w("sleep"))),
    ("favorite", _c(r"喜爱|最爱|收藏|" + _w("favorite|favourite"))),
    ("auto", _c(r"自动|智能|" + _w("auto|automatic"))),
    ("cool", _c(r"制冷|冷风|" + _w("cool|cooling|cool mode"))),
)
FAN_SPEED_VALUES = (
    ("high", _c(r"高速|高档|高风|强风|大风|高|" + _w("high|max|maximum|turbo"))),
    ("medium", _c(r"中速|中档|中风|中|" + _w("medium|mid|middle"))),
    ("low", _c(r"低速|低档|低风|弱风|小风|低|" + _w("low|minimum|min"))),
    ("auto", _c(r"自动|" + _w("auto|automatic"))),
    ("quiet", _c(r"静音|安静|" + _w("quiet|silent"))),
    ("standard", _c(r"标准|" + _w("standard|normal"))),
    ("strong", _c(r"强力|强劲|最强|" + _w("strong|powerful"))),
)
#: When a device lacks the canonical speed, the nearest of its own options.
FAN_SPEED_ALIASES = {"high": ("strong",), "low": ("quiet",), "medium": ("standard",), "strong": ("high",),
                     "quiet": ("low",), "standard": ("medium",)}

# Attribute implied by the direction word itself (亮一点 → brightness).
DIRECTION_WORDS = (
    ("brightness", "up", _c(r"调亮|更亮|亮一?点|亮些|再亮|亮一些|" + _w("brighter|brighten|brightness up"))),
    ("brightness", "down", _c(r"调暗|更暗|暗一?点|暗些|再暗|暗一些|" + _w("dimmer|darker|dim|dim down"))),
    ("temperature", "up", _c(r"热一?点|暖一?点|暖和|升温|" + _w("warmer|hotter"))),
    ("temperature", "down", _c(r"冷一?点|凉一?点|凉快|降温|" + _w("cooler|colder"))),
    ("volume", "up", _c(r"大声|" + _w("louder"))),
    ("volume", "down", _c(r"小声|" + _w("quieter|softer"))),
    (None, "up", _c(r"调高|升高|提高|加大|调大|开大|增加|高一?点|大一?点|高些|大些|再高|再大|高|大|加"
                    + "|" + _w("up|higher|increase|raise|more"))),
    (None, "down", _c(r"调低|降低|减小|调小|关小|减少|低一?点|小一?点|低些|小些|再低|再小|低|小|减|降"
                      + "|" + _w("down|lower|decrease|reduce|less"))),
)
#: How it feels, said instead of a command ("有点热", "it's too dark in here"): the device type,
#: attribute and direction that put it right (adjusting a light or an air conditioner that is off
#: switches it on). A whole clause only, so 热水器 or 热门歌曲 never match.
_FEEL_ZH = r"^我?(?:觉得)?(?:有点儿?|有些|好|太|真|很|特别|非常|超)?{}(?:死|极)?了?$"
_FEEL_EN = (r"^(?:it'?s|it is|i'?m|i am|its|is|are|it'?s getting|getting)?\s*"
            r"(?:(?:a bit|a little|so|too|way|really|very|kind of|pretty|rather)\s+)*"
            r"{}(?:\s+(?:in )?here)?$")
FEEL_MARK = _c(r"太|有点|有些|好|真|很|特别|非常|超|" + _w("too|so|a bit|a little|really|very|is|are|it'?s"))
FEELINGS = (
    ("climate", "temperature", "down", _c(_FEEL_ZH.format("热") + "|" + _FEEL_EN.format("(?:hot|warm|boiling)"))),
    ("climate", "temperature", "up", _c(_FEEL_ZH.format("冷") + "|" + _FEEL_EN.format("(?:cold|chilly|freezing)"))),
    ("light", "brightness", "up", _c(_FEEL_ZH.format("暗") + "|" + _FEEL_EN.format("dark"))),
    ("light", "brightness", "down", _c(_FEEL_ZH.format("(?:亮|刺眼)") + "|" + _FEEL_EN.format("bright"))),
    ("media_player", "volume", "down", _c(_FEEL_ZH.format("吵") + "|" + _FEEL_EN.format("(?:loud|noisy)"))),
)
#: When a device command is to happen ("十五分钟后", "晚上十一点", "in 10 minutes", "at 11 pm"): not a value
#: (晚上十一点关灯 is not brightness 11). 一点 alone is "a little", never one o'clock.
#: The time phrase of a device command: kept with the other time words (intents/slots/time.py).
WHEN = WHEN_SAID
MUTE = _c(r"静音|声音关(?:掉|了|上)?|关(?:掉|了|上)?声音|" + _w("mute|turn (?:the )?sound off|turn off the sound"))
EXCEPT = {"zh": _c(r"除了|除开|除去"), "en": _c(_w("except for|except|but not|other than|apart from"))}
EXCEPT_END = _c(r"以外|之外|外|都|,|其他|其余")
#: A lock verb said of "it" ("ok now lock it again", "再把它锁上"): the lock of the turn before.
LOCK_IT = _c(r"(?:把它|它)(?:锁上|锁好|锁了)|" + _w("lock (?:it|them)"))
#: "开一点", "关一点", "close it a bit more" with nothing named: a step of the last device's opening.
STEP_OPENING = {"zh": _c(r"^(?:再|稍微|稍稍)?(?:(?P<on>开|拉开)|(?P<off>关|拉上|合上))(?:一点|一些|点儿|一点点)(?:吧|儿)?$"),
                "en": _c(r"^(?:(?P<on>open)|(?P<off>close|shut))(?: it)?(?: a (?:bit|little|touch))(?: more)?$")}
A_LITTLE = _c(r"一点|一些|点儿|" + _w("a bit|a little|slightly|partway|part of the way"))
EXTREMES = (("up", _c(r"最亮|最大|最高|" + _w("max|maximum|full|highest|brightest|loudest"))),
            ("down", _c(r"最暗|最小|最低|" + _w("min|minimum|lowest|dimmest|quietest"))))
SET_MARK = _c(r"(?:到|至|成|为)\s*$|" + r"(?<![a-z])(?:to|at)\s*$")
SCOPE_ALL = _c(r"所有|全部|全都|都|一切|全(?=[关开打拉合灭])|" + _w("all|every|everything|everywhere|both"))

# ---- splitting multi-command utterances ----------------------------------------------
CONNECTORS = {
    "zh": _c(r"\s*(?:,\s*)?(?:然后再|然后|并且|而且|同时|接着|之后|还有|顺便|以及|再|和|并|,)\s*"),
    "en": _c(r"\s*(?:,\s*)?(?:(?<![a-z])(?:and then|and also|after that|then|also|and)(?![a-z])|,)\s*"),
}

#: Two orders run together without a connector ("打开空调关掉空调", "打开客厅灯关闭卧室灯"): a power verb that
#: starts again right after a device word, with its own device after it.
_DEVICE_END = "灯调视帘器机锁头座扇锅煲"
_POWER_ZH = "打开|开启|关掉|关闭|关上|拉开|拉上"
VERB_RESTART_ZH = _c(rf"(?<=[{_DEVICE_END}])(?=(?:再|然后)?(?:{_POWER_ZH})[^,]*?[{_DEVICE_END}])")
STARTS_WITH_POWER_ZH = _c(rf"^(?:把|先)?(?:{_POWER_ZH})")
PARTICLES_TAIL = _c(rf"[{_PARTICLES}]+$")

#: Rooms people have that a home may not: said with a command, they must not fall back to the
#: speaker's room ("turn on the garage light" in a home without a garage is answered, not guessed).
OTHER_ROOMS = _c(
    r"车库|阁楼|地下室|花园|院子|客房|餐厅|储藏室|衣帽间|走廊|"
    + _w("garage|attic|basement|garden|yard|guest room|dining room|pantry|laundry room|corridor")
)

#: "In here", "这屋": the speaker's own room.
HERE = {"zh": _c(r"这里|这儿|这边|这屋子?|这间屋子?|这个屋子?|这间房间?|这个房间|这房间|屋里|房间里"),
        "en": _c(_w("in here|here|in this room|this room|in this one room"))}

#: Verbless English commands: the target, then on/off ("kitchen lights on", "bedroom lamp off").
TAIL_EN = _c(r"#\s*,?\s*(on|off)(?=\s*(?:$|now|please|again|too|thanks|in |at |for ))")
#: A clause that is only a power verb ("然后关掉", "and then off"): it acts on the previous clause's device.
BARE_POWER = {"zh": _c(r"^(?:再|又|就|还是|那就|那)?(?:把它|给)?(?:关掉|关上|关了|关闭|关|打开|开开|开启)(?:一下|吧|了)*$"),
              "en": _c(r"^(?:turn |switch )?(?:it |them )?(?:off|on)(?: again)?$")}

#: Playback on a named player ("TV下一首", "暂停TV", "skip song on the TV"): media.control, never its volume or power.
MEDIA_CONTROL = (
    ("previous", _c(r"上一首|上一曲|上一集|上一个|前一首|" + _w("previous|go back|last song|back one"))),
    ("next", _c(r"下一首|下一曲|下一集|下一个|切歌|切了|切掉|换一首|换首歌|跳过|" + _w("next|skip"))),
    ("resume", _c(r"继续播放|继续放|接着放|接着播|恢复播放|继续|" + _w("resume|continue|unpause|carry on|keep playing|play on"))),
    ("pause", _c(r"暂停|" + _w("pause"))),
    ("stop", _c(r"停止播放|别放了|不放了|" + _w("stop (?:the )?(?:music|playing|playback|video|song)"))),
)

#: A control word beside these is for a player even when no media device is named ("客厅音箱上一首",
#: "stop the music please", "play the next song on the bedroom speaker"): speakers are players, not devices.
PLAYER_WORDS = _c(r"音箱|音响|音乐|歌|曲子|" + _w("speakers?|music|songs?|tracks?|tunes?|playback|playlist|album|playing"))
#: English playback words inside a Mandarin sentence ("帮我 pause 一下") name the player's control on their own.
EN_CONTROL_IN_ZH = _c(_w("pause|resume|skip|next song|previous song|stop the music"))

#: "Turn it off" names its device by reference; the dialog fills it in from the session.
PRONOUN = _c(r"它们|它|这个|那个|" + _w("it|them|that|this one"))
