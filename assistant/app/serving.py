"""One instance serving the device API: the runtime behind the gRPC server.

``assistant serve`` runs it on the configured address until it is signalled; ``assistant chat``
runs one on a private loopback port and talks to it as any other client would, so that its
conversation takes the same path (a ``Converse`` stream) as a device's. While it serves, a
:class:`~assistant.app.health.HealthMonitor` keeps the gRPC health service and the metrics told
which of its parts (scheduler, broker, store) works.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import Config
from assistant.app.health import HealthMonitor, Listener, runtime_probes, service_name
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from assistant.voice.service import VoiceService, voice_options
from skills.utilities.scheduler import Health


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
    #: Whether its scheduler, broker connection and state store work (probed every second).
    health: HealthMonitor


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
        monitor = HealthMonitor(runtime_probes(runtime), [metrics.on_health, _health_service(server)])
        try:
            await monitor.start()
            yield Serving(runtime, server, metrics, voice, monitor)
        finally:
            await monitor.stop()
            await server.stop()
    finally:
        metrics.close()
        await runtime.stop()


def _health_service(server: GrpcServer) -> Listener:
    """Tell the gRPC health service a part's health (``lingxi.<part>``), and the instance's: serving while every part is."""
    down: set[str] = set()

    async def listener(component: str, health: Health) -> None:
        if health.ok:
            down.discard(component)
        else:
            down.add(component)
        await server.set_health(service_name(component), health.ok)
        await server.set_health("", not down)

    return listener
