"""``make soak``: mixed traffic from two homes against a real service while its parts fail on a schedule.

The parts run as they would in a deployment, each its own process on loopback: mosquitto,
redis-server (sessions), a llama_cpp.server (the cloud LLM tier), the virtual devices of both
homes (``assistant simulate``) and the service (``assistant serve``, gRPC). Six simulated
speakers (three per home) send Ask and Converse turns, text and audio (WAVs synthesised at
start), and a writer asks for LLM-written text, for a bounded time and number of requests,
while the broker is restarted, Redis stalled, the LLM and the service restarted (see
:mod:`bench.soak_faults`). Afterwards the devices' state, read back over MQTT, and every state
message seen on the way are checked against what the users were told (:mod:`bench.soak_checks`);
the figures (:mod:`bench.soak_report`) are printed and written to bench/results/soak.json.

``python -m bench.soak --seconds 600`` (``make soak``, ``SOAK_S=...``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import random
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc

from assistant.app.runtime import free_port
from bench.soak_checks import check
from bench.soak_faults import FaultKind, FaultOptions, Faults, plan
from bench.soak_homes import ID_PREFIX, write_second_home
from bench.soak_ledger import Clock, Ledger, StateObserver
from bench.soak_link import Link
from bench.soak_procs import LlmProcess, ServiceProcess, rss_kb, service_env, simulator
from bench.soak_report import lines, recoveries, report
from bench.soak_traffic import OWNED, WRITER_SPEAKER, Shared, Speaker, Writer, make_clips
from domain.home import demo_home_path, load_home
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess
from testkit.redis_server import RedisServer

_LOGGER = logging.getLogger(__name__)

RESULTS = Path(__file__).resolve().parent / "results" / "soak.json"
#: After the traffic stops, how long the streams stay open for timers still running (the longest is 8 s).
TIMER_GRACE_S = 12.0
#: Traffic after the last fault has ended, however late it ended.
AFTER_FAULT_S = 10.0
#: The longest the traffic goes on after the last fault for every fault to have its recovery measured (a busy
#: machine is slow, not wrong: how slow is a figure, not the end of the run).
RECOVERY_CAP_S = 180.0


@dataclass(frozen=True)
class SoakOptions:
    """``seconds`` of traffic, at most ``max_requests`` requests; ``seed`` makes the traffic repeatable."""

    seconds: float = 600.0
    max_requests: int = 100_000
    seed: int = 1
    faults: FaultOptions = field(default_factory=FaultOptions)


@contextlib.asynccontextmanager
async def _parts(folder: Path) -> AsyncIterator[tuple[MosquittoProcess, RedisServer, LlmProcess]]:
    broker, redis, llm = MosquittoProcess(), RedisServer(), LlmProcess(free_port(), folder / "llm.log")
    async with contextlib.AsyncExitStack() as stack:
        for part, stop in ((broker, broker.cleanup), (redis, redis.cleanup), (llm, llm.stop)):
            stack.push_async_callback(asyncio.to_thread, stop)
            await asyncio.to_thread(part.start)
        yield broker, redis, llm


async def _sample_rss(service: ServiceProcess, ledger: Ledger, clock: Clock) -> None:
    while True:
        if service.running:
            ledger.rss.append((clock(), service.pid, rss_kb(service.pid)))
        await asyncio.sleep(2.0)


async def _inject(faults: Faults, planned: list[tuple[float, FaultKind]], shared: Shared, ledger: Ledger,
                  clock: Clock) -> None:
    """Run the faults; the traffic then goes on until each has recovered (at most ``RECOVERY_CAP_S``), and at least
    ``AFTER_FAULT_S`` (a late restart must be measured too)."""
    try:
        await faults.run(planned)
        deadline = clock() + RECOVERY_CAP_S
        while clock() < deadline and any(r["recovery_s"] is None for r in recoveries(ledger, faults.done)):
            await asyncio.sleep(1.0)
    finally:
        shared.until = max(shared.until, clock() + AFTER_FAULT_S)
        shared.faulting = False


async def soak(options: SoakOptions, folder: Path) -> dict[str, Any]:
    """Run the soak test with its scratch files in ``folder``; returns the figures."""
    home_files = [demo_home_path(), write_second_home(folder)]
    homes = [load_home(path) for path in home_files]
    clips = make_clips(folder)
    ledger = Ledger()
    async with _parts(folder) as (broker, redis, llm):
        mqtt_url = f"mqtt://{broker.host}:{broker.port}"
        devices = simulator(mqtt_url, home_files, folder / "simulator.log")
        devices.start()
        service = ServiceProcess(free_port(), service_env(mqtt_url, redis.url, home_files, folder / "data", llm.url),
                                 folder / "service.log")
        try:
            service.start()
            await service.wait_serving()
            clock = Clock()
            observer = StateObserver(broker.settings(client_id_prefix="soak"), homes, ledger, clock)
            await observer.start()
            faults = Faults(broker, redis, llm, service, clock, options.faults)
            sampler = asyncio.ensure_future(_sample_rss(service, ledger, clock))
            rng = random.Random(options.seed)
            shared = Shared(options.max_requests, options.seconds, rng)
            injector = asyncio.ensure_future(_inject(faults, plan(options.seconds, options.faults), shared, ledger, clock))
            async with grpc.aio.insecure_channel(service.address) as channel:
                speakers = [Speaker(Link(channel, home.id, prefix + demo_id, ledger, clock), home, demo_id, clips, shared,
                                    random.Random(rng.random()), clock)
                            for home, prefix in ((homes[0], ""), (homes[1], ID_PREFIX)) for demo_id in OWNED]
                writer = Writer(Link(channel, homes[0].id, WRITER_SPEAKER, ledger, clock), shared,
                                random.Random(rng.random()), clock)
                traffic = asyncio.ensure_future(asyncio.gather(*(s.run() for s in speakers), writer.run()))
                await asyncio.wait({traffic, injector}, return_when=asyncio.FIRST_EXCEPTION)
                if injector.done() and injector.exception() is not None:  # a part that would not come back
                    traffic.cancel()
                    await asyncio.gather(traffic, return_exceptions=True)
                    injector.result()
                traffic.result()
                await asyncio.sleep(TIMER_GRACE_S)
                for s in speakers:
                    await s.link.close()
            seconds = clock()
            sampler.cancel()
            final = {home.id: await read_states(broker.settings(client_id_prefix="soak-final"), home, 10.0) for home in homes}
            await observer.stop()
        finally:
            await asyncio.to_thread(service.stop)
            await asyncio.to_thread(devices.stop)
    restarts = [(f.start, f.end) for f in faults.done if f.kind is FaultKind.SERVICE]
    verdict = check(ledger, homes, final, restarts, [(f.start, f.end) for f in faults.done if f.kind is FaultKind.LLM])
    return report(ledger, faults.done, verdict, dataclasses.asdict(options), seconds, service.errors())


def passed(figures: dict[str, Any], max_recovery_s: float) -> list[str]:
    """What broke the issue's bar (empty: it held)."""
    inv = figures["invariants"]
    problems = [f"{key}: {len(inv[key])}" for key in ("lost", "duplicated", "phantom", "final_mismatch", "unsafe", "leaks")
                if inv[key]]
    timers = inv["timers"]
    problems += [f"timers {key}: {timers[key]}" for key in ("duplicated", "lost", "lost_across_restart") if timers[key]]
    if inv["generation"]["dishonest"]:
        problems.append(f"LLM text requests answered dishonestly: {len(inv['generation']['dishonest'])}")
    problems += [f"no recovery from {f['kind']} at {f['start_s']} s" if f["recovery_s"] is None
                 else f"recovery from {f['kind']} at {f['start_s']} s took {f['recovery_s']} s"
                 for f in figures["faults"] if f["recovery_s"] is None or f["recovery_s"] > max_recovery_s]
    growth = figures["memory"]["growth_pct"]
    if growth is not None and growth > 10.0:
        problems.append(f"memory grew {growth} %")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--fault-every", type=float, default=40.0, help="seconds between faults")
    parser.add_argument("--service-every", type=int, default=12, help="every how many faults the service restarts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("bench").setLevel(logging.INFO)
    options = SoakOptions(args.seconds, args.max_requests, args.seed,
                          FaultOptions(every_s=args.fault_every, service_every=args.service_every))
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    with tempfile.TemporaryDirectory(prefix="lingxi-soak-") as tmp:
        figures = asyncio.run(soak(options, Path(tmp)))
    problems = passed(figures, 5.0)
    figures = {"when": started, **figures, "problems": problems}
    print("\n".join(lines(figures)))
    print("PASSED" if not problems else "FAILED: " + "; ".join(problems))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0 if not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
