"""The generation skill: poems, stories, jokes and chat through the LLM tiers, streamed, filtered for speech."""

from skills.generation.skill import GenerationSkill, TextTier

__all__ = ["GenerationSkill", "TextTier"]
