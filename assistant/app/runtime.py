"""Everything one instance runs, started and stopped in order.

The embedded defaults: an in-process MQTT broker unless ``mqtt.url`` names one,
the virtual devices of each home, the device bridge, and the pipeline. ``serve``,
``ask`` (in-process) and ``eval`` all run on this.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import tempfile
from contextlib import AsyncExitStack
from functools import partial
from pathlib import Path
from types import TracebackType

from assistant.app.config import Config
from assistant.app.skillset import (
    OPENED,
    OpenedOnFirstUse,
    builtin_skills,
    open_skills,
    remote_skills,
    served_intents,
    skill_generation,
)
from assistant.dialog.redis_store import RedisSessionStore
from assistant.dialog.sessions import MemorySessionStore, SessionStore
from assistant.pipeline.homes import HomeDevices, HomeDirectory
from assistant.pipeline.pipeline import Pipeline, PipelineOptions
from assistant.pipeline.understanding import HomeUnderstanding
from assistant.routing.llm_tiers import LlmFallback
from assistant.routing.placement import Role
from assistant.routing.upstream import Upstream, intent_kinds
from domain.errors import ErrorCode, LingxiError, invalid_argument
from domain.home import Home, load_demo_home, load_home
from iot_bridge import BridgeOptions, DeviceBridge, EmbeddedBroker, MqttSettings, VirtualHome, parse_mqtt_url
from iot_bridge.mosquitto import MosquittoProcess, mosquitto_installed
from skills.devices.control import DeviceControlSkill
from skills.kit.reload import RELOAD_MARKER, RELOAD_REPORT, Generation, LiveRegistry, SkillReloader, write_report
from skills.kit.watch import SkillWatch
from skills.state import StateOptions, open_store
from skills.utilities.notifications import BusOptions, NotificationBus
from skills.utilities.scheduled import KIND as SCHEDULED
from skills.utilities.scheduled_firing import ScheduledFiring
from skills.utilities.scheduler import Scheduler

_LOGGER = logging.getLogger(__name__)


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


EMBEDDED_BROKERS = ("auto", "mosquitto", "amqtt")


def choose_embedded_broker(preference: str, mosquitto_available: bool) -> str:
    """Which broker to embed. mosquitto wins when present: amqtt 0.12 was seen handing new
    subscribers retained messages of unrelated topics, and it is the slower of the two."""
    if preference not in EMBEDDED_BROKERS:
        raise invalid_argument(f"mqtt.embedded must be one of {', '.join(EMBEDDED_BROKERS)}, not {preference!r}")
    if preference == "mosquitto" and not mosquitto_available:
        raise invalid_argument("mqtt.embedded is mosquitto, but mosquitto is not installed (make setup installs it)")
    if preference == "auto":
        return "mosquitto" if mosquitto_available else "amqtt"
    return preference


def load_homes(config: Config) -> list[Home]:
    return [load_home(p) for p in config.homes] if config.homes else [load_demo_home()]


class Runtime:
    """Broker (embedded or external), virtual devices, bridge and pipeline, as one unit."""

    def __init__(self, config: Config, fallback: LlmFallback | None = None) -> None:
        """``fallback``: LLM tiers to use instead of those ``config.llm`` describes (a test's)."""
        self.config = config
        self.homes = load_homes(config)
        self.mqtt: MqttSettings | None = None
        self.virtual_homes: dict[str, VirtualHome] = {}
        self.bridge: DeviceBridge | None = None
        self.understanding = HomeUnderstanding(usable=config.llm.usable)
        #: Which broker runs embedded ("mosquitto" or "amqtt"), or None for an external one.
        self.broker_kind: str | None = None
        self.pipeline: Pipeline | None = None
        self.fallback: LlmFallback | None = fallback
        #: Timers, alarms, reminders, speaker volume and unheard notifications: in memory for a run
        #: without a data folder, SQLite in it, or Redis shared by every instance when configured.
        self.state = open_store(StateOptions(
            data_dir=Path(config.data_dir).expanduser() / "state" if config.data_dir else None, redis_url=config.redis.url))
        self.notifications = NotificationBus(self.state, BusOptions(backlog_ttl_s=config.session.notification_ttl_s))
        self.scheduler = Scheduler(self.notifications, self.state)
        self._stack = AsyncExitStack()
        self._opened: list[OpenedOnFirstUse] = []
        #: The skills served; a reload (skills installed or removed) swaps what is behind it.
        self.skills = LiveRegistry()
        self.skill_reloader: SkillReloader | None = None

    async def start(self) -> Runtime:
        options = self.config.mqtt
        try:
            mqtt = parse_mqtt_url(options.url, ca_file=options.ca_file or None) if options.url \
                else await self._start_embedded_broker()
            self.mqtt = mqtt
            if options.simulate_devices:
                for home in self.homes:
                    virtual = VirtualHome(home, mqtt)
                    await virtual.start()
                    self._stack.push_async_callback(virtual.stop)
                    self.virtual_homes[home.id] = virtual
            self.bridge = DeviceBridge({h.id: h for h in self.homes}, mqtt, BridgeOptions(
                command_timeout_s=options.command_timeout_s, max_discovered_devices=options.max_discovered_devices))
            await self.bridge.start()
            self._stack.push_async_callback(self.bridge.stop)
            for home in self.homes:
                await self._wait_ready(home)
        except BaseException:
            await self._stack.aclose()
            raise
        self._stack.push_async_callback(self.state.close)  # after the scheduler has stopped
        bridge = self.bridge
        assert bridge is not None, "started above"
        firing = ScheduledFiring({h.id: h for h in self.homes}, lambda home_id: HomeDevices(bridge, home_id),
                                 DeviceControlSkill(), options.command_timeout_s)
        self.scheduler.act(SCHEDULED, firing.fire)  # a scheduled device command runs as a spoken one would
        await self.scheduler.start()
        self._stack.push_async_callback(self.scheduler.stop)
        understanding = self.understanding
        for home in self.homes:  # build each vocabulary now, not on the first request
            understanding.vocabulary(home, self.bridge.devices(home.id))
        if self.fallback is None:
            self.fallback = LlmFallback.from_options(
                self.config.llm, served_intents(builtin_skills(self.scheduler)), upstream=self._upstream())
        self.fallback.role = Role.parse(self.config.role)  # a test's tiers too: a cloud instance never acts in a home
        self._stack.push_async_callback(self.fallback.close)
        await self.fallback.start()
        data_dir = self._data_dir()
        opened = await open_skills(data_dir, self.config.search.url, self.fallback, self._stack, self.config.search.preload)
        self._opened = [s for s in opened if isinstance(s, OpenedOnFirstUse)]
        remote = remote_skills(self.config.skills)
        self._stack.push_async_callback(remote.close)
        self.skill_reloader = SkillReloader(partial(skill_generation, self.scheduler, opened, self.config.skills),
                                            self._install_skills, remote.fetch)
        await self.skill_reloader.reload()
        watch = SkillWatch(self.config.skills.folders, data_dir / RELOAD_MARKER, partial(self._reload_skills, data_dir))
        await watch.start()
        self._stack.push_async_callback(watch.stop)
        self.pipeline = Pipeline(
            HomeDirectory(self.homes),
            self.bridge,
            understanding,
            self.skills,
            await self._session_store(),
            PipelineOptions(
                max_text_chars=self.config.server.max_text_chars,
                budget=self.config.budget,
                confirm_ttl_s=self.config.session.confirm_ttl_s,
            ),
            self.fallback,
        )
        return self

    def _install_skills(self, generation: Generation) -> None:
        """Swap a reloaded generation in; nothing here awaits, so no turn sees half of it."""
        self.skills.swap(generation.registry)
        self.understanding.skills = generation.matcher
        if self.fallback is not None:
            self.fallback.serve(served_intents(generation.registry))

    async def _reload_skills(self, data_dir: Path, request: str) -> None:
        assert self.skill_reloader is not None
        generation = await self.skill_reloader.reload()
        await asyncio.to_thread(write_report, data_dir / RELOAD_REPORT, generation, request)

    def _upstream(self) -> Upstream | None:
        """The cloud instance an edge forwards to (``upstream.url``, with ``role: edge`` only)."""
        options = self.config.upstream
        if not options.url:
            return None
        if Role.parse(self.config.role) is not Role.EDGE:
            raise invalid_argument(f"upstream.url is set but role is {self.config.role!r}: only an edge instance forwards")
        return Upstream(options, intent_kinds([*builtin_skills(self.scheduler).manifests(), *OPENED]))

    def _data_dir(self) -> Path:
        """The configured data folder, or one that lives as long as this runtime (tests, evaluation)."""
        if self.config.data_dir:
            path = Path(self.config.data_dir).expanduser()
            path.mkdir(parents=True, exist_ok=True)
            return path
        return Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="lingxi-")))

    async def _session_store(self) -> SessionStore:
        ttl = self.config.session.ttl_s
        if not self.config.redis.url:
            return MemorySessionStore(ttl)
        store = RedisSessionStore(self.config.redis.url, ttl)
        self._stack.push_async_callback(store.close)
        return store

    async def _start_embedded_broker(self) -> MqttSettings:
        options = self.config.mqtt
        kind = choose_embedded_broker(options.embedded, mosquitto_installed())
        self.broker_kind = kind
        port = options.embedded_port or free_port(options.embedded_host)
        if _listening(options.embedded_host, port):
            raise LingxiError(
                ErrorCode.UNAVAILABLE,
                f"{options.embedded_host}:{port} is already taken (another MQTT broker?): use it with "
                f"LINGXI_MQTT_URL=mqtt://{options.embedded_host}:{port}, or move the embedded one with LINGXI_MQTT_EMBEDDED_PORT",
            )
        if kind == "mosquitto":
            process = MosquittoProcess(port, options.embedded_host)
            await asyncio.to_thread(process.start)
            self._stack.push_async_callback(asyncio.to_thread, process.cleanup)
        else:
            broker = EmbeddedBroker(options.embedded_host, port)
            await broker.start()
            self._stack.push_async_callback(broker.stop)
        settings = MqttSettings(host=options.embedded_host, port=port)
        _LOGGER.info("embedded MQTT broker (%s) on %s:%d", kind, options.embedded_host, port)
        return settings

    async def _wait_ready(self, home: Home) -> None:
        assert self.bridge is not None
        if not await self.bridge.wait_ready(home.id, self.config.mqtt.discovery_timeout_s):
            # A hub may announce its devices late; serve what is known and keep listening.
            _LOGGER.warning(
                "home %s: not discovered within %.1f s: %s",
                home.id, self.config.mqtt.discovery_timeout_s, ", ".join(self.bridge.missing(home.id)),
            )

    async def reset_home(self, home_id: str) -> None:
        """Put a simulated home back to its initial state (evaluation does this between sessions)."""
        await self.virtual_homes[home_id].reset()
        for task in await self.scheduler.entries(home_id, SCHEDULED):  # nothing may act on the next session's devices
            await self.scheduler.remove(task)
        for skill in self._opened:
            await skill.reset_home(home_id)

    async def stop(self) -> None:
        await self._stack.aclose()

    async def __aenter__(self) -> Runtime:
        return await self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()
