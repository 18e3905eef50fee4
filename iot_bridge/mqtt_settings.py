"""Where the MQTT broker is and how to reach it: settings, ``mqtt://``/``mqtts://`` URLs, topic filters.

The password is part of the settings but never of their repr or URL, so neither a log line
nor an error message can carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

#: URL schemes of plain and TLS connections, and their default ports.
PLAIN_SCHEMES = ("mqtt", "tcp")
TLS_SCHEMES = ("mqtts", "ssl", "tls")

@dataclass(frozen=True)
class MqttSettings:
    """Where the broker is and how to log in."""

    host: str = "127.0.0.1"
    port: int = 1883
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    keepalive: int = 30
    client_id_prefix: str = "lingxi"
    #: Connect over TLS, verifying the broker's certificate and host name.
    tls: bool = False
    #: PEM file of the CA(s) that signed the broker's certificate; None trusts the system's CAs.
    ca_file: str | None = None

    def url(self) -> str:
        """The settings as an ``mqtt://`` or ``mqtts://`` URL, without the password."""
        user = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"


def parse_mqtt_url(url: str, *, client_id_prefix: str = "lingxi", keepalive: int = 30,
                   ca_file: str | None = None) -> MqttSettings:
    """Parse ``mqtt://user:pass@host:port`` (port 1883) or ``mqtts://...`` (TLS, port 8883)."""
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    where = f"{parts.scheme}://{parts.hostname or ''}"  # the message must not repeat a password
    if parts.scheme not in PLAIN_SCHEMES + TLS_SCHEMES:
        raise ValueError(f"unsupported MQTT URL scheme {parts.scheme!r} in {where}")
    if not parts.hostname:
        raise ValueError(f"MQTT URL {where} has no host")
    tls = parts.scheme in TLS_SCHEMES
    if ca_file is not None and not tls:
        raise ValueError(f"a CA file is for mqtts:// brokers, not {where}")
    try:
        port = parts.port
    except ValueError as err:
        raise ValueError(f"MQTT URL {where} has a bad port") from err
    return MqttSettings(
        host=parts.hostname,
        port=port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        keepalive=keepalive,
        client_id_prefix=client_id_prefix,
        tls=tls,
        ca_file=ca_file,
    )


def valid_filter(topic: str) -> bool:
    """Whether ``topic`` is a valid MQTT subscription filter (``#`` last and alone, ``+`` a whole level)."""
    if not topic or len(topic.encode()) > 65535 or "\x00" in topic:
        return False
    levels = topic.split("/")
    for i, level in enumerate(levels):
        if "#" in level and (level != "#" or i != len(levels) - 1):
            return False
        if "+" in level and level != "+":
            return False
    return True


@dataclass(frozen=True)
class Will:
    """A last will: what the broker publishes for us when we vanish."""

    topic: str
    payload: str
    qos: int = 1
    retain: bool = True
