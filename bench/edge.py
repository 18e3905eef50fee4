"""Edge → cloud forwarding: its overhead on loopback, and what each state of the upstream costs the user.

Two instances on this machine, as the tests run them: an edge (``role: edge``, the demo home's
devices on mosquitto) and a cloud (``role: cloud``, no devices of its own, no LLM), with
:class:`testkit.delay_proxy.DelayProxy` between them.

(a) ``overhead``: one utterance the edge forwards (a song to play: the clause goes up, the
    cloud's catalogue answers), asked of the edge and of the cloud directly, interleaved; per
    pair, edge minus cloud. Goal: p50 ≤ 3 ms.
(b) ``conditions``: fast, slow (10 s added: beyond every budget), down (connections refused),
    flapping (down and up every second, a 1 s circuit): a mix of device commands, requests of the
    cloud's kinds (songs, a poem) and requests the edge cannot understand, each with its default
    deadline as the client's gRPC deadline. Reported: share forwarded, share answered within the
    deadline (goal ≥ 99 %), device commands done, and any device command that left the edge.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import grpc
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.app.config import Config, MqttOptions, SearchOptions, ServerOptions, UpstreamOptions
from assistant.app.runtime import free_port
from assistant.app.serving import serving
from bench.stats import summary
from domain.home import load_demo_home
from iot_bridge import MqttSettings, VirtualHome
from iot_bridge.mosquitto import MosquittoProcess
from testkit.delay_proxy import DelayProxy

SPEAKER = "living_room_speaker"
SONG = "播放周杰伦的歌"
DEVICE = [("zh", "打开客厅的灯"), ("zh", "关掉客厅的灯"), ("en", "turn on the kitchen light"), ("en", "turn off the kitchen light")]
CLOUD_KINDS = [("zh", SONG), ("en", "play some jazz"), ("zh", "写一首关于春天的诗")]
UNPLACED = [("zh", "家里有点闷"), ("en", "book me a flight to Paris")]
#: The client's deadline per utterance: the service's default budget for its kind (BudgetOptions).
DEADLINE_S = {"写一首关于春天的诗": 8.0, SONG: 3.0, "play some jazz": 3.0}
TOOL_DEADLINE_S = 2.5
SLOW_S = 10.0
#: The benchmark's one speaker asks faster than a person would: admission is not what is measured here.
RATE = 1000.0


async def _ask(channel: grpc.aio.Channel, text: str, lang: str, timeout_s: float) -> pb.Answer:
    request = pb.AskRequest(text=text, device_id=SPEAKER, lang=lang)
    return await pb_grpc.AssistantStub(channel).Ask(request, timeout=timeout_s)


@contextlib.asynccontextmanager
async def _instance(config: Config) -> AsyncIterator[grpc.aio.Channel]:
    async with serving(config) as served, grpc.aio.insecure_channel(f"127.0.0.1:{served.server.port}") as channel:
        yield channel


def _edge_config(broker: MosquittoProcess, upstream_port: int, data_dir: Path, circuit_open_s: float) -> Config:
    return Config(
        server=ServerOptions(port=0, device_rate=RATE),
        mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}", command_timeout_s=1.0),
        search=SearchOptions(preload=True),
        upstream=UpstreamOptions(url=f"127.0.0.1:{upstream_port}", circuit_open_s=circuit_open_s),
        role="edge",
        data_dir=str(data_dir),
    )


async def _overhead(edge: grpc.aio.Channel, cloud: grpc.aio.Channel, pairs: int) -> dict:
    for _ in range(10):  # warm both paths (channels, indexes, the upstream's latency estimate)
        await _ask(edge, SONG, "zh", 3.0)
        await _ask(cloud, SONG, "zh", 3.0)
    edge_ms, cloud_ms, forwarded = [], [], 0
    for _ in range(pairs):
        started = time.perf_counter()
        answer = await _ask(edge, SONG, "zh", 3.0)
        edge_ms.append((time.perf_counter() - started) * 1000)
        forwarded += answer.route.tier == "cloud"
        started = time.perf_counter()
        await _ask(cloud, SONG, "zh", 3.0)
        cloud_ms.append((time.perf_counter() - started) * 1000)
    return {"edge_to_cloud": summary(edge_ms), "cloud_direct": summary(cloud_ms),
            "overhead": summary([e - c for e, c in zip(edge_ms, cloud_ms)]), "forwarded": forwarded, "pairs": pairs}


async def _traffic(edge: grpc.aio.Channel, requests: int, gap_s: float) -> dict:
    mix = [*DEVICE, *CLOUD_KINDS, *UNPLACED]
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for n in range(requests):
        lang, text = mix[n % len(mix)]
        deadline = DEADLINE_S.get(text, TOOL_DEADLINE_S)
        device = (lang, text) in DEVICE
        started = time.perf_counter()
        try:
            answer = await _ask(edge, text, lang, deadline)
        except grpc.aio.AioRpcError as err:
            counts[f"error {err.code().name}"] += 1
            continue
        elapsed = time.perf_counter() - started
        counts["within_deadline"] += elapsed <= deadline
        counts["forwarded"] += answer.route.tier == "cloud"
        if device:
            counts["device_commands"] += 1
            counts["device_done"] += bool(answer.actions) and all(a.status == "done" for a in answer.actions)
            counts["device_forwarded"] += answer.route.tier == "cloud"
        reasons[_why(answer.route.reason)] += 1
        if gap_s:
            await asyncio.sleep(gap_s)
    return {
        "requests": requests,
        "share_forwarded": round(counts["forwarded"] / requests, 3),
        "share_within_deadline": round(counts["within_deadline"] / requests, 3),
        "device_done": f"{counts['device_done']}/{counts['device_commands']}",
        "device_forwarded": counts["device_forwarded"],
        "errors": {k: v for k, v in counts.items() if k.startswith("error")},
        "routes": dict(reasons.most_common()),
    }


def _why(reason: str) -> str:
    """The route reason's gist, numbers left out, for counting."""
    for gist in ("forwarded to cloud", "upstream timeout", "upstream unavailable", "upstream unreachable", "upstream p90",
                 "upstream refused"):
        if gist in reason:
            return gist
    return "answered on the edge" if "confidence" in reason else reason[:40]


async def _flap(proxy: DelayProxy, period_s: float) -> None:
    while True:
        proxy.down = True
        proxy.cut()
        await asyncio.sleep(period_s)
        proxy.down = False
        await asyncio.sleep(period_s)


async def _condition(
    broker: MosquittoProcess, proxy: DelayProxy, data_dir: Path, requests: int,
    setup: Callable[[], Awaitable[asyncio.Task[None] | None]], circuit_open_s: float = 30.0, gap_s: float = 0.0,
) -> dict:
    async with _instance(_edge_config(broker, proxy.port, data_dir, circuit_open_s)) as edge:
        flapping = await setup()
        try:
            return await _traffic(edge, requests, gap_s)
        finally:
            if flapping is not None:
                flapping.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await flapping
            proxy.delay_s, proxy.down = 0.0, False


async def run(pairs: int = 200, requests: int = 60) -> dict:
    broker = MosquittoProcess()
    await asyncio.to_thread(broker.start)
    try:
        with tempfile.TemporaryDirectory(prefix="lingxi-bench-edge-") as tmp:
            folder = Path(tmp)
            # the devices announce themselves (retained); the cloud learns them from that and never commands them
            announcer = VirtualHome(load_demo_home(), MqttSettings(host=broker.host, port=broker.port))
            await announcer.start()
            await announcer.stop()
            cloud_port = free_port()
            cloud_config = Config(
                server=ServerOptions(port=cloud_port, device_rate=RATE),
                mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}", simulate_devices=False),
                search=SearchOptions(preload=True), role="cloud", data_dir=str(folder / "cloud"),
            )
            async with _instance(cloud_config) as cloud, DelayProxy(cloud_port) as proxy:
                edge_dir = folder / "edge"
                async with _instance(_edge_config(broker, proxy.port, edge_dir, 30.0)) as edge:
                    overhead = await _overhead(edge, cloud, pairs)

                async def fast() -> None:
                    return None

                async def slow() -> None:
                    proxy.delay_s = SLOW_S

                async def down() -> None:
                    proxy.down = True
                    proxy.cut()

                async def flapping() -> asyncio.Task[None]:
                    return asyncio.create_task(_flap(proxy, 1.0))

                conditions = {
                    "fast": await _condition(broker, proxy, edge_dir, requests, fast),
                    f"slow (+{SLOW_S:.0f} s)": await _condition(broker, proxy, edge_dir, requests, slow),
                    "down": await _condition(broker, proxy, edge_dir, requests, down),
                    "flapping (1 s down, 1 s up)": await _condition(broker, proxy, edge_dir, requests * 2, flapping,
                                                                    circuit_open_s=1.0, gap_s=0.05),
                }
    finally:
        await asyncio.to_thread(broker.cleanup)
    return {"overhead": overhead, "conditions": conditions}


if __name__ == "__main__":
    import json
    import logging

    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(asyncio.run(run()), indent=1, ensure_ascii=False))
