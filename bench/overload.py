"""Overload: Ask latency while 50 devices stream speech at once, with the recogniser's queue bounded.

One server (mosquitto, the virtual demo home, whisper base) runs in this process. First Ask alone
(the baseline), then Ask again while a second process streams synthesised commands over 50
``Converse`` streams in real time (100 ms chunks, then silence and AudioEnd), each stream starting
its next utterance when the last was answered or refused. Reported:

* ``ask_baseline`` / ``ask_under_voice_load``: Ask → answer latency (a device command, sequential, 10/s).
* ``voice``: spoken turns served (answered) and shed (RESOURCE_EXHAUSTED at their start), other
  errors by code; of those served, how many acted, their end of speech → answer (``end_to_end``),
  and how many answered "too late" (past ``budget.voice_s``: acting on nothing).
* ``acted_after_deadline``: served turns that acted although their answer came later than the
  voice deadline plus the device's confirmation time — 0 is the goal.
* ``rss_mb``: the server process's resident memory before and after the load.

* ``checks``: Ask p95 within 100 ms under the load, and no voice turn acted after its deadline.

``python -m bench.overload [SECONDS] [MAX_OPEN_UTTERANCES] [ASR_PARALLEL]`` (defaults: the service's)
writes bench/results/overload.json and exits 1 when a voice turn acted after its deadline; a large
second argument shows the service without shedding. Run it without ``nice``: the server and the
load share the machine's cores as a deployed hub's would.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import grpc
import psutil
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import BudgetOptions, Config, MqttOptions, ServerOptions
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from assistant.voice.asr import AsrOptions
from assistant.voice.audio import read_wav
from assistant.voice.service import VoiceOptions, VoiceService
from bench.stats import summary
from iot_bridge.mosquitto import MosquittoProcess

STREAMS = 50
CHUNK_S = 0.1
TRAILING_SILENCE_S = 1.0
ASK_INTERVAL_S = 0.1
ASK_TEXTS = ("打开书房台灯", "关闭书房台灯")
SPEAKERS = ("living_room_speaker", "bedroom_speaker", "kids_room_speaker")
#: Spoken commands the voice load repeats (testkit/voice_commands.jsonl).
CLIPS = ("zh-01", "zh-02", "zh-03", "zh-04", "en-01", "en-02")
#: The issue's bar for a text Ask while 50 devices stream speech.
ASK_P95_GOAL_MS = 100.0
RESULTS = Path(__file__).resolve().parent / "results"


async def _asks(stub: pb_grpc.AssistantStub, duration_s: float) -> tuple[list[float], Counter]:
    latencies: list[float] = []
    errors: Counter = Counter()
    until = time.monotonic() + duration_s
    n = 0
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            await stub.Ask(pb.AskRequest(text=ASK_TEXTS[n % 2], device_id="living_room_speaker"), timeout=10)
            latencies.append((time.monotonic() - started) * 1000)
        except grpc.aio.AioRpcError as error:
            errors[error.code().name] += 1
        n += 1
        await asyncio.sleep(max(0.0, ASK_INTERVAL_S - (time.monotonic() - started)))
    return latencies, errors


def _utterance(path: Path, device_id: str) -> list[pb.ConverseRequest]:
    fmt, pcm = read_wav(path)
    pcm += b"\0" * int(fmt.sample_rate_hz * 2 * TRAILING_SILENCE_S)
    step = int(fmt.sample_rate_hz * 2 * CHUNK_S)
    start = pb.AudioStart(sample_rate_hz=fmt.sample_rate_hz, channels=1, encoding="pcm_s16le",
                          context=pb.AskRequest(device_id=device_id))
    chunks = [pb.ConverseRequest(audio=pb.AudioChunk(pcm=pcm[i:i + step])) for i in range(0, len(pcm), step)]
    return [pb.ConverseRequest(audio_start=start), *chunks, pb.ConverseRequest(audio_end=pb.AudioEnd())]


async def _speaker(stub: pb_grpc.AssistantStub, utterances: list[list[pb.ConverseRequest]], index: int, until: float,
                   outcomes: list[dict]) -> None:
    turn = index
    while time.monotonic() < until:
        messages = utterances[turn % len(utterances)]
        turn += 1
        refused = asyncio.Event()

        async def outgoing(messages=messages, refused=refused):
            for message in messages:
                if refused.is_set():  # a device told "busy" stops sending
                    return
                if message.WhichOneof("kind") == "audio":
                    await asyncio.sleep(CHUNK_S)
                yield message

        outcome: dict = {"kind": "none"}
        try:
            async for event in stub.Converse(outgoing(), timeout=120):
                kind = event.WhichOneof("kind")
                if kind == "error":
                    outcome = {"kind": "shed" if event.error.code == "RESOURCE_EXHAUSTED" else f"error {event.error.code}"}
                    refused.set()
                elif kind == "answer":
                    answer = event.answer
                    outcome = {"kind": "served", "acted": any(a.status == "done" for a in answer.actions),
                               "end_to_end": answer.timings_ms.get("end_to_end"), "too_late": "太晚" in answer.speech
                               or "too late" in answer.speech.lower()}
        except grpc.aio.AioRpcError as error:
            outcome = {"kind": f"stream {error.code().name}"}
        outcomes.append(outcome)
        if outcome["kind"] == "shed":
            await asyncio.sleep(1.0)  # the retry hint


async def _voice_load(port: int, clip_dir: str, streams: int, duration_s: float) -> list[dict]:
    utterances = {speaker: [_utterance(Path(clip_dir) / f"{clip}.wav", speaker) for clip in CLIPS] for speaker in SPEAKERS}
    outcomes: list[dict] = []
    until = time.monotonic() + duration_s
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.AssistantStub(channel)
        await asyncio.gather(*(_speaker(stub, utterances[SPEAKERS[i % len(SPEAKERS)]], i, until, outcomes)
                               for i in range(streams)))
    return outcomes


def _voice_process(port: int, clip_dir: str, streams: int, duration_s: float, results: multiprocessing.Queue) -> None:
    results.put(asyncio.run(_voice_load(port, clip_dir, streams, duration_s)))


def _voice_figures(outcomes: list[dict], voice_s: float) -> dict:
    kinds = Counter(o["kind"] for o in outcomes)
    served = [o for o in outcomes if o["kind"] == "served"]
    acting = [o for o in served if o["acted"]]
    # an acting turn's answer may come after its deadline by the device's confirmation, never by more
    late_bound_ms = (voice_s + 2.0) * 1000
    return {
        "turns": len(outcomes),
        "served": kinds.pop("served", 0),
        "shed": kinds.pop("shed", 0),
        "other": dict(kinds),
        "acted": len(acting),
        "too_late": sum(o["too_late"] for o in served),
        "served_end_to_end": summary([o["end_to_end"] for o in served if o["end_to_end"] is not None]),
        "acted_after_deadline": sum(1 for o in acting if (o["end_to_end"] or 0) > late_bound_ms),
    }


async def run(duration_s: float = 30.0, max_open_utterances: int = VoiceOptions().max_open_utterances,
              streams: int = STREAMS, asr_parallel: int = AsrOptions().parallel) -> dict:
    from testkit.voice_fixtures import load_commands, make_fixtures

    broker = MosquittoProcess()
    broker.start()
    process = psutil.Process()
    try:
        with tempfile.TemporaryDirectory() as clip_dir:
            make_fixtures(Path(clip_dir), [c for c in load_commands() if c["id"] in CLIPS])
            # one home's few speakers stand for 50 devices: their per-device limits are lifted here
            server_options = ServerOptions(port=0, device_rate=1000.0, device_burst=1000, device_streams=streams)
            budget = BudgetOptions()
            config = Config(server=server_options, mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}"), budget=budget)
            async with Runtime(config) as runtime:
                assert runtime.pipeline is not None
                voice = VoiceService(VoiceOptions(AsrOptions(parallel=asr_parallel), max_open_utterances=max_open_utterances))
                await voice.warm(runtime.homes)
                server = GrpcServer(AssistantService(runtime.pipeline, server_options, Metrics(), runtime.notifications, voice),
                                    server_options)
                await server.start()
                try:
                    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
                        stub = pb_grpc.AssistantStub(channel)
                        await _asks(stub, 2.0)  # warm
                        baseline, baseline_errors = await _asks(stub, min(duration_s, 15.0))
                        rss_before = process.memory_info().rss
                        results: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
                        load = multiprocessing.get_context("spawn").Process(
                            target=_voice_process, args=(server.port, clip_dir, streams, duration_s, results))
                        load.start()
                        await asyncio.sleep(2.0)  # the load process imports and connects
                        loaded, loaded_errors = await _asks(stub, duration_s - 2.0)
                        outcomes = await asyncio.to_thread(results.get, True, duration_s + 180)
                        await asyncio.to_thread(load.join, 30)
                        rss_after = process.memory_info().rss
                finally:
                    await server.stop()
    finally:
        broker.cleanup()
    ask_loaded = summary(loaded) | {"errors": dict(loaded_errors)}
    voice_figures = _voice_figures(outcomes, budget.voice_s)
    return {
        "streams": streams,
        "max_open_utterances": max_open_utterances,
        "asr_parallel": asr_parallel,
        "ask_baseline": summary(baseline) | {"errors": dict(baseline_errors)},
        "ask_under_voice_load": ask_loaded,
        "voice": voice_figures,
        "rss_mb": {"before": round(rss_before / 2**20, 1), "after": round(rss_after / 2**20, 1)},
        "checks": {
            f"ask_p95_within_{ASK_P95_GOAL_MS:.0f}_ms": bool(ask_loaded.get("p95_ms", float("inf")) <= ASK_P95_GOAL_MS),
            "no_voice_turn_acted_after_deadline": voice_figures["acted_after_deadline"] == 0,
        },
    }


def report(figures: dict) -> str:
    """The figures' few lines for a person; the checks as PASS/FAIL."""
    ask, voice = figures["ask_under_voice_load"], figures["voice"]
    lines = [
        f"overload: {figures['streams']} speech streams, max_open_utterances={figures['max_open_utterances']}, "
        f"asr_parallel={figures['asr_parallel']}",
        f"  ask alone p50 {figures['ask_baseline'].get('p50_ms')} ms p95 {figures['ask_baseline'].get('p95_ms')} ms; "
        f"under load p50 {ask.get('p50_ms')} ms p95 {ask.get('p95_ms')} ms (n={ask.get('n')}, errors {ask['errors']})",
        f"  voice turns {voice['turns']}: served {voice['served']}, shed {voice['shed']}, acted {voice['acted']}, "
        f"too late {voice['too_late']}, acted after deadline {voice['acted_after_deadline']}; other {voice['other']}",
        f"  rss {figures['rss_mb']['before']} -> {figures['rss_mb']['after']} MB",
    ]
    lines += [f"  {'PASS' if ok else 'FAIL'} {name}" for name, ok in figures["checks"].items()]
    return "\n".join(lines)


def write(figures: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "overload.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    args = [float(a) for a in sys.argv[1:]]
    figures = asyncio.run(run(args[0] if args else 30.0,
                              int(args[1]) if len(args) > 1 else VoiceOptions().max_open_utterances,
                              asr_parallel=int(args[2]) if len(args) > 2 else AsrOptions().parallel))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    print(report(figures))
    print(f"written to {write(figures)}")
    sys.exit(0 if figures["checks"]["no_voice_turn_acted_after_deadline"] else 1)
