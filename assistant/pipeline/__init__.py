"""The request pipeline: understand → plan → act → answer, with typed requests, answers and stage events."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.pipeline.events import PartialAnswer, PipelineEvent, StageEnded, StageStarted
    from assistant.pipeline.homes import HomeBridge, HomeDirectory
    from assistant.pipeline.messages import MAX_ID_CHARS, Answer, Request, Route, Tier, clipped_id, quoted
    from assistant.pipeline.pipeline import Pipeline, PipelineOptions
    from assistant.pipeline.tasks import plan_stages
    from assistant.pipeline.understanding import HomeUnderstanding

__all__ = ["MAX_ID_CHARS", "Answer", "HomeBridge", "HomeDirectory", "HomeUnderstanding", "PartialAnswer", "Pipeline",
           "PipelineEvent", "PipelineOptions", "Request", "Route", "StageEnded", "StageStarted", "Tier", "clipped_id",
           "plan_stages", "quoted"]

__getattr__ = lazy_exports(__name__, {
    "events": ["PartialAnswer", "PipelineEvent", "StageEnded", "StageStarted"],
    "homes": ["HomeBridge", "HomeDirectory"],
    "messages": ["MAX_ID_CHARS", "Answer", "Request", "Route", "Tier", "clipped_id", "quoted"],
    "pipeline": ["Pipeline", "PipelineOptions"],
    "tasks": ["plan_stages"],
    "understanding": ["HomeUnderstanding"],
})
