"""The console against a whole instance (mosquitto, the virtual demo home, the recogniser), and a headless Chromium.

The instance runs on an event loop of its own thread, so that the tests can drive the browser
with Selenium's blocking calls while the console serves it. Chromium and its driver are
Debian's (``chromium``, ``chromium-driver``: APT_PACKAGES); Selenium is told where they are, so it
never looks for a driver to download.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
import wave
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from assistant.app.runtime import Runtime
from assistant.console.options import ConsoleOptions
from assistant.console.server import Console
from assistant.voice.service import VoiceService
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from testkit.voice_fixtures import missing_tools, synthesise
from tests.integration.conftest import instance_config

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromedriver")
SPOKEN = "打开客厅的灯"
#: Silence after the command in the fake microphone's file: the endpointer's cue that speech has ended.
TRAILING_SILENCE_S = 1.5
#: A benchmark results file of the shape ``make bench`` writes (bench/results/latest.json is not in the checkout).
BENCH = {
    "meta": {"when": "2026-12-01T20:00:00+0800", "machine": "x86_64", "seconds": 1.0},
    "foundation": {"nlu": {"n": 100, "p50_ms": 1.2, "p95_ms": 2.5, "p99_ms": 4.0},
                   "pipeline": {"n": 100, "p50_ms": 9.5, "p95_ms": 14.0, "p99_ms": 20.0}},
    "voice": {"eos_to_confirmed": {"n": 22, "p50_ms": 850.0, "p95_ms": 1200.0, "p99_ms": 1300.0},
              "success": {"zh": "18/22", "en": "13/14"}},
    "budget": {"hard_cases": {"local_alone": {"n": 40, "accuracy_pct": 62.5}}},
}
CASES = [
    {"id": "c1", "category": "device", "lang": "zh", "text": "打开客厅的灯", "speaker": "living_room_speaker",
     "expect": {"intents": ["device.turn_on"], "state": {"living_room_main_light": {"power": True}}}},
    {"id": "c2", "category": "device", "lang": "zh", "text": "关闭卧室的灯", "speaker": "living_room_speaker",
     "expect": {"state": {"living_room_main_light": {"power": True}}}},  # expects the wrong light: a failure to show
]


@dataclass
class ConsoleService:
    runtime: Runtime
    console: Console
    loop: asyncio.AbstractEventLoop

    @property
    def url(self) -> str:
        return self.console.url

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 60.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def states(self) -> dict[str, dict]:
        assert self.runtime.mqtt is not None
        return self.call(read_states(self.runtime.mqtt, self.runtime.homes[0], 3.0))

    def reset(self) -> None:
        async def reset() -> None:
            await self.runtime.reset_home("demo")
            assert self.runtime.bridge is not None and await self.runtime.bridge.sync(3.0)

        self.call(reset())


@pytest.fixture(scope="module")
def console_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("console")
    (folder / "cases").mkdir()
    (folder / "cases" / "demo.jsonl").write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in CASES) + "\n", encoding="utf-8")
    (folder / "latest.json").write_text(json.dumps(BENCH), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def console_service(module_broker: Mosquitto, console_files: Path) -> Iterator[ConsoleService]:
    """A whole instance with its console on a free port, running on its own thread's event loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="console-service", daemon=True)
    thread.start()
    options = ConsoleOptions(port=0, cases_dir=str(console_files / "cases"), bench_results=str(console_files / "latest.json"))

    async def start() -> tuple[Runtime, Console]:
        runtime = await Runtime(instance_config(module_broker)).start()
        voice = VoiceService()
        await voice.warm(runtime.homes)
        return runtime, await Console(runtime, voice, options).start()

    runtime, console = asyncio.run_coroutine_threadsafe(start(), loop).result(180)
    service = ConsoleService(runtime, console, loop)
    try:
        yield service
    finally:
        service.call(console.stop())
        service.call(runtime.stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """"打开客厅的灯" as 16 kHz mono s16 (espeak-ng + sox), with silence after it."""
    missing = missing_tools()
    if missing:
        pytest.fail(f"the microphone test needs {', '.join(missing)}: run make setup (APT_PACKAGES)")
    folder = tmp_path_factory.mktemp("mic")
    speech = folder / "speech.wav"
    synthesise(SPOKEN, "zh", speech)
    with wave.open(str(speech), "rb") as src:
        params, frames = src.getparams(), src.readframes(src.getnframes())
    padded = folder / "command.wav"
    with wave.open(str(padded), "wb") as out:
        out.setparams(params)
        out.writeframes(frames + b"\0" * int(params.framerate * params.sampwidth * TRAILING_SILENCE_S))
    return padded


def chromium_options(user_data: Path, audio: Path | None = None) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM[0]
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1600,1000", "--force-device-scale-factor=1",
                 f"--user-data-dir={user_data}"):
        options.add_argument(flag)
    if audio is not None:
        # the fake microphone plays the file once (%noloop), then silence
        options.add_argument("--use-fake-ui-for-media-stream")
        options.add_argument("--use-fake-device-for-media-stream")
        options.add_argument(f"--use-file-for-fake-audio-capture={audio}%noloop")
    return options


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory, spoken_wav: Path) -> Iterator[webdriver.Chrome]:
    missing = [p for p in CHROMIUM if shutil.which(p) is None]
    if missing:
        pytest.fail(f"the browser tests need {', '.join(missing)}: run make setup (APT_PACKAGES: chromium chromium-driver)")
    driver = webdriver.Chrome(options=chromium_options(tmp_path_factory.mktemp("chromium"), spoken_wav),
                              service=Service(executable_path=CHROMIUM[1]))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
