"""A throw-away CA and a server certificate for 127.0.0.1, made with the openssl command line.

The ``cryptography`` package is not in the project's environment; openssl is on every machine
that has mosquitto (Debian pulls it in), and three commands are all it takes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from iot_bridge.mosquitto import TlsFiles

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
_EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _run(*args: str, cwd: Path) -> None:
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


def make_ca(folder: Path, name: str = "Lingxi test CA") -> tuple[Path, Path]:
    """A self-signed CA: (certificate, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    _run("req", "-x509", *_EC_KEY, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", f"/CN={name}",
         cwd=folder)
    return folder / "ca.crt", folder / "ca.key"


def make_server_files(folder: Path) -> TlsFiles:
    """A CA and a certificate it signed for ``127.0.0.1`` and ``localhost``."""
    ca_cert, _ = make_ca(folder)
    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _run("req", *_EC_KEY, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", cwd=folder)
    _run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
         "-out", "server.crt", "-days", "2", "-extfile", "san.cnf", cwd=folder)
    return TlsFiles(str(ca_cert), str(folder / "server.crt"), str(folder / "server.key"))
