"""``gen.write``, ``gen.chat`` and ``kb.general_qa``: text written by an LLM tier, streamed as it is generated.

The tiers are tried in order (the cloud first unless the home keeps everything local, then the
edge model) inside the request's deadline; the text reaches the device piece by piece through
``SkillContext.partial``. With no tier reachable in time the answer says so honestly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import LlmError
from intents.llm.backends import LlmBackend, Messages
from intents.types import Intent
from skills.generation.prompt import MAX_TOKENS, build_prompt
from skills.generation.speech_filter import blocked_word, speakable
from skills.sdk import SkillContext, SkillKind, SkillManifest, SkillResult

_LOGGER = logging.getLogger(__name__)

#: Left after generation for the answer to reach the device.
RESERVE_S = 0.2
#: A tier is not worth starting with less time than this left.
MIN_TIER_S = 0.5


@dataclass(frozen=True)
class TextTier:
    """One LLM that can write: ``leaves_home`` tiers are skipped for ``local_only`` homes."""

    name: str
    backend: LlmBackend
    leaves_home: bool


def for_kids(ctx: SkillContext, intent: Intent) -> bool:
    """A speaker in a kids' room, or a request for children, gets the stricter filter."""
    words = intent.text.lower()
    return "kid" in ctx.speaker_room or any(w in words for w in ("孩子", "小朋友", "儿童", "宝宝", "kid", "child"))


def _offline(intent_name: str, ctx: SkillContext) -> str:
    if intent_name == "kb.general_qa":
        return ctx.say("这个我现在不知道：回答它需要联网的大模型，现在连不上，稍后再问我吧。",
                       "I don't know that offline: answering it needs an online model, and I can't reach one right now.")
    return ctx.say("现在连不上写作用的大模型，这个我暂时写不了，稍后再试试吧。",
                   "I can't reach a writing model right now, so I can't write that. Please try again later.")


class GenerationSkill:
    manifest = SkillManifest("generation", SkillKind.GENERATION, ("gen.write", "gen.chat", "kb.general_qa"),
                             "Poems, stories, jokes, chat and general questions, answered by an LLM tier")

    def __init__(self, tiers: Sequence[TextTier]) -> None:
        self._tiers = tuple(tiers)

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        kids = for_kids(ctx, intent)
        if blocked_word(intent.text, kids):
            return SkillResult(ctx.say("这个我不能写，换个话题吧。", "I can't write about that. Let's pick another topic."),
                               route_note="generation: refused by the content filter")
        prompt = build_prompt(intent.name, intent.slots, intent.text, ctx.lang, kids)
        tried: list[str] = []
        for tier in self._tiers:
            if tier.leaves_home and ctx.home.privacy == "local_only":
                tried.append(f"{tier.name} skipped (home is local_only)")
                continue
            budget = ctx.remaining() - RESERVE_S
            if budget < MIN_TIER_S:
                tried.append(f"{tier.name} skipped ({budget * 1000:.0f} ms left)")
                continue
            try:
                text = await self._write(tier, prompt.messages, prompt.max_chars, budget, kids, ctx)
            except asyncio.CancelledError:
                raise
            except LlmError as err:
                _LOGGER.info("generation: %s tier failed: %s", tier.name, err)
                tried.append(f"{tier.name} {err.reason}")
                continue
            if text is None:
                return SkillResult(ctx.say("这个我不方便说，换个话题吧。", "I'd rather not say that. Let's try something else."),
                                   route_note=f"generation: {tier.name} LLM's text stopped by the content filter")
            if text:
                return SkillResult(text, route_note=f"generation: written by the {tier.name} LLM")
            tried.append(f"{tier.name} returned nothing usable")
        why = "; ".join(tried) or "no LLM tier configured"
        return SkillResult(
            _offline(intent.name, ctx),
            route_note=f"generation: no LLM answered within the budget ({why})",
        )

    async def _write(self, tier: TextTier, messages: Messages, max_chars: int,
                     budget: float, kids: bool, ctx: SkillContext) -> str | None:
        """The speakable text, '' when the model said nothing usable, None when the filter stopped it."""
        parts: list[str] = []
        async for piece in tier.backend.stream(messages, MAX_TOKENS, budget):
            parts.append(piece)
            so_far = "".join(parts)
            if blocked_word(so_far, kids):
                return None
            if ctx.partial is not None:
                ctx.partial(speakable(so_far, max_chars))
            if len(so_far) > max_chars * 1.5:  # enough to say; the rest would be cut anyway
                break
        return speakable("".join(parts), max_chars)
