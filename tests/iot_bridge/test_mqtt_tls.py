"""MQTT over TLS with a user name and password, against a real mosquitto with a CA made in the test."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from domain.errors import BrokerUnavailable, LingxiError
from domain.home import Home
from iot_bridge import BridgeOptions, CommandStatus, DeviceBridge, DeviceCommand, MqttClient, VirtualHome
from iot_bridge.mosquitto import MosquittoProcess, TlsFiles
from iot_bridge.mqtt import MqttSettings, parse_mqtt_url
from tests.iot_bridge.certs import make_ca, make_server_files

pytestmark = pytest.mark.integration

USER, PASSWORD = "hub", "s3cret-Pa55"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_server_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_broker(tls_files: TlsFiles) -> Iterator[MosquittoProcess]:
    broker = MosquittoProcess(tls=tls_files, users={USER: PASSWORD, "device": "other-pass"})
    broker.start()
    try:
        yield broker
    finally:
        broker.cleanup()


@pytest.fixture
def secure(tls_broker: MosquittoProcess) -> MqttSettings:
    return tls_broker.settings(USER, PASSWORD, client_id_prefix="tls-test")


@pytest.fixture(autouse=True)
def no_password_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    leaked = [r.getMessage() for r in caplog.records if PASSWORD in r.getMessage() or "other-pass" in r.getMessage()]
    assert leaked == []


async def connected_client(settings: MqttSettings, wait: float = 3.0) -> AsyncIterator[MqttClient]:
    client = MqttClient(settings, name="probe")
    await client.start(wait=wait)
    try:
        yield client
    finally:
        await client.stop()


async def test_tls_with_credentials_controls_the_demo_home(secure: MqttSettings, demo_home: Home) -> None:
    home = VirtualHome(demo_home, secure)
    await home.start()
    bridge = DeviceBridge({demo_home.id: demo_home}, secure, BridgeOptions())
    await bridge.start()
    try:
        assert bridge.connected
        assert await bridge.wait_ready(demo_home.id, 5.0)
        result = await bridge.execute(demo_home.id, DeviceCommand("living_room_main_light", {"power": True,
                                                                                             "brightness": 40}))
        assert result.status is CommandStatus.DONE, result.detail
        assert bridge.state(demo_home.id, "living_room_main_light")["brightness"] == 40
    finally:
        await bridge.stop()
        await home.stop()


async def test_many_messages_arrive_over_tls(secure: MqttSettings) -> None:
    """TLS decrypts whole records: a burst must not stall in the SSL buffer waiting for the socket."""
    received: list[str] = []
    got_all = asyncio.Event()

    def on_message(topic: str, payload: bytes, _retained: bool) -> None:
        received.append(payload.decode())
        if len(received) == 200:
            got_all.set()

    listener = MqttClient(secure, name="listener", on_message=on_message)
    listener.subscribe("burst/#")
    await listener.start(wait=3)
    async for sender in connected_client(secure):
        await asyncio.gather(*(sender.publish(f"burst/{i}", str(i), qos=1) for i in range(200)))
    try:
        await asyncio.wait_for(got_all.wait(), 5)
        assert sorted(received, key=int) == [str(i) for i in range(200)]
    finally:
        await listener.stop()


async def test_a_wrong_password_is_refused_clearly(secure: MqttSettings) -> None:
    async for client in connected_client(replace(secure, password="wrong"), wait=1.0):
        assert not client.connected
        with pytest.raises(BrokerUnavailable) as caught:
            await client.publish("lingxi/test", "x")
        assert caught.value.reason == "not_authorized"
        assert "refused the login of user hub" in caught.value.message
        assert "wrong" not in caught.value.message


async def test_no_credentials_are_refused(secure: MqttSettings) -> None:
    async for client in connected_client(replace(secure, username=None, password=None), wait=1.0):
        with pytest.raises(BrokerUnavailable) as caught:
            await client.publish("lingxi/test", "x")
        assert caught.value.reason == "not_authorized"


async def test_plaintext_to_the_tls_port_fails(secure: MqttSettings) -> None:
    async for client in connected_client(replace(secure, tls=False, ca_file=None), wait=1.0):
        assert not client.connected
        with pytest.raises(BrokerUnavailable):
            await client.publish("lingxi/test", "x")


async def test_a_broker_signed_by_another_ca_is_not_trusted(secure: MqttSettings, tmp_path: Path) -> None:
    other_ca, _ = make_ca(tmp_path, "Somebody else's CA")
    async for client in connected_client(replace(secure, ca_file=str(other_ca)), wait=1.0):
        assert not client.connected
        with pytest.raises(BrokerUnavailable) as caught:
            await client.publish("lingxi/test", "x")
        assert caught.value.reason == "tls_error"
        assert "CERTIFICATE_VERIFY_FAILED" in caught.value.message


async def test_a_missing_ca_file_is_a_configuration_error(secure: MqttSettings, tmp_path: Path) -> None:
    with pytest.raises(LingxiError) as caught:
        MqttClient(replace(secure, ca_file=str(tmp_path / "nope.pem")))
    assert "nope.pem" in caught.value.message


def test_mqtts_urls_and_the_password_kept_out_of_sight() -> None:
    settings = parse_mqtt_url("mqtts://hub:s3cret-Pa55@broker.local", ca_file="/etc/lingxi/ca.pem")
    assert (settings.host, settings.port, settings.tls, settings.ca_file) == ("broker.local", 8883, True,
                                                                              "/etc/lingxi/ca.pem")
    assert (settings.username, settings.password) == (USER, PASSWORD)
    assert parse_mqtt_url("ssl://broker.local:9883").port == 9883
    assert settings.url() == "mqtts://hub@broker.local:8883"
    assert PASSWORD not in repr(settings) and PASSWORD not in settings.url()
    with pytest.raises(ValueError) as caught:
        parse_mqtt_url("mqtt://hub:s3cret-Pa55@broker.local", ca_file="/etc/lingxi/ca.pem")
    assert PASSWORD not in str(caught.value)
    with pytest.raises(ValueError) as caught:
        parse_mqtt_url("http://hub:s3cret-Pa55@broker.local")
    assert PASSWORD not in str(caught.value)


async def test_packets_sharing_one_tls_record_are_all_read(tls_files: TlsFiles) -> None:
    """A broker may put several MQTT packets in one TLS record; what stays decrypted in the SSL buffer never
    makes the socket readable again, so the client must drain it (mosquitto happens to send one per record)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_files.cert_file, tls_files.key_file)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)  # CONNECT
        connack = bytes([0x20, 2, 0, 0])
        publishes = b"".join(bytes([0x30, 2 + 5 + 1, 0, 5]) + b"burst" + str(i).encode() for i in range(8))
        writer.write(connack + publishes)  # one write: one TLS record
        await writer.drain()
        await reader.read(1024)  # until the client goes

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    received: list[bytes] = []
    client = MqttClient(MqttSettings(port=port, tls=True, ca_file=tls_files.ca_file),
                        on_message=lambda _t, payload, _r: received.append(payload))
    try:
        await client.start(wait=3)
        for _ in range(100):
            if len(received) == 8:
                break
            await asyncio.sleep(0.02)
        assert received == [str(i).encode() for i in range(8)]
    finally:
        await client.stop()
        server.close()
