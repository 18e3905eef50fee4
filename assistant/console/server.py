"""The console: a small web server inside the service, on its own port (``ConsoleOptions``).

It reads the runtime it is given (pipeline, homes, broker, scheduler) and never changes how the
service answers devices: it observes the pipeline, keeps its own MQTT subscription for the home
view, runs the requests typed or spoken on its page, and evaluates case files on a private
runtime. Served by uvicorn on the service's event loop; stopping it ends every open page's stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Collection, Iterator
from pathlib import Path

import uvicorn

from assistant.app.runtime import Runtime
from assistant.console.feed import Feed
from assistant.console.home_state import HomeWatcher
from assistant.console.options import ConsoleOptions
from assistant.console.pages import build_app
from assistant.console.quality import EvalReport, Quality
from assistant.console.render import DeviceView, Fragments, environment
from assistant.console.requests import RequestLog, RequestRecord
from assistant.console.turns import Turns
from assistant.voice.service import VoiceService
from domain.errors import ErrorCode, LingxiError

_LOGGER = logging.getLogger(__name__)

#: The checkout this package sits in: where the case files and benchmark results are by default.
CHECKOUT = Path(__file__).resolve().parents[2]


class _QuietServer(uvicorn.Server):
    """uvicorn's server without its signal handlers: the service owns SIGINT and SIGTERM, and stops the console."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class Console:
    """``voice``: the service's recogniser (shared with the device API); ``None``: the microphone is off.
    ``tokens``: the service's device tokens; any one of them opens the console (none: open)."""

    def __init__(self, runtime: Runtime, voice: VoiceService | None, options: ConsoleOptions,
                 tokens: Collection[str] = ()) -> None:
        if runtime.pipeline is None or runtime.mqtt is None:
            raise LingxiError(ErrorCode.INTERNAL, "the console needs a started runtime")
        self.runtime = runtime
        self.options = options
        self.tokens = tuple(tokens)
        self.env = environment()
        self.fragments = Fragments(self.env)
        self.feed = Feed()
        self.requests = RequestLog(options.recent, self._request_changed)
        self.turns = Turns(runtime.pipeline, voice, self.requests)
        self.homes = {home.id: home for home in runtime.homes}
        self.watcher = HomeWatcher(runtime.homes, runtime.mqtt, self._device_changed)
        self.cases_dir = Path(options.cases_dir) if options.cases_dir else CHECKOUT / "tests" / "cases"
        self.bench_results = Path(options.bench_results) if options.bench_results else CHECKOUT / "bench" / "results" / "latest.json"
        self.quality = Quality(runtime.config, self.cases_dir, self._eval_changed)
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._serving: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.options.host}:{self.port}/"

    async def start(self) -> Console:
        assert self.runtime.pipeline is not None
        sock = socket.socket(socket.AF_INET6 if ":" in self.options.host else socket.AF_INET)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.options.host, self.options.port))
        except OSError as err:
            sock.close()
            raise LingxiError(
                ErrorCode.UNAVAILABLE,
                f"the console cannot listen on {self.options.host}:{self.options.port} ({err.strerror}): "
                "choose another port with LINGXI_CONSOLE_PORT, or 0 to turn it off",
            ) from err
        self.port = sock.getsockname()[1]
        await self.watcher.start()
        self.runtime.pipeline.observe(self.requests.on_event)
        config = uvicorn.Config(build_app(self), log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=2)
        self._server = _QuietServer(config)
        self._serving = asyncio.create_task(self._server.serve(sockets=[sock]), name="console")
        while not self._server.started:
            if self._serving.done():
                self._serving.result()  # raises what stopped it
                raise LingxiError(ErrorCode.UNAVAILABLE, "the console's server stopped before it started")
            await asyncio.sleep(0.01)
        _LOGGER.info("console on %s", self.url)
        return self

    async def stop(self) -> None:
        self.feed.close()
        await self.quality.stop()
        if self._server is not None and self._serving is not None:
            self._server.should_exit = True
            await self._serving
        await self.watcher.stop()

    # --- what changed, to every open page -----------------------------------------------

    def _request_changed(self, record: RequestRecord) -> None:
        if self.feed.subscribers:
            self.feed.publish("request", {"id": record.request_id, "finished": record.finished,
                                          "row": self.fragments.request_row(record),
                                          "detail": self.fragments.request_detail(record)})

    def device_view(self, home_id: str, device_id: str) -> DeviceView | None:
        info = next((d for d in self.watcher.devices(home_id) if d.id == device_id), None)
        if info is None:
            return None
        return DeviceView(home_id, info, self.watcher.state(home_id, device_id))

    def _device_changed(self, home_id: str, device_id: str) -> None:
        if self.feed.subscribers and (view := self.device_view(home_id, device_id)) is not None:
            self.feed.publish("device", {"id": view.element_id, "html": self.fragments.device(view)})

    def _eval_changed(self, report: EvalReport) -> None:
        self.feed.publish("eval", {"state": report.state, "html": self.fragments.eval_report(report)})
