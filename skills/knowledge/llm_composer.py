"""The knowledge answer phrased by an LLM tier, the way the generation skill writes: the tiers
in order (the cloud first, never for a ``local_only`` home), each streamed within what is left
of the time given, stopped as soon as the text is too long to be spoken anyway.

A tier that failed (unreachable, or too slow for the time given) rests for ``rest_s`` before it
is asked again, so a cloud that is down costs one answer its wait, not every answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from domain.errors import LlmError, LlmErrorCode
from intents.llm.backends import Messages
from skills.generation import TextTier
from skills.generation.speech_filter import speakable

from .composer import MAX_CHARS, Composed

__all__ = ["LlmComposer"]

_LOGGER = logging.getLogger(__name__)

#: Tokens a composed answer may take: a sentence or two.
MAX_TOKENS = 64
#: A tier is not worth starting with less time than this left.
MIN_TIER_S = 0.5


def messages(question: str, passage: str, context: str, lang: str) -> Messages:
    """The chat for one answer: the passage, where it comes from, and the question."""
    if lang == "zh":
        system = "你是智能音箱。只根据说明书片段，用一句简短的口语回答问题；数字和代码照抄；不说片段里没有的内容。"
        user = f"说明书片段（{context}）：\n{passage}\n\n问题：{question}"
    else:
        system = ("You are a smart speaker. Answer from the manual excerpt only, in one short spoken sentence. "
                  "Copy numbers and codes exactly. Say nothing the excerpt does not say.")
        user = f"Manual excerpt ({context}):\n{passage}\n\nQuestion: {question}"
    return ({"role": "system", "content": system}, {"role": "user", "content": user})


class LlmComposer:
    """Composes with the first of ``tiers`` that answers in time; see the module docstring."""

    def __init__(self, tiers: Sequence[TextTier], *, rest_s: float = 30.0) -> None:
        self.tiers = tuple(tiers)
        self.rest_s = rest_s
        self._resting: dict[str, float] = {}

    async def compose(self, question: str, passage: str, context: str, lang: str, timeout_s: float, *,
                      local_only: bool) -> Composed:
        deadline = time.monotonic() + timeout_s
        chat = messages(question, passage, context, lang)
        tried: list[str] = []
        for tier in self.tiers:
            left = deadline - time.monotonic()
            if tier.leaves_home and local_only:
                tried.append(f"{tier.name} skipped (home is local_only)")
            elif self._resting.get(tier.name, 0.0) > time.monotonic():
                tried.append(f"{tier.name} resting after a failure")
            elif left < MIN_TIER_S:
                tried.append(f"{tier.name} skipped ({left * 1000:.0f} ms left)")
            else:
                try:
                    return Composed(await self._write(tier, chat, lang, left), tier.name)
                except LlmError as err:
                    if err.reason is not LlmErrorCode.INVALID_OUTPUT:
                        self._resting[tier.name] = time.monotonic() + self.rest_s
                    _LOGGER.info("knowledge composer: %s tier failed: %s", tier.name, err)
                    tried.append(f"{tier.name} {err.reason}")
        raise LlmError(LlmErrorCode.UNAVAILABLE, "; ".join(tried) or "no LLM tier configured")

    @staticmethod
    async def _write(tier: TextTier, chat: Messages, lang: str, timeout_s: float) -> str:
        limit = MAX_CHARS.get(lang, MAX_CHARS["en"])
        parts: list[str] = []
        try:
            async with asyncio.timeout(timeout_s):
                async for piece in tier.backend.stream(chat, MAX_TOKENS, timeout_s):
                    parts.append(piece)
                    if sum(map(len, parts)) > 2 * limit:
                        break  # rambling: the check refuses it whatever follows
        except TimeoutError as err:
            raise LlmError(LlmErrorCode.TIMEOUT, f"{tier.name} did not finish within {timeout_s * 1000:.0f} ms") from err
        # Markup and spacing go; the length stays as written, for the check to judge.
        return speakable("".join(parts), 10 * limit)
