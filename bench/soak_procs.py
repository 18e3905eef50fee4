"""The soak test's processes: the service and the virtual devices, each an ``assistant`` subprocess.

The service runs as an operator runs it (``python -m assistant serve``, configured by
``LINGXI_*`` variables) so that restarting it is a real process restart: whatever it kept
only in memory is gone. The devices run in their own process (``assistant simulate``), as a
hub would, so that a service restart does not reset them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from domain.errors import ErrorCode, LingxiError

#: How long a (re)started service may take to say SERVING.
START_TIMEOUT_S = 120.0


def rss_kb(pid: int) -> int:
    """Resident memory of a process (``VmRSS`` of /proc/<pid>/status), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class AssistantProcess:
    """``python -m assistant <args>`` with ``env`` added to this one's, its output appended to ``log``."""

    def __init__(self, args: list[str], env: Mapping[str, str], log: Path) -> None:
        self.args = args
        self.env = {**os.environ, **env}
        self.log = log
        self._proc: subprocess.Popen[bytes] | None = None
        #: How many times it was started.
        self.starts = 0

    @property
    def pid(self) -> int:
        return self._proc.pid if self._proc is not None else 0

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        with self.log.open("ab") as out:  # the child keeps its own descriptor
            self._proc = subprocess.Popen([sys.executable, "-m", "assistant", *self.args], env=self.env,
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (a graceful shutdown), SIGKILL if it takes longer than ``timeout``."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None


class ServiceProcess(AssistantProcess):
    """``assistant serve`` on a fixed loopback port, kept across restarts."""

    def __init__(self, port: int, env: Mapping[str, str], log: Path) -> None:
        super().__init__(["serve"], {**env, "LINGXI_SERVER_HOST": "127.0.0.1", "LINGXI_SERVER_PORT": str(port)}, log)
        self.port = port

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def errors(self, most: int = 50) -> list[str]:
        """The service's ERROR log lines, each with the last line of its traceback (what was raised)."""
        lines = self.log_tail(10_000_000).splitlines()
        found = []
        for i, line in enumerate(lines):
            if " ERROR " in line and len(found) < most:
                raised = ""
                for following in lines[i + 1:]:
                    if following[:1].isdigit():  # the next log record
                        break
                    if following and not following.startswith((" ", "Traceback", "The above")):
                        raised = following
                found.append(f"{line} | {raised}" if raised else line)
        return found

    async def wait_serving(self, timeout: float = START_TIMEOUT_S) -> float:
        """Wait until the health check says SERVING; returns the seconds it took."""
        started = time.monotonic()
        async with grpc.aio.insecure_channel(self.address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while True:
                if not self.running:
                    raise LingxiError(ErrorCode.UNAVAILABLE, f"the service exited:\n{self.log_tail()}")
                try:
                    reply = await health.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return time.monotonic() - started
                except grpc.aio.AioRpcError:
                    pass
                if time.monotonic() - started > timeout:
                    raise LingxiError(ErrorCode.UNAVAILABLE, f"the service did not serve within {timeout:.0f} s:\n{self.log_tail()}")
                await asyncio.sleep(0.1)


def service_env(mqtt_url: str, redis_url: str, homes: list[Path], data_dir: Path, llm_url: str = "") -> dict[str, str]:
    """The ``LINGXI_*`` settings of the service under test."""
    env = {
        "LINGXI_MQTT_URL": mqtt_url,
        "LINGXI_MQTT_SIMULATE_DEVICES": "false",  # the devices are their own process
        "LINGXI_REDIS_URL": redis_url,
        "LINGXI_HOMES": ",".join(str(p) for p in homes),
        "LINGXI_DATA_DIR": str(data_dir),
        "LINGXI_LOG_LEVEL": "WARNING",
        # no web console nor Wyoming server: their fixed ports would clash with a running make run
        "LINGXI_CONSOLE_PORT": "0",
        "LINGXI_WYOMING_PORT": "0",
    }
    if llm_url:
        env["LINGXI_LLM_CLOUD_URL"] = llm_url
    return env


def simulator(mqtt_url: str, homes: list[Path], log: Path) -> AssistantProcess:
    """The virtual devices of ``homes`` against the broker at ``mqtt_url``."""
    env = {"LINGXI_MQTT_URL": mqtt_url, "LINGXI_HOMES": ",".join(str(p) for p in homes), "LINGXI_LOG_LEVEL": "WARNING"}
    return AssistantProcess(["simulate"], env, log)
