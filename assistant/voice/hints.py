"""The home's words as recognition hints, and transcripts made fit for understanding.

Whisper follows its prompt closely: a prompt in simplified Chinese keeps the output simplified,
and one that names the home's devices and shows the shape of a command moves "大开我去的登"
towards "打开卧室的灯". :func:`prompt_for` builds that prompt from the home (one name per device,
rooms, a few commands made from the home's own devices). :func:`normalize_transcript` turns
what whisper writes into text for the understanding layer (simplified characters, no
surrounding punctuation or spaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from domain.home import Home

_TRIM = re.compile(r"^[\s,.!?;:，。！？；：、…\"'“”]+|[\s,.!?;:，。！？；：、…\"'“”]+$")
_ZH_INNER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")

_SENTENCE = re.compile(r"[^.!?。！？]+[.!?。！？]*")
_KEY = re.compile(r"[\W_]+")
#: Two sentences this alike (difflib ratio over letters) are one said twice.
_ECHO_RATIO = 0.75

_INTRO = {"zh": "以下是普通话的智能家居语音指令。设备：", "en": "Smart home voice commands. Devices: "}
_SEPARATOR = {"zh": "、", "en": ", "}


@dataclass(frozen=True)
class Hints:
    """What the recogniser is told about one home, per language."""

    home_id: str
    prompts: dict[str, str]
    #: Shorter prompts (the example commands only) for partial transcripts: a preview is worth
    #: less than the final, and the full prompt costs the decoder ~200 tokens every time.
    preview_prompts: dict[str, str] = field(default_factory=dict)

    def prompt(self, lang: str) -> str:
        return self.prompts.get(lang, "")


def _first(names: tuple[str, ...]) -> str | None:
    return names[0] if names else None


def _examples(home: Home, lang: str) -> list[str]:
    """Three commands made from the home's own devices: on, off, and a setting."""
    lights = [d for d in home.devices.values() if d.type == "light" and "power" in d.capabilities]
    others = [d for d in home.devices.values() if d.type not in ("light", "sensor") and "power" in d.capabilities]
    examples = []
    if lights:
        name = lights[0].names.first(lang)
        examples.append(f"打开{name}。" if lang == "zh" else f"Turn on the {name}.")
    if len(lights) > 1:
        name = lights[-1].names.first(lang)
        examples.append(f"关闭{name}。" if lang == "zh" else f"Turn off the {name}.")
    if others:
        name = others[0].names.first(lang)
        examples.append(f"把{name}关掉。" if lang == "zh" else f"Switch off the {name}.")
    return examples


def prompt_for(home: Home, lang: str) -> str:
    """The initial prompt for ``lang``: devices of the home, then example commands (< ~200 tokens)."""
    names: list[str] = []
    for device in home.devices.values():
        name = _first(device.names.zh if lang == "zh" else device.names.en)
        if name and name not in names:
            names.append(name)
    body = _SEPARATOR[lang].join(names) + ("。" if lang == "zh" else ". ")
    examples = ("" if lang == "zh" else " ").join(_examples(home, lang))
    return (_INTRO[lang] + body + examples).strip()


def build_hints(home: Home) -> Hints:
    langs = ("zh", "en")
    previews = {lang: ("" if lang == "zh" else " ").join(_examples(home, lang)) for lang in langs}
    return Hints(home.id, {lang: prompt_for(home, lang) for lang in langs}, previews)


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (whisper writes 空調 as often as 空调)."""
    from hanziconv import HanziConv

    return str(HanziConv.toSimplified(text))


def drop_echoes(text: str) -> str:
    """Whisper base, given a window longer than the speech, often says the command again with a
    slip ("Turn on the living room light. Turn off the living rooms light.", "打开客厅主灯。打开客厅主灯。")
    or starts to ("… Turn on"). A sentence that is nearly one already heard, or the start of one,
    is an echo: executing it would repeat, or worse reverse, what was asked."""
    kept: list[str] = []
    for sentence in _SENTENCE.findall(text):
        key = _KEY.sub("", sentence.lower())
        if not key:
            continue
        if any(_similar(key, _KEY.sub("", k.lower())) for k in kept):
            continue
        kept.append(sentence)
    return "".join(kept).strip() if kept else text


def _similar(key: str, earlier: str) -> bool:
    return earlier.startswith(key) or SequenceMatcher(None, key, earlier).ratio() >= _ECHO_RATIO


def normalize_transcript(text: str, lang: str) -> str:
    text = _TRIM.sub("", drop_echoes(text.strip()))
    if lang == "zh":
        text = _ZH_INNER_SPACE.sub("", to_simplified(text))
    return text
