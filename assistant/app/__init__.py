"""The application around the pipeline: configuration parsed once at the edge, the runtime that
starts the broker, devices, bridge and pipeline in order, the ``assistant`` command, logs and metrics."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.app.cli import main
    from assistant.app.config import (
        BudgetOptions,
        Config,
        LlmOptions,
        MqttOptions,
        RedisOptions,
        SearchOptions,
        ServerOptions,
        SessionOptions,
        SkillOptions,
        UpstreamOptions,
        VoiceConfig,
        load_config,
    )
    from assistant.app.metrics import Metrics
    from assistant.app.runtime import Runtime, choose_embedded_broker, free_port
    from assistant.app.serving import Serving
    from assistant.app.skillset import builtin_skills, served_intents

__all__ = ["BudgetOptions", "Config", "LlmOptions", "Metrics", "MqttOptions", "RedisOptions", "Runtime", "SearchOptions",
           "ServerOptions", "Serving", "SessionOptions", "SkillOptions", "UpstreamOptions", "VoiceConfig", "builtin_skills",
           "choose_embedded_broker", "free_port", "load_config", "main", "served_intents"]

__getattr__ = lazy_exports(__name__, {
    "cli": ["main"],
    "config": ["BudgetOptions", "Config", "LlmOptions", "MqttOptions", "RedisOptions", "SearchOptions", "ServerOptions",
               "SessionOptions", "SkillOptions", "UpstreamOptions", "VoiceConfig", "load_config"],
    "metrics": ["Metrics"],
    "runtime": ["Runtime", "choose_embedded_broker", "free_port"],
    "serving": ["Serving"],
    "skillset": ["builtin_skills", "served_intents"],
})
