"""Voice latency: end of speech → final transcript → device state confirmed, streamed over gRPC in real time.

The synthesised commands of ``testkit/voice_commands.jsonl`` (espeak-ng, zh and en) are streamed
to a real server (mosquitto, the virtual demo home, whisper base int8, two decodes at once on one thread each) at the pace
of the audio, in 32 ms chunks, followed by silence; the server's endpointer ends each
utterance. Measured at the client:

* ``first_partial``: first speech sample sent → first partial transcript.
* ``eos_to_transcript``: last speech sample sent → final transcript event.
* ``eos_to_confirmed``: last speech sample sent → the answer (sent once the device confirmed its new state).
* ``baseline_*``: the same model transcribing the whole utterance only after it ended (the endpoint's
  trailing silence, then one decode), and stock faster-whisper (30 s window) on a sample of clips.
* ``rtf``: decode time / audio duration of one whole-utterance decode; ``peak_rss_mb`` of this process
  (server and recogniser run in it).
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

import grpc
import numpy as np
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.convert import answer_from_proto
from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import Config, MqttOptions, ServerOptions
from assistant.app.metrics import Metrics
from assistant.app.runtime import Runtime
from assistant.evaluation.cases import Case, check, parse_cases
from assistant.voice.audio import SAMPLE_RATE, pcm_to_float, read_wav
from assistant.voice.service import VoiceService
from bench.stats import summary
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess

ROOT = Path(__file__).resolve().parents[1]
CHUNK_S = 0.032
TRAILING_SILENCE_S = 1.2


def _speech_span(pcm: bytes) -> tuple[float, float]:
    """Seconds of the first and last sample louder than -34 dBFS (the fixtures' pads are digital silence)."""
    loud = np.flatnonzero(np.abs(pcm_to_float(pcm)) > 0.02)
    return (loud[0] / SAMPLE_RATE, loud[-1] / SAMPLE_RATE) if loud.size else (0.0, 0.0)


async def _stream(stub: pb_grpc.AssistantStub, case: Case, session_id: str) -> dict:
    assert case.audio is not None
    fmt, pcm = read_wav(case.audio)
    first, last = _speech_span(pcm)
    step = int(SAMPLE_RATE * 2 * CHUNK_S)
    pcm += b"\0" * int(SAMPLE_RATE * 2 * TRAILING_SILENCE_S)
    marks: dict[str, float] = {}
    answered = asyncio.Event()

    async def outgoing():
        context = pb.AskRequest(lang=case.lang or "", request_id=case.id, session_id=session_id)
        yield pb.ConverseRequest(audio_start=pb.AudioStart(sample_rate_hz=fmt.sample_rate_hz, channels=1,
                                                           encoding="pcm_s16le", context=context))
        started = time.monotonic()
        for i in range(0, len(pcm), step):
            due = started + i / (SAMPLE_RATE * 2)
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            yield pb.ConverseRequest(audio=pb.AudioChunk(pcm=pcm[i : i + step]))
            end_s = (i + step) / (SAMPLE_RATE * 2)
            if "speech_start" not in marks and end_s > first:
                marks["speech_start"] = time.monotonic()
            if "speech_end" not in marks and end_s > last:
                marks["speech_end"] = time.monotonic()
        await answered.wait()

    answer = None
    async for event in stub.Converse(outgoing(), timeout=30):
        kind = event.WhichOneof("kind")
        if kind == "transcript" and not event.transcript.final:
            marks.setdefault("first_partial", time.monotonic())
        elif kind == "transcript":
            marks["final"] = time.monotonic()
        elif kind in ("answer", "error"):
            marks["answer"] = time.monotonic()
            answer = event.answer if kind == "answer" else None
            answered.set()
            break
    ms = lambda a, b: (marks[b] - marks[a]) * 1000 if a in marks and b in marks else None  # noqa: E731
    return {"answer": answer, "first_partial": ms("speech_start", "first_partial"),
            "eos_to_transcript": ms("speech_end", "final"), "eos_to_confirmed": ms("speech_end", "answer")}


async def _baseline(voice: VoiceService, home, cases: list[Case], stock_sample: int) -> dict:
    """Whole-utterance decodes after the end, with the same recogniser; stock faster-whisper on a sample."""
    recognizer = await voice.recognizer()
    hints, _ = await voice._home(home)
    trailing = voice.options.utterance.endpoint.trailing_silence_ms
    decode_ms, rtf = [], []
    for case in cases:
        assert case.audio is not None
        _, pcm = read_wav(case.audio)
        result = await asyncio.to_thread(recognizer.transcribe, pcm_to_float(pcm), case.lang, hints.prompts)
        decode_ms.append(result.decode_s * 1000)
        rtf.append(result.decode_s / result.audio_s)
    stock_ms = []
    try:
        from faster_whisper import WhisperModel

        from assistant.voice.asr import assemble_model, default_model_dir

        model = WhisperModel(str(assemble_model(default_model_dir())), device="cpu", compute_type="int8", cpu_threads=2)
        for case in cases[:: max(1, len(cases) // stock_sample)][:stock_sample]:
            assert case.audio is not None
            audio = pcm_to_float(read_wav(case.audio)[1])
            started = time.monotonic()
            segments, _ = model.transcribe(audio, language=case.lang, temperature=0, beam_size=1,
                                           initial_prompt=hints.prompt(case.lang or "zh"), without_timestamps=True)
            "".join(s.text for s in segments)
            stock_ms.append((time.monotonic() - started) * 1000)
        del model
    except ImportError:
        pass
    return {
        "baseline_eos_to_transcript": summary([trailing + d for d in decode_ms]),
        "baseline_decode": summary(decode_ms),
        "baseline_stock_faster_whisper_30s": summary(stock_ms),
        "rtf": round(float(np.median(rtf)), 3),
    }


async def run(limit: int | None = None, stock_sample: int = 6) -> dict:
    from testkit.voice_fixtures import make_fixtures

    broker = MosquittoProcess()
    broker.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cases = parse_cases(make_fixtures(Path(tmp)))
            config = Config(server=ServerOptions(port=0), mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}"))
            async with Runtime(config) as runtime:
                assert runtime.pipeline is not None and runtime.mqtt is not None
                voice = VoiceService()
                await voice.warm(runtime.homes)
                service = AssistantService(runtime.pipeline, config.server, Metrics(), runtime.notifications, voice)
                server = GrpcServer(service, config.server)
                await server.start()
                try:
                    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
                        stub = pb_grpc.AssistantStub(channel)
                        figures = await _run_cases(stub, runtime, cases, limit)
                finally:
                    await server.stop()
                spoken = [c for c in cases if c.audio is not None][:limit]
                figures |= await _baseline(voice, runtime.homes[0], spoken, stock_sample)
    finally:
        broker.cleanup()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


async def _run_cases(stub: pb_grpc.AssistantStub, runtime: Runtime, cases: list[Case], limit: int | None) -> dict:
    rows: dict[str, list[float]] = {"first_partial": [], "eos_to_transcript": [], "eos_to_confirmed": []}
    passed = {"zh": [0, 0], "en": [0, 0]}
    sessions: set[str] = set()
    spoken = 0
    for case in cases:
        if limit is not None and spoken >= limit:
            break
        if case.session is None or case.session not in sessions:
            await runtime.reset_home(runtime.homes[0].id)
            assert runtime.bridge is not None and await runtime.bridge.sync(5.0)
        session_id = f"bench-{case.session}" if case.session else ""
        if case.session:
            sessions.add(case.session)
        if case.audio is None:
            await stub.Ask(pb.AskRequest(text=case.text, lang=case.lang or "", session_id=session_id), timeout=10)
            continue
        spoken += 1
        result = await _stream(stub, case, session_id)
        for key in rows:
            if result[key] is not None:
                rows[key].append(result[key])
        assert runtime.mqtt is not None
        ok = result["answer"] is not None and not check(
            case, answer_from_proto(result["answer"]), await read_states(runtime.mqtt, runtime.homes[0], 3.0), None)
        passed[case.lang or "zh"][0] += ok
        passed[case.lang or "zh"][1] += 1
    figures: dict = {key: summary(values) for key, values in rows.items()}
    figures["success"] = {lang: f"{ok}/{n}" for lang, (ok, n) in passed.items()}
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else None)), indent=2, ensure_ascii=False))
