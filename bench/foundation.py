"""Text command latency (ask → device state confirmed) and gRPC throughput, with baselines.

Every figure comes from one run on this machine, components measured beside the
whole so that the overhead of each layer is visible. The virtual devices run in a
process of their own (``assistant simulate``), as real devices are not part of the
server; mosquitto, the devices, the server and the load generator share the 2 cores.

* ``nlu``: understanding alone, over the project's case texts; ``nlu_rules_path`` / ``nlu_model_path``: each
  distinct text once on a fresh understander (no memo), split by whether the rules settled every intent or a
  model (the sparse catalog model, and the English encoder where it is unsure) named one.
* ``bridge``: one MQTT command → confirming state update, no understanding (the floor).
* ``pipeline``: the whole request in-process, ask → device state confirmed.
* ``grpc_health`` vs ``grpc_ask``: 8 concurrent clients in another process; a health
  check is the transport's ceiling, an Ask is a real command confirmed by its device.
* ``pipeline_embedded``: the same request on the embedded amqtt broker of ``make run``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import Config, MqttOptions, ServerOptions
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from assistant.pipeline.messages import Request
from bench.stats import summary
from intents import HomeVocabulary, Understander
from intents.types import IntentSource, UnderstandingContext
from iot_bridge import DeviceCommand
from iot_bridge.mosquitto import MosquittoProcess

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["打开厨房灯", "关闭厨房灯", "turn on the kitchen light", "turn off the kitchen light"]


async def _timed(n: int, call) -> list[float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _nlu_by_path(texts: list[str], vocab: HomeVocabulary, ctx: UnderstandingContext) -> dict[str, list[float]]:
    engine = Understander()
    engine.warm()
    samples: dict[str, list[float]] = {"rules": [], "model": []}
    for text in dict.fromkeys(texts):
        started = time.perf_counter()
        result = engine.understand(text, ctx, vocab)
        elapsed = (time.perf_counter() - started) * 1000
        by_rules = all(i.source is IntentSource.RULES for i in result.intents)
        samples["rules" if by_rules else "model"].append(elapsed)
    return samples


def _case_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "cases").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


async def _in_process(runtime: Runtime, requests: int) -> dict[str, dict]:
    assert runtime.pipeline is not None and runtime.bridge is not None
    pipeline, bridge = runtime.pipeline, runtime.bridge
    home = runtime.homes[0]
    understanding = pipeline._understanding
    texts = _case_texts()
    devices = bridge.devices(home.id)
    ctx = UnderstandingContext(speaker_room="living_room")
    nlu = await _timed(len(texts) * 4, lambda i: asyncio.sleep(0, understanding.understand(texts[i % len(texts)], home, devices, ctx)))

    async def command(i: int) -> None:
        result = await bridge.execute(home.id, DeviceCommand("kitchen_light", {"power": i % 2 == 0}))
        assert result.status.value == "done", result

    async def ask(i: int) -> None:
        answer = await pipeline.run(Request(COMMANDS[i % len(COMMANDS)], "living_room_speaker", f"b{i}", ""))
        assert answer.actions and answer.actions[0].status == "done", answer

    by_path = _nlu_by_path(texts, understanding.vocabulary(home, devices), ctx)
    return {
        "nlu": summary(nlu),
        "nlu_rules_path": summary(by_path["rules"]),
        "nlu_model_path": summary(by_path["model"]),
        "bridge": summary(await _timed(requests, command)),
        "pipeline": summary(await _timed(requests, ask)),
    }


def _load(port: int, mode: str, clients: int, requests: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.load", "--addr", f"127.0.0.1:{port}", "--clients", str(clients),
         "--requests", str(requests), "--mode", mode],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(out.stdout)


async def run(requests: int = 500, clients: int = 8, per_client: int = 250) -> dict:
    broker = MosquittoProcess()
    broker.start()
    url = f"mqtt://127.0.0.1:{broker.port}"
    devices = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is measured
        [sys.executable, "-m", "assistant", "simulate"], cwd=ROOT, env={**os.environ, "LINGXI_MQTT_URL": url}
    )
    try:
        config = Config(server=ServerOptions(port=0), mqtt=MqttOptions(url=url, simulate_devices=False))
        async with Runtime(config) as runtime:
            results = await _in_process(runtime, requests)
            assert runtime.pipeline is not None
            server = GrpcServer(AssistantService(runtime.pipeline, config.server, Metrics()), config.server)
            await server.start()
            try:
                results["grpc_health"] = await asyncio.to_thread(_load, server.port, "health", clients, per_client)
                results["grpc_ask"] = await asyncio.to_thread(_load, server.port, "ask", clients, per_client)
            finally:
                await server.stop()
    finally:
        devices.terminate()
        devices.wait(10)
        broker.cleanup()
    embedded = Config(mqtt=dataclasses.replace(MqttOptions(), embedded_port=0))
    async with Runtime(embedded) as runtime:
        assert runtime.pipeline is not None
        pipeline = runtime.pipeline

        async def ask(i: int) -> None:
            await pipeline.run(Request(COMMANDS[i % len(COMMANDS)], "living_room_speaker", f"e{i}", ""))

        results["pipeline_embedded"] = summary(await _timed(min(requests, 200), ask))
    return results
