"""The hub's front ends: a request over MQTT vs the same request in-process, and Wyoming intent recognition.

* ``pipeline``: the baseline, ``pipeline.run`` in-process (device commands confirmed by their device).
* ``mqtt``: the same commands as a hub sends them: a JSON request on ``lingxi/demo/request``
  (MQTT 5, response topic and correlation data) → the answer on the client's reply topic. The
  difference is the cost of the hub's transport: two extra MQTT hops, JSON both ways.
  ``mqtt311``: the same from an MQTT 3.1.1 client (``reply_to`` and ``correlation`` in the payload).
* ``wyoming_recognize``: ``recognize`` → ``intent`` with the ``wyoming`` package's client, one
  connection per request as Home Assistant makes them; understanding only, nothing runs.

mosquitto, the virtual devices, the service and the clients share this machine's cores, as in
``bench/foundation.py``; requests go one at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable

from wyoming.client import AsyncTcpClient
from wyoming.intent import Intent, Recognize

from assistant.app.config import Config, MqttOptions
from assistant.app.runtime import Runtime, free_port
from assistant.hub import HubService
from assistant.hub.client import HubClient
from assistant.pipeline.messages import Request
from assistant.pipeline.understanding import HomeUnderstanding
from assistant.voice.service import VoiceService
from assistant.wyoming import WyomingOptions, WyomingServer
from bench.stats import summary
from iot_bridge.mosquitto import MosquittoProcess

COMMANDS = ["打开厨房灯", "关闭厨房灯", "turn on the kitchen light", "turn off the kitchen light"]
RECOGNIZED = ["打开客厅的灯", "关掉卧室灯", "空调调到二十六度", "set the bedroom light to 40 percent", "定一个十分钟的计时器",
              "is the kitchen light on"]
WARM_UP = 20


async def _timed(n: int, call: Callable[[int], Awaitable[None]]) -> list[float]:
    for i in range(WARM_UP):
        await call(i)
    samples = []
    for i in range(n):
        started = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def run(requests: int = 200) -> dict:
    broker = MosquittoProcess()
    await asyncio.to_thread(broker.start)
    try:
        config = Config(mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}"))
        async with Runtime(config) as runtime:
            assert runtime.pipeline is not None and runtime.mqtt is not None and runtime.bridge is not None
            pipeline = runtime.pipeline
            hub = HubService(pipeline, runtime.mqtt, runtime.homes)
            await hub.start()
            client = await HubClient(runtime.mqtt, "demo").start()
            client311 = await HubClient(runtime.mqtt, "demo", mqtt5=False).start()
            wyoming = WyomingServer(pipeline, VoiceService(), HomeUnderstanding(), runtime.bridge, WyomingOptions(port=free_port()))
            await wyoming.start()
            try:
                async def in_process(i: int) -> None:
                    answer = await pipeline.run(Request(COMMANDS[i % len(COMMANDS)], "living_room_speaker", f"b{i}", ""))
                    assert answer.actions and answer.actions[0].status == "done", answer

                def over_mqtt(hub_client: HubClient) -> Callable[[int], Awaitable[None]]:
                    async def ask(i: int) -> None:
                        answer = await hub_client.ask(COMMANDS[i % len(COMMANDS)])
                        assert answer["actions"] and answer["actions"][0]["status"] == "done", answer

                    return ask

                async def recognize(i: int) -> None:
                    async with AsyncTcpClient(wyoming.options.host, wyoming.options.port) as wy:
                        await wy.write_event(Recognize(text=RECOGNIZED[i % len(RECOGNIZED)]).event())
                        event = await wy.read_event()
                    assert event is not None and Intent.is_type(event.type), event

                baseline = summary(await _timed(requests, in_process))
                mqtt = summary(await _timed(requests, over_mqtt(client)))
                return {
                    "pipeline": baseline,
                    "mqtt": mqtt,
                    "mqtt311": summary(await _timed(requests, over_mqtt(client311))),
                    "mqtt_overhead_p50_ms": round(mqtt["p50_ms"] - baseline["p50_ms"], 3),
                    "mqtt_overhead_p95_ms": round(mqtt["p95_ms"] - baseline["p95_ms"], 3),
                    "wyoming_recognize": summary(await _timed(requests, recognize)),
                }
            finally:
                await wyoming.stop()
                await client311.stop()
                await client.stop()
                await hub.stop()
    finally:
        await asyncio.to_thread(broker.cleanup)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(asyncio.run(run()), indent=1))
