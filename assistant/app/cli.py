"""The ``assistant`` command: serve, ask, chat, eval, simulate (and the model commands).

Configuration is parsed here, once, and passed down as typed objects.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import signal
import sys
import uuid
from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import grpc
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.convert import answer_from_proto, answer_to_json, parse_clock, parse_lang, request_to_proto
from assistant.api.tls import ClientTls, client_channel
from assistant.app import cli_data, cli_models, cli_skills
from assistant.app.chat import ChatOptions, audio_messages, converse, stdin_lines
from assistant.app.config import Config, load_config, serve_defaults
from assistant.app.frontends import start_front_ends
from assistant.app.logs import setup_logging
from assistant.app.runtime import Runtime, load_homes
from assistant.app.serving import serving
from assistant.evaluation.cases import parse_cases
from assistant.evaluation.runner import Evaluator, lines, summarize
from assistant.pipeline.messages import Answer, Request
from assistant.voice.audio import read_wav
from assistant.voice.service import VoiceService, answer_audio, voice_options
from domain.errors import ErrorCode, LingxiError
from iot_bridge import VirtualHome, parse_mqtt_url

_LOGGER = logging.getLogger(__name__)

EXIT_REQUEST_ERROR = 2


def _in_process(config: Config, home: str | None) -> Config:
    """Embedded defaults for one-shot commands: a private broker port, the chosen home."""
    mqtt = config.mqtt if config.mqtt.url else dataclasses.replace(config.mqtt, embedded_port=0)
    return dataclasses.replace(config, mqtt=mqtt, homes=(home,) if home else config.homes)


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _simulate(args: argparse.Namespace, config: Config) -> int:
    """Run only the virtual devices of the home(s), against the configured broker."""
    if not config.mqtt.url:
        raise LingxiError(ErrorCode.INVALID_ARGUMENT, "simulate needs a broker: set LINGXI_MQTT_URL (e.g. mqtt://127.0.0.1:1883)")
    settings = parse_mqtt_url(config.mqtt.url, client_id_prefix="lingxi-sim", ca_file=config.mqtt.ca_file or None)
    homes = load_homes(_in_process(config, args.home))
    async with AsyncExitStack() as stack:
        for home in homes:
            virtual = VirtualHome(home, settings)
            await virtual.start()
            stack.push_async_callback(virtual.stop)
        _LOGGER.info("simulating %s on %s", ", ".join(h.id for h in homes), settings.url())
        await _until_signalled()
    return 0


async def _warm_voice(voice: VoiceService, runtime: Runtime) -> None:
    try:
        await voice.warm(runtime.homes)
        _LOGGER.info("speech recognition ready")
    except LingxiError as err:  # no recogniser installed: text keeps working
        _LOGGER.warning("speech input unavailable: %s", err.message)


async def _serve(args: argparse.Namespace, config: Config) -> int:
    config = serve_defaults(config)
    async with serving(config) as instance, AsyncExitStack() as front_ends:
        if config.metrics.port:
            instance.metrics.serve(config.metrics.host, config.metrics.port)
        await start_front_ends(instance, config, front_ends)
        # text is served at once; the recogniser (~5 s) loads behind it
        warming = asyncio.ensure_future(_warm_voice(instance.voice, instance.runtime)) if config.voice.preload else None
        await _until_signalled()
        _LOGGER.info("shutting down")
        if warming is not None:
            warming.cancel()
    return 0


async def _chat(args: argparse.Namespace, config: Config) -> int:
    options = ChatOptions(
        speaker=args.speaker or "", lang=args.lang or "", session=args.session or "", token=args.token or "",
        json=args.json, prompt=sys.stdin.isatty(), tls=_tls(args),
    )
    lines = stdin_lines(sys.stdin)
    if args.server:
        return await converse(args.server, options, lines, sys.stdout, sys.stderr)
    # the in-process instance listens on a private loopback port, so chat is a client like any other
    local = _in_process(config, args.home)
    local = dataclasses.replace(local, server=dataclasses.replace(local.server, host="127.0.0.1", port=0))
    async with serving(local) as instance:
        return await converse(f"127.0.0.1:{instance.server.port}", options, lines, sys.stdout, sys.stderr)


def _request(args: argparse.Namespace, config: Config) -> Request:
    return Request(
        text=args.text or "",
        speaker_id=args.speaker or config.server.default_speaker,
        request_id=uuid.uuid4().hex,
        session_id=args.session or "",
        lang=parse_lang(args.lang or ""),
        now=parse_clock(args.now or ""),
    )


async def _ask_local(args: argparse.Namespace, config: Config) -> Answer:
    async with Runtime(_in_process(config, args.home)) as runtime:
        assert runtime.pipeline is not None
        if args.audio:
            fmt, pcm = await asyncio.to_thread(read_wav, Path(args.audio))
            return await answer_audio(VoiceService(voice_options(config.voice)), runtime.pipeline, _request(args, config), fmt, pcm)
        return await runtime.pipeline.run(_request(args, config))


async def _converse_audio(stub: pb_grpc.AssistantStub, args: argparse.Namespace, request: Request, metadata: Any) -> pb.Answer:
    """Stream a WAV file as one utterance; the answer, or the turn's error."""
    fmt, pcm = await asyncio.to_thread(read_wav, Path(args.audio))
    async for event in stub.Converse(iter(audio_messages(fmt, pcm, request)), timeout=args.timeout, metadata=metadata):
        if event.WhichOneof("kind") == "answer":
            return event.answer
        if event.WhichOneof("kind") == "error":
            raise LingxiError(ErrorCode(event.error.code), event.error.message)
    raise LingxiError(ErrorCode.UNAVAILABLE, "the server closed the stream without an answer")


def _tls(args: argparse.Namespace) -> ClientTls | None:
    """TLS to the server when any of --tls-ca, --tls-cert, --tls-key is given."""
    files = ClientTls(args.tls_ca or "", args.tls_cert or "", args.tls_key or "")
    return files if files != ClientTls() else None


def _add_tls(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tls-ca", metavar="CA.pem", help="speak TLS to --server, trusting this CA (default CAs: --tls-cert alone)")
    parser.add_argument("--tls-cert", metavar="CERT.pem", help="this device's client certificate (mutual TLS)")
    parser.add_argument("--tls-key", metavar="KEY.pem", help="its private key")


async def _ask_remote(args: argparse.Namespace, config: Config) -> Answer:
    metadata = (("authorization", f"Bearer {args.token}"),) if args.token else ()
    async with client_channel(args.server, _tls(args)) as channel:
        stub = pb_grpc.AssistantStub(channel)
        if args.audio:
            reply = await _converse_audio(stub, args, _request(args, config), metadata)
        else:
            reply = await stub.Ask(request_to_proto(_request(args, config)), timeout=args.timeout, metadata=metadata)
    return answer_from_proto(reply)


def _print_error(code: str, message: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
    else:
        print(f"error: {code}: {message}", file=sys.stderr)
    return EXIT_REQUEST_ERROR


async def _ask(args: argparse.Namespace, config: Config) -> int:
    if not args.text and not args.audio:
        return _print_error(ErrorCode.INVALID_ARGUMENT.value, "say something: give TEXT or --audio FILE.wav", args.json)
    try:
        answer = await (_ask_remote(args, config) if args.server else _ask_local(args, config))
    except LingxiError as err:
        return _print_error(err.code.value, err.message, args.json)
    except grpc.aio.AioRpcError as err:
        return _print_error(err.code().name, err.details() or "", args.json)
    print(json.dumps(answer_to_json(answer), ensure_ascii=False) if args.json else answer.speech)
    return 0


async def _eval(args: argparse.Namespace, config: Config) -> int:
    cases = parse_cases(Path(args.cases))
    async with Runtime(_in_process(config, args.home)) as runtime:
        results = await Evaluator(runtime, runtime.homes[0]).run(cases)
    summary = {"summary": summarize(results)}
    report = [json.dumps(r.to_json(), ensure_ascii=False) for r in results] + [json.dumps(summary, ensure_ascii=False)]
    if args.report:
        await asyncio.to_thread(Path(args.report).write_text, "\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report) if args.json else "\n".join(lines(results)))
    return 0 if all(r.passed for r in results) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Lingxi voice assistant")
    parser.add_argument("--config", help="YAML configuration file (default: LINGXI_CONFIG or built-in defaults)")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("serve", help="run the gRPC service with its broker, devices and bridge")
    sim = sub.add_parser("simulate", help="run only the virtual devices of a home against LINGXI_MQTT_URL's broker")
    sim.add_argument("--home", help="home file (default: the demo home)")

    ask = sub.add_parser("ask", help="send one request and print the answer")
    ask.add_argument("text", nargs="?", help="the utterance (or --audio)")
    ask.add_argument("--audio", metavar="FILE.wav", help="speak instead: a 16-bit PCM WAV file sent through the voice path")
    ask.add_argument("--json", action="store_true", help="print the machine-readable answer")
    ask.add_argument("--server", help="HOST:PORT of a running server (default: in-process)")
    ask.add_argument("--session", help="continue this dialog session")
    ask.add_argument("--speaker", help="the speaking device (default: living_room_speaker)")
    ask.add_argument("--lang", choices=("zh", "en"), help="default: detected")
    ask.add_argument("--now", help="the request's clock, ISO 8601")
    ask.add_argument("--home", help="home file (in-process only)")
    ask.add_argument("--token", help="bearer token of the speaking device")
    ask.add_argument("--timeout", type=float, default=10.0, help="deadline in seconds (with --server)")
    _add_tls(ask)

    chat = sub.add_parser("chat", help="converse turn by turn in one session, hearing timers and alarms as they ring")
    chat.add_argument("--json", action="store_true", help="one JSON object per line: answers as ask --json, notifications, errors")
    chat.add_argument("--server", help="HOST:PORT of a running server (default: in-process)")
    chat.add_argument("--session", help="continue this dialog session")
    chat.add_argument("--speaker", help="the speaking device (default: living_room_speaker)")
    chat.add_argument("--lang", choices=("zh", "en"), help="default: detected")
    chat.add_argument("--home", help="home file (in-process only)")
    chat.add_argument("--token", help="bearer token of the speaking device")
    _add_tls(chat)

    ev = sub.add_parser("eval", help="run evaluation cases against a fresh demo home")
    ev.add_argument("cases")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--report", help="also write the JSON lines to this file")
    ev.add_argument("--home", help="home file")
    cli_models.add_parsers(sub)
    cli_data.add_parsers(sub)
    cli_skills.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except LingxiError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return EXIT_REQUEST_ERROR
    quiet = args.command in ("ask", "chat", "eval", "train", "bench-nlu", "kb", "catalog", "skill") and config.log.level.upper() == "INFO"
    setup_logging("WARNING" if quiet else config.log.level, config.log.json)
    if args.command == "train":
        return cli_models.run_train(args)
    if args.command == "bench-nlu":
        return cli_models.run_bench_nlu(args)
    runners: dict[str, Any] = {
        "serve": _serve, "simulate": _simulate, "ask": _ask, "chat": _chat, "eval": _eval, "kb": cli_data.run, "catalog": cli_data.run,
        "skill": cli_skills.run,
    }
    try:
        return asyncio.run(runners[args.command](args, config))
    except LingxiError as err:
        print(f"error: {err.code.value}: {err.message}", file=sys.stderr)
        return EXIT_REQUEST_ERROR
    except KeyboardInterrupt:
        return 130
