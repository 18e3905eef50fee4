"""What the generation skill asks a model for: short text meant to be heard, not read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: A spoken answer's length: about 20-30 seconds of speech.
MAX_CHARS = {"zh": 150, "en": 450}
MAX_TOKENS = 200

_FORMS_ZH = {"poem": "一首短诗", "story": "一个很短的故事", "joke": "一个笑话", "message": "一段简短的话"}
_FORMS_EN = {"poem": "a short poem", "story": "a very short story", "joke": "a joke", "message": "a short message"}


@dataclass(frozen=True)
class Prompt:
    """Chat messages for one request, and how long the spoken answer may be."""

    messages: tuple[Mapping[str, str], ...]
    max_chars: int


def build_prompt(intent_name: str, slots: Mapping[str, Any], text: str, lang: str, for_kids: bool) -> Prompt:
    """``gen.write`` asks for the form and topic said; ``gen.chat`` answers the utterance itself."""
    if lang == "zh":
        system = "你是家里的智能音箱。用简体中文回答，口语化，不用列表、标题或表情符号，总长度不超过100个字。"
        if for_kids:
            system += "听的人是小朋友：内容要温和、积极，适合儿童。"
    else:
        system = ("You are a smart speaker at home. Answer in plain spoken English, no lists, headings or emoji, "
                  "under 70 words.")
        if for_kids:
            system += " The listener is a young child: keep it gentle, kind and suitable for children."
    if intent_name == "kb.general_qa":
        user = (f"简短地回答这个问题（两三句话）：{text}" if lang == "zh"
                else f"Answer briefly, in two or three sentences: {text}")
    elif intent_name == "gen.write":
        form = str(slots.get("form") or "other")
        topic = str(slots.get("topic") or "").strip()
        if lang == "zh":
            what = _FORMS_ZH.get(form, "一段话")
            user = f"请写{what}" + (f"，主题是：{topic}" if topic else f"。要求：{text}")
        else:
            what = _FORMS_EN.get(form, "a short piece")
            user = f"Write {what}" + (f" about {topic}" if topic else f". The request: {text}")
    else:
        user = text
    return Prompt(({"role": "system", "content": system}, {"role": "user", "content": user}), MAX_CHARS.get(lang, 300))
