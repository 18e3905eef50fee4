"""Remote skill call overhead on loopback: the same skill in-process and served by its own process.

Each example skill is installed both ways behind the gate (:class:`~skills.kit.gate.GuardedSkill`),
the remote one as the assistant reaches it (:func:`~skills.kit.remote_client.connect_remote` to a
``SkillService`` in a second Python process on 127.0.0.1); the same task is asked of both,
interleaved, and the overhead is remote minus in-process per pair. The shopping list reaches no
device; the coffee machine asks for one device command, which both ways runs through the gate here
(against :class:`StaticDevices`: the MQTT round trip is the same both ways and is not what is
measured). Goal: overhead p50 ≤ 2 ms. Written to bench/results/skills_remote.json.

    python -m bench.skills_remote [--pairs 500]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.stats import summary
from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from domain.home import Capability, Home, Names, load_demo_home
from intents.types import Intent, IntentSource
from skills.kit.discovery import from_folders
from skills.kit.gate import GuardedSkill
from skills.kit.remote_client import connect_remote
from skills.sdk import Skill, SkillContext, serve_remote

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
GOAL_P50_MS = 2.0
WARMUP = 50
#: The example, and the task asked of it.
TASKS = {
    "shopping_list": Intent("acme.shopping.read", {}, 1.0, IntentSource.EDGE_MODEL, "what's on my shopping list"),
    "coffee_machine": Intent("acme.coffee.make", {"drink": "latte", "cups": 1}, 1.0, IntentSource.EDGE_MODEL, "make me a latte"),
}
COFFEE_MACHINE = DeviceInfo("coffee_machine", "switch", "kitchen", Names(("咖啡机",), ("coffee machine",)),
                            {"power": Capability("power", "bool")})


class StaticDevices:
    """The demo home's devices and a coffee machine, every command done at once (a :class:`~skills.sdk.DeviceGateway`)."""

    def __init__(self) -> None:
        home = load_demo_home()
        self._devices = [*(DeviceInfo.from_home(d) for d in home.devices.values()), COFFEE_MACHINE]
        self._states: dict[str, dict[str, Any]] = {d.id: dict(home.devices[d.id].initial_state) if d.id in home.devices
                                                   else {"power": False} for d in self._devices}

    def devices(self) -> Sequence[DeviceInfo]:
        return self._devices

    def state(self, device_id: str) -> Mapping[str, Any]:
        return self._states[device_id]

    async def execute(self, command: DeviceCommand, timeout: float) -> CommandResult:
        self._states[command.device_id].update(command.changes)
        return CommandResult(command.device_id, CommandStatus.DONE, self._states[command.device_id])


def _context(home: Home, devices: StaticDevices) -> SkillContext:
    return SkillContext(home, devices, "en", "living_room_speaker", "living_room", time.monotonic() + 2.5, session_id="bench")


@contextlib.contextmanager
def _served_elsewhere(folder: Path) -> Iterator[str]:
    """The skill in ``folder`` served by a second process; yields its address."""
    process = subprocess.Popen([sys.executable, "-m", "bench.skills_remote", "--serve", str(folder)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(10)


async def _pairs(local: Skill, remote: Skill, intent: Intent, pairs: int) -> dict[str, Any]:
    home, devices = load_demo_home(), StaticDevices()
    timed: dict[str, list[float]] = {"in_process": [], "remote": []}
    overhead = []
    for n in range(WARMUP + pairs):
        took = {}
        for name, skill in (("in_process", local), ("remote", remote)):
            ctx = _context(home, devices)
            started = time.perf_counter()
            result = await skill.handle(intent, ctx)
            took[name] = (time.perf_counter() - started) * 1000
            if result.actions and any(a.status != "done" for a in result.actions):
                raise RuntimeError(f"{name} {intent.name}: {result}")
        if n >= WARMUP:
            for name, ms in took.items():
                timed[name].append(ms)
            overhead.append(took["remote"] - took["in_process"])
    return {**{name: summary(ms) for name, ms in timed.items()}, "overhead": summary(overhead)}


async def run(pairs: int = 500) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for example, intent in TASKS.items():
        folder = ROOT / "examples" / example
        [local] = await asyncio.to_thread(from_folders, [folder])
        with _served_elsewhere(folder) as address:
            remote = await connect_remote(local.manifest.name, address)
            try:
                figures[example] = await _pairs(GuardedSkill(local), GuardedSkill(remote), intent, pairs)
            finally:
                await remote.close()
    worst = max(f["overhead"]["p50_ms"] for f in figures.values())
    results = {**figures, "goal_overhead_p50_ms": GOAL_P50_MS, "overhead_p50_ms": worst, "met": worst <= GOAL_P50_MS}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "skills_remote.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


async def _serve(folder: Path) -> None:
    [skill] = await asyncio.to_thread(from_folders, [folder])
    server = await serve_remote(skill)
    print(server.address, flush=True)
    await server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the second process
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve))
        return
    results = asyncio.run(run(args.pairs))
    for example in TASKS:
        row = results[example]
        print(f"{example:>15}  in-process p50 {row['in_process']['p50_ms']} ms  remote p50 {row['remote']['p50_ms']} ms  "
              f"overhead p50 {row['overhead']['p50_ms']} ms p95 {row['overhead']['p95_ms']} ms")
    print(f"goal: overhead p50 <= {GOAL_P50_MS} ms: {'met' if results['met'] else 'NOT met'}")


if __name__ == "__main__":
    main()
