"""A load generator in its own process: N concurrent gRPC clients against a running server.

``python -m bench.load --addr HOST:PORT --clients 8 --requests 250 --mode ask|health``
prints one JSON object: requests, seconds, throughput and latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from bench.stats import summary

#: One device per client, so concurrent commands never contend for the same device.
CLIENT_DEVICES = [
    ("客厅主灯", "living room light"), ("灯带", "light strip"), ("卧室灯", "bedroom light"), ("床头灯", "bedside lamp"),
    ("儿童房灯", "kids room light"), ("书房台灯", "desk lamp"), ("厨房灯", "kitchen light"), ("卫生间灯", "bathroom light"),
]


def utterance(client: int, i: int) -> str:
    zh, en = CLIENT_DEVICES[client % len(CLIENT_DEVICES)]
    on = i % 2 == 0
    if (i // 2) % 2 == 0:
        return ("打开" if on else "关闭") + zh
    return f"turn {'on' if on else 'off'} the {en}"


async def client_loop(channel: grpc.aio.Channel, client: int, requests: int, mode: str, latencies: list[float], errors: list[str]) -> None:
    ask = pb_grpc.AssistantStub(channel).Ask
    check = health_pb2_grpc.HealthStub(channel).Check
    for i in range(requests):
        started = time.perf_counter()
        try:
            if mode == "ask":
                answer = await ask(pb.AskRequest(text=utterance(client, i)), timeout=5)
                if not answer.actions or answer.actions[0].status != "done":
                    errors.append(f"{utterance(client, i)}: {answer.speech}")
            else:
                await check(health_pb2.HealthCheckRequest(), timeout=5)
        except grpc.aio.AioRpcError as err:
            errors.append(err.code().name)
        latencies.append((time.perf_counter() - started) * 1000)


async def run(addr: str, clients: int, requests: int, mode: str) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    channels = [grpc.aio.insecure_channel(addr) for _ in range(clients)]
    for ch in channels:
        await ch.channel_ready()
    started = time.perf_counter()
    await asyncio.gather(*(client_loop(ch, c, requests, mode, latencies, errors) for c, ch in enumerate(channels)))
    seconds = time.perf_counter() - started
    for ch in channels:
        await ch.close()
    return {
        "mode": mode,
        "clients": clients,
        "requests": clients * requests,
        "seconds": round(seconds, 3),
        "throughput_per_s": round(clients * requests / seconds, 1),
        "errors": len(errors),
        "first_errors": errors[:3],
        **summary(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=250)
    parser.add_argument("--mode", choices=("ask", "health"), default="ask")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.addr, args.clients, args.requests, args.mode))))


if __name__ == "__main__":
    main()
