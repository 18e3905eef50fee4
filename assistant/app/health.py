"""Whether each part an instance depends on works, checked every second and said to whoever asks.

Three parts can fail under a running instance: the scheduler (timers, alarms and reminders stop
ringing), the MQTT broker connection (devices stop answering) and the state store (SQLite, or
Redis when configured: timers, sessions). :class:`HealthMonitor` probes each about once a second,
each probe bounded in time (a stalled Redis answers nothing rather than an error), and passes
every change to its listeners: the gRPC health service (``lingxi.scheduler``, ``lingxi.broker``,
``lingxi.store``, and ``""`` for the instance, NOT_SERVING while any part is down) and the
metrics' ``lingxi_component_up`` gauge. A part that recovers is reported SERVING on the next pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from domain.errors import LingxiError
from skills.utilities.scheduler import Health

if TYPE_CHECKING:
    from assistant.app.runtime import Runtime

_LOGGER = logging.getLogger(__name__)

SCHEDULER, BROKER, STORE = "scheduler", "broker", "store"
COMPONENTS = (SCHEDULER, BROKER, STORE)
#: The prefix of a part's name in the gRPC health service (``lingxi.broker``).
SERVICE_PREFIX = "lingxi."

Probe = Callable[[], Awaitable[Health]]
#: Called with a part's name and its new health, only when it changed (and once for each part at first).
Listener = Callable[[str, Health], Awaitable[None]]


def service_name(component: str) -> str:
    return SERVICE_PREFIX + component


class HealthMonitor:
    """Probes ``probes`` every ``interval_s``; a probe that raises or takes over ``timeout_s`` says the part is down."""

    def __init__(self, probes: Mapping[str, Probe], listeners: list[Listener], interval_s: float = 1.0,
                 timeout_s: float = 1.5) -> None:
        self._probes = dict(probes)
        self._listeners = listeners
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        #: The last health of each part (empty before the first pass).
        self.health: dict[str, Health] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def ok(self) -> bool:
        """Every part up (``False`` before the first pass)."""
        return bool(self.health) and all(self.health.values())

    async def check(self) -> dict[str, Health]:
        """One pass: probe every part at once, tell the listeners what changed; returns every part's health."""
        names = list(self._probes)
        found = await asyncio.gather(*(self._probe(name) for name in names))
        for name, health in zip(names, found, strict=True):
            previous = self.health.get(name)
            self.health[name] = health
            if previous is not None and previous.ok == health.ok:
                continue
            if health.ok:
                _LOGGER.info("%s is up%s", name, " again" if previous is not None else "")
            else:
                _LOGGER.warning("%s is down: %s", name, health.reason)
            for listener in self._listeners:
                await listener(name, health)
        return dict(self.health)

    async def _probe(self, name: str) -> Health:
        try:
            async with asyncio.timeout(self.timeout_s):
                return await self._probes[name]()
        except TimeoutError:
            return Health(False, f"no answer within {self.timeout_s:g} s")
        except LingxiError as err:
            return Health(False, err.message)
        except Exception as err:  # a probe's own failure is the part's, never the monitor's
            return Health(False, f"{type(err).__name__}: {err}")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            await self.check()

    async def start(self) -> None:
        """A first pass now (so the first answer is already true), then one every ``interval_s``."""
        await self.check()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="lingxi-health")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def runtime_probes(runtime: Runtime) -> dict[str, Probe]:
    """The probes of a started runtime's scheduler, broker connection and state store."""

    async def scheduler() -> Health:
        return runtime.scheduler.healthy

    async def broker() -> Health:
        bridge = runtime.bridge
        if bridge is not None and bridge.connected:
            return Health(True)
        return Health(False, "not connected to the MQTT broker")

    async def store() -> Health:
        # any read proves the store answers; this key is never written
        await runtime.state.get("_health", "probe", "probe")
        return Health(True)

    return {SCHEDULER: scheduler, BROKER: broker, STORE: store}
