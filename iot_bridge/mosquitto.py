"""A private mosquitto broker on a loopback port, for the embedded default, tests and benchmarks.

Debian installs mosquitto without starting it; Lingxi runs its own with a throw-away config
(no persistence, TCP_NODELAY) so it never depends on, or disturbs, a system broker. It is
anonymous by default; with ``users`` it takes only those logins (a mosquitto password file,
hashed by ``mosquitto_passwd``), and with ``tls`` its listener speaks TLS only.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from iot_bridge.mqtt import MqttSettings

_LOGGER = logging.getLogger(__name__)

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
MOSQUITTO_PASSWD = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"


@dataclass(frozen=True)
class TlsFiles:
    """PEM files of a TLS listener: the CA that clients verify against, the server's certificate and key."""

    ca_file: str
    cert_file: str
    key_file: str


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

    def __init__(self, port: int | None = None, host: str = "127.0.0.1", *, tls: TlsFiles | None = None,
                 users: Mapping[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.host = host
        self.tls = tls
        self._dir = Path(tempfile.mkdtemp(prefix="lingxi-mosquitto-"))
        self._dir.chmod(0o700)  # the password file lies here
        self._proc: subprocess.Popen[bytes] | None = None
        lines = [f"listener {self.port} {host}", "persistence false",
                 "set_tcp_nodelay true",  # without it every small packet waits for a delayed ACK (~40 ms)
                 f"pid_file {self._dir / 'mosquitto.pid'}", "log_dest stderr", "log_type error"]
        if users:
            lines += ["allow_anonymous false", f"password_file {self._write_passwords(users)}"]
        else:
            lines.append("allow_anonymous true")
        if tls is not None:
            lines += [f"cafile {tls.ca_file}", f"certfile {tls.cert_file}", f"keyfile {tls.key_file}",
                      "tls_version tlsv1.2"]
        if os.geteuid() == 0:
            lines.insert(0, "user root")  # otherwise it drops to the 'mosquitto' user, who cannot write here
        (self._dir / "mosquitto.conf").write_text("\n".join(lines) + "\n")

    def _write_passwords(self, users: Mapping[str, str]) -> Path:
        """A mosquitto password file, hashed in place (no password ever appears on a command line)."""
        path = self._dir / "passwords"
        for user, password in users.items():
            if ":" in user or "\n" in user + password:
                raise ValueError("an MQTT user name may not hold ':' or a line break, nor a password a line break")
        path.write_text("".join(f"{user}:{password}\n" for user, password in users.items()))
        path.chmod(0o600)
        subprocess.run([MOSQUITTO_PASSWD, "-U", str(path)], check=True, capture_output=True)
        return path

    def settings(self, username: str | None = None, password: str | None = None,
                 client_id_prefix: str = "lingxi") -> MqttSettings:
        """Client settings that reach this broker (over TLS, trusting its CA, when it has a TLS listener)."""
        return MqttSettings(host=self.host, port=self.port, username=username, password=password,
                            client_id_prefix=client_id_prefix, tls=self.tls is not None,
                            ca_file=self.tls.ca_file if self.tls else None)

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
