"""An asyncio-native MQTT client on top of paho-mqtt 2.x.

paho's socket is driven by the event loop itself (``add_reader``/``add_writer`` and a
once-a-second ``loop_misc`` for keepalive) rather than by paho's own network thread: a
thread per client made every packet a GIL hand-off, which cost more CPU than the rest of
a request. Only the blocking TCP connect runs in a worker thread. The client reconnects by
itself within about a second and resubscribes on every (re)connect, because a broker
restart must not need anyone's help. Publishing while disconnected fails at once with
:class:`BrokerUnavailable` instead of queueing: a voice command that runs minutes later is
worse than one that says it failed. Its reason says why when the broker said so: a refused
login (``not_authorized``) or a failed TLS handshake (``tls_error``) is a configuration to fix,
not an outage to wait out.

TLS (``mqtts://``) verifies the broker's certificate against ``ca_file`` (or the system's
CAs) and its host name. The password is kept out of every log line, URL and repr.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import ssl
import threading
from collections.abc import Callable

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from domain.errors import BrokerUnavailable, invalid_argument
from iot_bridge.mqtt_settings import MqttSettings, Will, parse_mqtt_url, valid_filter

__all__ = ["BrokerUnavailable", "MqttClient", "MqttSettings", "Will", "parse_mqtt_url", "valid_filter"]

_LOGGER = logging.getLogger(__name__)

_IDS = itertools.count(1)

RECONNECT_MIN_S = 0.1
RECONNECT_MAX_S = 1.0
#: How often paho's housekeeping runs (keepalive pings, noticing a dead broker).
MISC_INTERVAL_S = 1.0
#: CONNACK codes that mean the login was refused (MQTT 3.1.1: bad user name or password, not authorised).
_AUTH_REFUSED = frozenset({4, 5, 134, 135})


MessageHandler = Callable[[str, bytes, bool], None]
PacketHandler = Callable[[paho.MQTTMessage], None]
ConnectHandler = Callable[[], None]


class MqttClient:
    """One MQTT connection with automatic reconnect, used from a single event loop.

    ``on_message(topic, payload, retained)``, ``on_connect()`` and ``on_disconnect()`` run
    on the event loop. Subscriptions are remembered and renewed on every connect.
    ``mqtt5=True`` speaks MQTT 5 (not to amqtt, which speaks 3.1.1 only); ``on_packet(message)``
    gets paho's whole message, its MQTT 5 properties (response topic, correlation data) included.
    """

    def __init__(
        self,
        settings: MqttSettings,
        *,
        name: str = "client",
        will: Will | None = None,
        on_message: MessageHandler | None = None,
        on_packet: PacketHandler | None = None,
        mqtt5: bool = False,
        on_connect: ConnectHandler | None = None,
        on_disconnect: ConnectHandler | None = None,
    ) -> None:
        self.settings = settings
        self.client_id = f"{settings.client_id_prefix}-{name}-{os.getpid()}-{next(_IDS)}"
        self._on_message = on_message
        self._on_packet = on_packet
        self._on_connect = on_connect
        self._on_disconnect = on_disconnect
        self._subscriptions: dict[str, int] = {}
        self._pending: dict[int, asyncio.Future[None]] = {}
        self._connected = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._connected_event: asyncio.Event | None = None
        self._lost = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._stopping = False
        self._accepted = False  # the broker accepted the current connection
        self._refusal: tuple[str, str] | None = None  # (reason, message) of the last failed connect
        self._client = paho.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=paho.MQTTv5 if mqtt5 else paho.MQTTv311,  # amqtt (the embedded broker) speaks 3.1.1 only
            clean_session=None if mqtt5 else True,  # MQTT 5 has clean start instead (paho's default: first connect)
        )
        if settings.username:
            self._client.username_pw_set(settings.username, settings.password)
        if settings.tls:
            try:
                self._client.tls_set(ca_certs=settings.ca_file, cert_reqs=ssl.CERT_REQUIRED)
            except (OSError, ValueError) as err:
                raise invalid_argument(f"cannot use CA file {settings.ca_file!r} for {settings.url()}: {err}") from err
        if will is not None:
            self._client.will_set(will.topic, will.payload, qos=will.qos, retain=will.retain)
        self._client.on_connect = self._paho_connect
        self._client.on_disconnect = self._paho_disconnect
        self._client.on_message = self._paho_message
        self._client.on_publish = self._paho_publish
        self._client.on_socket_open = self._paho_socket_open
        self._client.on_socket_close = self._paho_socket_close
        self._client.on_socket_register_write = self._paho_register_write
        self._client.on_socket_unregister_write = self._paho_unregister_write

    @property
    def connected(self) -> bool:
        """Whether the broker has accepted our connection and it has not dropped since."""
        return self._connected

    async def start(self, *, wait: float | None = 5.0) -> None:
        """Connect in the background; wait up to ``wait`` seconds for the first connect.

        Failing to connect in time is not an error: the client keeps retrying, and
        ``connected`` tells whether it got there.
        """
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._connected_event = asyncio.Event()
        self._runner = self._loop.create_task(self._run(), name=f"mqtt {self.client_id}")
        if wait:
            try:
                await asyncio.wait_for(self._connected_event.wait(), wait)
            except TimeoutError:
                _LOGGER.warning("%s: no connection to %s after %.1f s, still trying", self.client_id,
                                self.settings.url(), wait)

    async def _run(self) -> None:
        """Connect, keep the connection alive, and reconnect whenever it is lost."""
        delay = RECONNECT_MIN_S
        while not self._stopping:
            self._lost.clear()
            self._accepted = False
            try:
                await asyncio.to_thread(self._client.connect, self.settings.host, self.settings.port,
                                        self.settings.keepalive)
            except ssl.SSLError as err:
                detail = ": ".join(str(d) for d in (err.reason, getattr(err, "verify_message", None)) if d)
                self._refused("tls_error", f"TLS handshake with {self.settings.url()} failed: {detail or err}")
            except (OSError, paho.WebsocketConnectionError) as err:
                _LOGGER.debug("%s: connect to %s failed: %s", self.client_id, self.settings.url(), err)
            else:
                while not self._stopping and not self._lost.is_set():
                    try:
                        await asyncio.wait_for(self._lost.wait(), MISC_INTERVAL_S)
                    except TimeoutError:
                        if self._client.loop_misc() != paho.MQTT_ERR_SUCCESS:
                            break
            if self._stopping:
                break
            # back off unless the broker had accepted us: a refused login must not be retried ten times a second
            delay = RECONNECT_MIN_S if self._accepted else min(delay * 2, RECONNECT_MAX_S)
            await asyncio.sleep(delay)

    def _refused(self, reason: str, message: str) -> None:
        """Remember why connecting failed; say it once (it repeats every second until fixed)."""
        if self._refusal != (reason, message):
            _LOGGER.warning("%s: %s", self.client_id, message)
        self._refusal = (reason, message)

    async def stop(self) -> None:
        """Disconnect cleanly (no last will) and stop reconnecting."""
        self._stopping = True
        if self._connected:
            self._client.disconnect()  # the writer sends DISCONNECT, then paho closes the socket
            for _ in range(100):
                if not self._connected:
                    break
                await asyncio.sleep(0.01)
        self._lost.set()
        if self._runner is not None:
            self._runner.cancel()
            try:
                await self._runner
            except asyncio.CancelledError:
                pass
        sock = self._client.socket()
        if sock is not None:
            self._paho_socket_close(self._client, None, sock)
            sock.close()
        self._connected = False
        self._fail_pending("connection_lost", "client stopped")

    async def wait_connected(self, timeout: float) -> bool:
        """Wait until connected; return whether we are."""
        if self._connected or self._connected_event is None:
            return self._connected
        try:
            await asyncio.wait_for(self._connected_event.wait(), timeout)
        except TimeoutError:
            pass
        return self._connected

    def subscribe(self, topic: str, qos: int = 1) -> None:
        """Subscribe now (if connected) and again after every reconnect.

        An invalid filter is refused here (INVALID_ARGUMENT): kept, it would be sent again on
        every reconnect, and paho's refusal inside the connect handler stalls the connection.
        """
        if not valid_filter(topic):
            raise invalid_argument(f"invalid MQTT topic filter {topic[:80]!r}")
        if topic in self._subscriptions:
            return
        self._subscriptions[topic] = qos
        if self._connected:
            self._client.subscribe(topic, qos)

    def unsubscribe(self, topic: str) -> None:
        if self._subscriptions.pop(topic, None) is not None and self._connected:
            self._client.unsubscribe(topic)

    async def publish(self, topic: str, payload: str | bytes, *, qos: int = 1, retain: bool = False,
                      properties: paho.Properties | None = None) -> None:
        """Publish and, for QoS > 0, wait for the broker's acknowledgement.

        Raises :class:`BrokerUnavailable` at once when not connected, or as soon as the
        connection drops before the acknowledgement arrives.
        """
        if not self._connected:
            if self._refusal is not None:
                raise BrokerUnavailable(*self._refusal)
            raise BrokerUnavailable("not_connected", f"not connected to MQTT broker {self.settings.url()}")
        info = self._client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        if info.rc != paho.MQTT_ERR_SUCCESS:
            code = "not_connected" if info.rc == paho.MQTT_ERR_NO_CONN else "publish_error"
            raise BrokerUnavailable(code, f"publish to {topic} failed: {paho.error_string(info.rc)}")
        if qos == 0:
            return
        # on_publish is delivered through call_soon, so it cannot run before this line.
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending[info.mid] = future
        await future

    # --- paho callbacks: network thread -> event loop -------------------------------------

    def _paho_connect(self, client: paho.Client, _userdata: object, _flags: object, reason: object,
                      _props: object) -> None:
        if getattr(reason, "is_failure", False):
            if getattr(reason, "value", None) in _AUTH_REFUSED:
                self._refused("not_authorized", f"{self.settings.url()} refused the login of user "
                                                f"{self.settings.username or '(none)'}: {reason}")
            else:
                self._refused("refused", f"{self.settings.url()} refused the connection: {reason}")
            return
        for topic, qos in list(self._subscriptions.items()):
            client.subscribe(topic, qos)
        self._call(self._handle_connect)

    def _paho_socket_open(self, _client: paho.Client, _userdata: object, sock: object) -> None:
        # paho leaves Nagle on: small MQTT packets then wait for delayed ACKs (~40 ms each way)
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._in_loop(self._watch_read, sock)

    def _paho_socket_close(self, _client: paho.Client, _userdata: object, sock: object) -> None:
        self._in_loop(self._unwatch, sock)

    def _paho_register_write(self, _client: paho.Client, _userdata: object, sock: object) -> None:
        self._in_loop(self._watch_write, sock)

    def _paho_unregister_write(self, _client: paho.Client, _userdata: object, sock: object) -> None:
        self._in_loop(self._unwatch_write, sock)

    def _paho_disconnect(self, _client: paho.Client, _userdata: object, _flags: object, reason: object,
                         _props: object) -> None:
        self._call(self._handle_disconnect, str(reason))

    def _paho_message(self, _client: paho.Client, _userdata: object, message: paho.MQTTMessage) -> None:
        if self._on_message is not None:
            self._call(self._on_message, message.topic, bytes(message.payload), bool(message.retain))
        if self._on_packet is not None:
            self._call(self._on_packet, message)

    def _paho_publish(self, _client: paho.Client, _userdata: object, mid: int, reason: object,
                      _props: object) -> None:
        self._call(self._handle_puback, mid)

    def _call(self, func: Callable[..., None], *args: object) -> None:
        """Run a handler on the event loop in its own turn, never inside paho's read."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            loop.call_soon(func, *args)
            return
        try:
            loop.call_soon_threadsafe(func, *args)
        except RuntimeError:  # loop closed between the check and the call
            pass

    def _in_loop(self, func: Callable[..., None], *args: object) -> None:
        """Run now when on the loop's thread (socket callbacks), else hand it over."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            func(*args)
            return
        try:
            loop.call_soon_threadsafe(func, *args)
        except RuntimeError:
            pass

    # --- the socket on the event loop -------------------------------------------------------

    def _watch_read(self, sock: socket.socket) -> None:
        assert self._loop is not None
        if self._stopping:
            return
        self._loop.add_reader(sock, self._read)

    def _read(self) -> None:
        self._client.loop_read()
        # TLS decrypts whole records: what is left in the SSL buffer never makes the socket readable again
        sock = self._client.socket()
        while isinstance(sock, ssl.SSLSocket) and sock.pending() and not self._stopping:
            self._client.loop_read()
            sock = self._client.socket()

    def _watch_write(self, sock: socket.socket) -> None:
        assert self._loop is not None
        if self._client.socket() is sock:
            self._loop.add_writer(sock, self._client.loop_write)

    def _unwatch_write(self, sock: socket.socket) -> None:
        assert self._loop is not None
        self._loop.remove_writer(sock)

    def _unwatch(self, sock: socket.socket) -> None:
        assert self._loop is not None
        self._loop.remove_reader(sock)
        self._loop.remove_writer(sock)

    # --- on the event loop ---------------------------------------------------------------

    def _handle_connect(self) -> None:
        self._connected = True
        self._accepted = True
        self._refusal = None
        if self._connected_event is not None:
            self._connected_event.set()
        _LOGGER.info("%s: connected to %s", self.client_id, self.settings.url())
        if self._on_connect is not None:
            self._on_connect()

    def _handle_disconnect(self, reason: str) -> None:
        was = self._connected
        self._connected = False
        if self._connected_event is not None:
            self._connected_event.clear()
        self._lost.set()
        self._fail_pending("connection_lost", f"connection to {self.settings.url()} lost ({reason})")
        if was and self._stopping:
            _LOGGER.info("%s: disconnected", self.client_id)
        elif was:
            _LOGGER.warning("%s: disconnected from %s (%s); reconnecting", self.client_id,
                            self.settings.url(), reason)
            if self._on_disconnect is not None:
                self._on_disconnect()

    def _handle_puback(self, mid: int) -> None:
        future = self._pending.pop(mid, None)
        if future is not None and not future.done():
            future.set_result(None)

    def _fail_pending(self, code: str, message: str) -> None:
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(BrokerUnavailable(code, message))
