"""A private mosquitto broker on a loopback port, for tests and benchmarks.

Debian installs mosquitto without starting it; tests and benchmarks run their own with
a throw-away config (anonymous, no persistence, TCP_NODELAY) so they never depend on,
or disturb, a system broker.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

_LOGGER = logging.getLogger(__name__)

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mosquitto_installed() -> bool:
    return os.access(MOSQUITTO, os.X_OK)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class MosquittoProcess:
    """A mosquitto process on ``host:port`` (loopback by default); ``restart()`` keeps the port."""

    def __init__(self, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.port = port or free_port()
        self.host = host
        self._dir = Path(tempfile.mkdtemp(prefix="lingxi-mosquitto-"))
        self._proc: subprocess.Popen[bytes] | None = None
        lines = [f"listener {self.port} {host}", "allow_anonymous true", "persistence false",
                 "set_tcp_nodelay true",  # without it every small packet waits for a delayed ACK (~40 ms)
                 f"pid_file {self._dir / 'mosquitto.pid'}", "log_dest stderr", "log_type error"]
        if os.geteuid() == 0:
            lines.insert(0, "user root")  # otherwise it drops to the 'mosquitto' user, who cannot write here
        (self._dir / "mosquitto.conf").write_text("\n".join(lines) + "\n")

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 5.0) -> None:
        with open(self._dir / "log", "ab") as log:  # the child keeps its own copy of the descriptor
            # its own session: a Ctrl-C meant for the service must not kill the broker under it
            self._proc = subprocess.Popen([MOSQUITTO, "-c", str(self._dir / "mosquitto.conf")],
                                          stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not _port_open(self.host, self.port):
            if self._proc.poll() is not None:
                raise RuntimeError(f"mosquitto exited: {(self._dir / 'log').read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"mosquitto did not listen on {self.port} within {timeout} s")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)
