"""The LLM planner: an utterance → a plan validated against a schema built from the catalog and
the home; two backends (an OpenAI-compatible endpoint, an in-process GGUF) behind one Protocol."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from intents.llm.backends import (
        BackendSpec,
        LlmBackend,
        Messages,
        OpenAiBackend,
        choose_backend,
        make_backend,
        packaged_gguf,
    )
    from intents.llm.planner import LlmPlanner, check_plan, ungrounded
    from intents.llm.prompt import build_messages
    from intents.llm.schema import Served, SkillIntent, SkillSlot, llm_intents, plan_schema

__all__ = ["BackendSpec", "LlmBackend", "LlmPlanner", "Messages", "OpenAiBackend", "Served", "SkillIntent", "SkillSlot",
           "build_messages", "check_plan", "choose_backend", "llm_intents", "make_backend", "packaged_gguf", "plan_schema",
           "ungrounded"]

__getattr__ = lazy_exports(__name__, {
    "backends": ["BackendSpec", "LlmBackend", "Messages", "OpenAiBackend", "choose_backend", "make_backend", "packaged_gguf"],
    "planner": ["LlmPlanner", "check_plan", "ungrounded"],
    "prompt": ["build_messages"],
    "schema": ["Served", "SkillIntent", "SkillSlot", "llm_intents", "plan_schema"],
})
