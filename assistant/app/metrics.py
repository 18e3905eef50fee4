"""Prometheus metrics: requests, stage latencies, action outcomes, errors, and whether each part is up."""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from assistant.pipeline.messages import Answer
from assistant.pipeline.pipeline import PipelineEvent, StageEnded
from skills.utilities.scheduler import Health

_LOGGER = logging.getLogger(__name__)

_LATENCY_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """A registry of its own, so several servers in one process (tests) don't collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("lingxi_requests", "Requests by RPC method and status code", ["method", "code"], registry=self.registry)
        self.stage_seconds = Histogram(
            "lingxi_stage_seconds", "Pipeline stage latency", ["stage"], buckets=_LATENCY_BUCKETS, registry=self.registry
        )
        self.actions = Counter("lingxi_actions", "Device actions by outcome", ["status"], registry=self.registry)
        self.intents = Counter("lingxi_intents", "Understood intents by name and source", ["name", "source"], registry=self.registry)
        self.component_up = Gauge(
            "lingxi_component_up", "1 while a part (scheduler, broker, store) works, 0 while it is down", ["component"],
            registry=self.registry,
        )

    def on_event(self, event: PipelineEvent) -> None:
        if isinstance(event, StageEnded):
            self.stage_seconds.labels(event.stage).observe(event.elapsed_ms / 1000)

    def on_answer(self, answer: Answer) -> None:
        for intent in answer.intents:
            self.intents.labels(intent.name, intent.source.value).inc()
        for action in answer.actions:
            self.actions.labels(action.status).inc()

    async def on_health(self, component: str, health: Health) -> None:
        """A :class:`~assistant.app.health.HealthMonitor` listener."""
        self.component_up.labels(component).set(1 if health.ok else 0)

    def serve(self, host: str, port: int) -> None:
        self._http, _ = start_http_server(port, addr=host, registry=self.registry)
        _LOGGER.info("metrics on http://%s:%d/metrics", host, port)

    def close(self) -> None:
        http = getattr(self, "_http", None)
        if http is not None:
            http.shutdown()
            http.server_close()
