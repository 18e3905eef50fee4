"""Fakes for the LLM tests, named as such.

A real model cannot be made to answer with invalid JSON, an invented device, a
dialog.confirm or an unlock on cue; :class:`FakeScriptedBackend` stands in for a model
that does exactly that (an obedient, compromised or broken LLM), so the planner's and the
gate's handling of it can be checked deterministically. Everything else in these tests
(the model server, the broker, the devices, the skills) is real.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from typing import Any

from intents.llm.backends import LlmError, LlmErrorCode


class FakeScriptedBackend:
    """Answers each call with the next scripted reply (a string, a plan dict, or an LlmError code)."""

    def __init__(self, name: str, replies: Sequence[Any], delay_s: float = 0.0) -> None:
        self.name = name
        self.replies = list(replies)
        self.delay_s = delay_s
        self.calls: list[list[Mapping[str, str]]] = []

    async def complete(self, messages: Sequence[Mapping[str, str]], schema: Mapping[str, Any], timeout_s: float) -> str:
        self.calls.append(list(messages))
        reply = self.replies[min(len(self.calls), len(self.replies)) - 1]
        if self.delay_s > timeout_s:
            await asyncio.sleep(max(timeout_s, 0))
            raise LlmError(LlmErrorCode.TIMEOUT, f"fake: no answer within {timeout_s * 1000:.0f} ms")
        await asyncio.sleep(self.delay_s)
        if isinstance(reply, LlmErrorCode):
            raise LlmError(reply, "fake: scripted failure")
        return reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)

    async def warm_up(self) -> None:
        pass

    async def close(self) -> None:
        pass


def unlock_plan() -> dict[str, Any]:
    return {"tasks": [{"intent": "device.set", "slots": {"device": "front_door_lock", "attribute": "lock", "value": "unlocked"}}]}
