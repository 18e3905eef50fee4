"""Answers to "which one?": "主灯", "the light strip", "第二个", "都开".

The reply is matched against the candidates' names only, so a short answer that would
mean nothing on its own ("主灯") finishes the question that was asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.dialog.sessions import Clarification
from domain.devices import DeviceInfo
from intents import normalize_text
from intents.types import Intent, IntentSource

EVERY = re.compile(r"都|全部|所有|两个都|\b(?:both|all|every|each)\b")
ORDINALS = {
    "第一": 0, "第二": 1, "第三": 2, "第四": 3, "first": 0, "second": 1, "third": 2, "fourth": 3,
}
CONFIDENCE = 0.9


def _named(reply: str, device: DeviceInfo) -> bool:
    for name in device.names.all():
        name = normalize_text(name)
        if name and (name in reply or (len(reply) >= 2 and reply in name)):
            return True
    return False


def resolve(reply_text: str, question: Clarification, devices: Mapping[str, DeviceInfo]) -> tuple[Intent, ...]:
    """The intents the reply completes (the question's, then any waiting on the same answer), or
    none when it does not answer the question."""
    candidates = [devices[c] for c in question.candidates if c in devices]
    reply = normalize_text(reply_text)
    if not candidates or not reply:
        return ()
    chosen: list[DeviceInfo] = []
    if EVERY.search(reply):
        chosen = candidates
    else:
        for word, index in ORDINALS.items():
            if word in reply and index < len(candidates):
                chosen = [candidates[index]]
                break
        else:
            chosen = [d for d in candidates if _named(reply, d)]
    if not chosen or (len(chosen) > 1 and not EVERY.search(reply)):
        return ()
    target = {"device": chosen[0].id} if len(chosen) == 1 else {"devices": [d.id for d in chosen]}
    return tuple(
        Intent(name, {**{k: v for k, v in slots.items() if k not in ("device_type", "room", "scope")}, **target},
               CONFIDENCE, IntentSource.RULES, reply_text)
        for name, slots in ((question.intent, question.slots), *question.more)
    )
