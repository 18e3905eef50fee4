"""One instance serving the device API: the runtime behind the gRPC server.

``assistant serve`` runs it on the configured address until it is signalled; ``assistant chat``
runs one on a private loopback port and talks to it as any other client would, so that its
conversation takes the same path (a ``Converse`` stream) as a device's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import Config
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from assistant.voice.service import VoiceService, voice_options


@dataclass(frozen=True)
class Serving:
    """A started instance."""

    #: Broker, devices, bridge and pipeline.
    runtime: Runtime
    #: The gRPC server; ``server.port`` is the port it listens on (the chosen one when configured as 0).
    server: GrpcServer
    #: Its Prometheus registry (served over HTTP only when asked to).
    metrics: Metrics
    #: Its speech recogniser, loaded on the first audio turn unless warmed earlier.
    voice: VoiceService


@asynccontextmanager
async def serving(config: Config) -> AsyncIterator[Serving]:
    """Start the runtime and the gRPC server; stop both, the server first, on the way out."""
    runtime = await Runtime(config).start()
    metrics = Metrics()
    try:
        assert runtime.pipeline is not None
        runtime.pipeline.observe(metrics.on_event)
        voice = VoiceService(voice_options(config.voice))
        service = AssistantService(runtime.pipeline, config.server, metrics, runtime.notifications, voice)
        server = GrpcServer(service, config.server)
        await server.start()
        try:
            yield Serving(runtime, server, metrics, voice)
        finally:
            await server.stop()
    finally:
        metrics.close()
        await runtime.stop()
