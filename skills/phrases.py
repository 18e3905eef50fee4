"""What the device skills say, in Mandarin and English."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.devices import DeviceInfo
from skills.sdk import ActionStatus

ATTRIBUTE_WORDS = {
    "power": ("电源", "power"),
    "brightness": ("亮度", "brightness"),
    "color": ("颜色", "colour"),
    "color_temp": ("色温", "colour temperature"),
    "temperature": ("温度", "temperature"),
    "current_temperature": ("室温", "current temperature"),
    "humidity": ("湿度", "humidity"),
    "pm25": ("PM2.5", "PM2.5"),
    "mode": ("模式", "mode"),
    "fan_speed": ("风速", "fan speed"),
    "channel": ("频道", "channel"),
    "position": ("开合度", "position"),
    "volume": ("音量", "volume"),
    "lock": ("门锁", "lock"),
    "battery": ("电量", "battery"),
    "status": ("状态", "status"),
}

UNITS = {
    "brightness": ("%", "%"),
    "position": ("%", "%"),
    "temperature": ("度", " °C"),
    "current_temperature": ("度", " °C"),
    "color_temp": ("K", " K"),
    "humidity": ("%", "%"),
    "battery": ("%", "%"),
}

TYPE_WORDS = {
    "light": ("灯", "light"),
    "climate": ("空调", "air conditioner"),
    "cover": ("窗帘", "curtains"),
    "media_player": ("电视", "TV"),
    "fan": ("净化器", "purifier"),
    "vacuum": ("扫地机器人", "vacuum"),
    "water_heater": ("热水器", "water heater"),
    "lock": ("门锁", "lock"),
    "camera": ("摄像头", "camera"),
    "switch": ("开关", "switch"),
    "sensor": ("传感器", "sensor"),
}

VALUE_WORDS = {
    "red": "红色", "orange": "橙色", "yellow": "黄色", "green": "绿色", "cyan": "青色", "blue": "蓝色",
    "purple": "紫色", "pink": "粉色", "white": "白色",
    "cool": "制冷", "heat": "制热", "dry": "除湿", "fan": "送风", "auto": "自动", "sleep": "睡眠", "favorite": "喜爱",
    "low": "低速", "medium": "中速", "high": "高速", "quiet": "安静", "standard": "标准", "strong": "强力",
    "locked": "已上锁", "unlocked": "已打开", "docked": "在充电座上", "cleaning": "正在清扫", "returning": "正在回充",
}


def type_text(device_type: str, lang: str) -> str:
    zh, en = TYPE_WORDS.get(device_type, ("这个设备", "that device"))
    return zh if lang == "zh" else en


def compose(parts: list[str], lang: str, acknowledged: bool) -> str:
    """Join the task phrases into one answer; an acknowledged one starts with 好的 / OK."""
    parts = [p for p in parts if p]
    if lang == "zh":
        text = "".join(p if i == 0 or parts[i - 1].endswith(("？", "。", "！")) else "，" + p for i, p in enumerate(parts))
        return f"好的，{text}" if acknowledged else text
    sentences = [p[0].upper() + p[1:] for p in parts]
    text = " ".join(s if s.endswith(("?", ".")) else s + "." for s in sentences)
    return f"OK. {text}" if acknowledged else text


ACKNOWLEDGEMENTS = ("好的，", "OK. ")


def join_answers(parts: list[str], lang: str) -> str:
    """One answer from several tasks' answers: one "好的" / "OK" at the front, not one per task,
    and a question two tasks ask ("which one?") asked once."""
    parts = list(dict.fromkeys(p for p in parts if p))
    acknowledged = any(p.startswith(ACKNOWLEDGEMENTS) for p in parts)
    bare = [p.removeprefix(ACKNOWLEDGEMENTS[0]).removeprefix(ACKNOWLEDGEMENTS[1]) for p in parts]
    if acknowledged and not parts[0].startswith(ACKNOWLEDGEMENTS):
        return compose(parts, lang, acknowledged=False)  # a question or failure first: keep each as said
    return compose(bare, lang, acknowledged=acknowledged)


def name_of(device: DeviceInfo, lang: str) -> str:
    name = device.names.first(lang) or device.id
    return name if lang == "zh" else f"the {name}"


def names_of(devices: Iterable[DeviceInfo], lang: str, conjunction: str = "and") -> str:
    names = [name_of(d, lang) for d in devices]
    if lang == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def value_text(attribute: str, value: Any, lang: str) -> str:
    """A value as people say it: 26度 / 26 °C, 蓝色 / blue, 开着 / on."""
    zh = lang == "zh"
    if isinstance(value, bool):
        return ("开着" if value else "关着") if zh else ("on" if value else "off")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        return VALUE_WORDS.get(value, value) if zh else value
    unit = UNITS.get(attribute, ("", ""))[0 if zh else 1]
    return f"{value}{unit}"


def attribute_text(attribute: str, lang: str) -> str:
    zh, en = ATTRIBUTE_WORDS.get(attribute, (attribute, attribute))
    return zh if lang == "zh" else en


def done_text(command: str, device: DeviceInfo, changes: dict[str, Any], clamped: str, lang: str) -> str:
    """Confirmation of a change the device confirmed."""
    zh = lang == "zh"
    name = name_of(device, lang)
    if command in ("turn_on", "turn_off"):
        on = command == "turn_on"
        if device.type == "cover":
            return f"{name}已{'打开' if on else '关上'}" if zh else f"{name} {'opened' if on else 'closed'}"
        if device.type == "vacuum":
            if zh:
                return f"{name}{'开始清扫' if on else '正在回充'}"
            return f"{name} {'started cleaning' if on else 'is returning to its dock'}"
        return f"{name}已{'打开' if on else '关闭'}" if zh else f"{name} is {'on' if on else 'off'}"
    attribute = next((a for a in changes if a != "power"), "power")
    value = value_text(attribute, changes[attribute], lang)
    word = attribute_text(attribute, lang)
    if clamped:
        edge_zh, edge_en = ("最低", "minimum") if clamped == "min" else ("最高", "maximum")
        return f"{name}{word}已调到{edge_zh} {value}" if zh else f"{name} {word} set to its {edge_en}, {value}"
    if attribute == "lock":
        return f"{name}{value}" if zh else f"{name} is {value}"
    return f"{name}{word}已调到{value}" if zh else f"{name} {word} set to {value}"


def bulk_done_text(intent_name: str, count: int, lang: str) -> str:
    """One phrase for a command that every one of ``count`` devices confirmed."""
    verbs = {"device.turn_on": ("打开", "turned on"), "device.turn_off": ("关闭", "turned off")}
    zh, en = verbs.get(intent_name, ("调好", "adjusted"))
    return f"{count}个设备都已{zh}" if lang == "zh" else f"all {count} devices are {en}"


def failure_text(status: str, device: DeviceInfo, detail: str, lang: str) -> str:
    name = name_of(device, lang)
    if status == ActionStatus.TIMEOUT:
        return f"{name}没有响应" if lang == "zh" else f"{name} did not respond"
    if status == ActionStatus.REJECTED:
        return f"{name}不支持这个操作" if lang == "zh" else f"{name} can't do that"
    return f"{name}没能执行（{detail}）" if lang == "zh" else f"{name} could not do it ({detail})"


def unsupported_text(device: DeviceInfo, attribute: str, lang: str) -> str:
    name = name_of(device, lang)
    word = attribute_text(attribute, lang) if attribute else ""
    if lang == "zh":
        return f"{name}不支持调{word}" if word and attribute != "power" else f"{name}不支持这个操作"
    return f"{name} has no {word} setting" if word and attribute != "power" else f"{name} can't do that"


def bad_value_text(device: DeviceInfo, attribute: str, value: Any, options: Iterable[str], lang: str) -> str:
    name = name_of(device, lang)
    choices = names_sep(options, lang)
    if lang == "zh":
        return f"{name}的{attribute_text(attribute, lang)}不能设成{value_text(attribute, value, lang)}，可以选：{choices}"
    return f"{name} can't set {attribute_text(attribute, lang)} to {value}; choose {choices}"


def names_sep(words: Iterable[str], lang: str) -> str:
    words = [value_text("", w, lang) for w in words]
    return "、".join(words) if lang == "zh" else ", ".join(words)


def not_found_text(what: str, lang: str) -> str:
    return f"家里没有找到{what}" if lang == "zh" else f"I couldn't find {what} in your home"


def not_scheduled_text(when: str, lang: str) -> str:
    if lang == "zh":
        return f"我还不能定时控制设备（{when}），这次没有执行。到时候再跟我说一声吧"
    return f"I can't schedule device commands yet ({when}), so I didn't do it now. Ask me again then."


def which_one_text(candidates: Iterable[DeviceInfo], lang: str) -> str:
    names = names_of(candidates, lang, "or")
    return f"你想控制哪一个：{names}？" if lang == "zh" else f"Which one do you mean: {names}?"


def confirm_text(descriptions: Iterable[str], lang: str) -> str:
    what = ("、" if lang == "zh" else " and ").join(descriptions)
    return f"确定要{what}吗？" if lang == "zh" else f"Do you really want me to {what}?"


def describe_change(device: DeviceInfo, changes: dict[str, Any], lang: str) -> str:
    """A short description for a confirmation question: 打开门锁 / unlock the front door."""
    name = name_of(device, lang)
    if changes.get("lock") == "unlocked":
        return f"打开{name}" if lang == "zh" else f"unlock {name}"
    if changes.get("power") is False:
        return f"关闭{name}" if lang == "zh" else f"turn off {name}"
    if changes == {"power": True}:
        return f"打开{name}" if lang == "zh" else f"turn on {name}"
    attribute, value = next(iter(changes.items()))
    if lang == "zh":
        return f"把{name}的{attribute_text(attribute, lang)}调到{value_text(attribute, value, lang)}"
    return f"set {name} {attribute_text(attribute, lang)} to {value_text(attribute, value, lang)}"
