"""The soak test's faults, on a schedule: the broker restarted, Redis stalled, the LLM and the service restarted.

* ``broker``: mosquitto stopped, kept down ``broker_down_s``, started again on the same port
  (without persistence, so every retained message is gone as after a real crash).
* ``redis``: redis-server paused with SIGSTOP for ``redis_stall_s``, then SIGCONT: connections
  stay open and nothing answers, the worst kind of outage for a client.
* ``llm``: the llama_cpp.server killed (SIGKILL, as a crash), kept down ``llm_down_s``, started again
  on the same port; the fault ends when it lists its model again.
* ``service``: the service process stopped (SIGTERM, its graceful shutdown) and started again;
  the fault ends when the new process says SERVING.

Each fault's span is recorded; recovery is measured from its end (see :mod:`bench.soak_report`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum

from bench.soak_ledger import Clock
from bench.soak_procs import LlmProcess, ServiceProcess
from iot_bridge.mosquitto import MosquittoProcess
from testkit.redis_server import RedisServer

_LOGGER = logging.getLogger(__name__)


class FaultKind(StrEnum):
    BROKER = "broker"
    REDIS = "redis"
    LLM = "llm"
    SERVICE = "service"


@dataclass(frozen=True)
class FaultOptions:
    """``every_s``: time between faults; ``service_every``: every how many faults the service is restarted
    (the first time as the third fault); the others take turns: LLM, broker, Redis."""

    every_s: float = 40.0
    service_every: int = 12
    broker_down_s: float = 2.0
    redis_stall_s: float = 3.0
    llm_down_s: float = 3.0


@dataclass(frozen=True)
class Fault:
    """One fault: from ``start`` to ``end`` (seconds of the run), and what happened."""

    kind: FaultKind
    start: float
    end: float
    detail: str


def plan(seconds: float, options: FaultOptions) -> list[tuple[float, FaultKind]]:
    """When each fault starts: one every ``every_s``, none in the last half interval (time to recover)."""
    planned, others = [], 0
    at, index = options.every_s, 0
    while at <= seconds - options.every_s / 2:
        if index % options.service_every == 2:
            kind = FaultKind.SERVICE
        else:
            kind = (FaultKind.LLM, FaultKind.BROKER, FaultKind.REDIS)[others % 3]
            others += 1
        planned.append((at, kind))
        at += options.every_s
        index += 1
    return planned


class Faults:
    """Injects the planned faults into the running parts."""

    def __init__(self, broker: MosquittoProcess, redis: RedisServer, llm: LlmProcess, service: ServiceProcess,
                 clock: Clock, options: FaultOptions) -> None:
        self._broker = broker
        self._redis = redis
        self._llm = llm
        self._service = service
        self._clock = clock
        self.options = options
        self.done: list[Fault] = []

    async def run(self, planned: list[tuple[float, FaultKind]]) -> None:
        for at, kind in planned:
            await asyncio.sleep(max(0.0, at - self._clock()))
            start = self._clock()
            detail = await self._inject(kind)
            self.done.append(Fault(kind, start, self._clock(), detail))
            _LOGGER.info("fault %s at %.1f s: %s", kind, start, detail)

    async def _inject(self, kind: FaultKind) -> str:
        if kind is FaultKind.BROKER:
            await asyncio.to_thread(self._broker.stop)
            await asyncio.sleep(self.options.broker_down_s)
            await asyncio.to_thread(self._broker.start)
            return f"down {self.options.broker_down_s:g} s"
        if kind is FaultKind.REDIS:
            self._redis.pause()
            try:
                await asyncio.sleep(self.options.redis_stall_s)
            finally:
                self._redis.resume()
            return f"stalled {self.options.redis_stall_s:g} s"
        if kind is FaultKind.LLM:
            await asyncio.to_thread(self._llm.stop)
            await asyncio.sleep(self.options.llm_down_s)
            starting = self._clock()
            await asyncio.to_thread(self._llm.start)
            return f"killed, down {self.options.llm_down_s:g} s, ready {self._clock() - starting:.1f} s after its start"
        stopping = self._clock()
        await asyncio.to_thread(self._service.stop)
        stopped = self._clock() - stopping
        self._service.start()
        serving = await self._service.wait_serving()
        return f"stopped in {stopped:.1f} s, SERVING {serving:.1f} s after its start"
