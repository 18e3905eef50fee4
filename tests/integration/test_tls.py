"""gRPC over TLS and mutual TLS (issue 13), with a CA and certificates made by openssl for the test:
TLS works and plaintext to its port fails; with client certificates a device is who its certificate
names, a certificate of another device is refused, and no certificate is refused when one is required."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.api.tls import ClientTls, client_channel
from assistant.app.config import ServerOptions
from assistant.app.metrics import Metrics
from iot_bridge.mosquitto import TlsFiles
from tests.iot_bridge.certs import OPENSSL, make_server_files

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

ROOT = Path(__file__).resolve().parents[2]


def make_client_cert(folder: Path, device_id: str) -> ClientTls:
    """A client certificate for ``device_id`` (CN and DNS SAN), signed by the CA in ``folder``."""
    subprocess.run([OPENSSL, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", f"{device_id}.key", "-out", f"{device_id}.csr", "-subj", f"/CN={device_id}"],
                   cwd=folder, check=True, capture_output=True)
    (folder / f"{device_id}.cnf").write_text(f"subjectAltName=DNS:{device_id}\nextendedKeyUsage=clientAuth\n")
    subprocess.run([OPENSSL, "x509", "-req", "-in", f"{device_id}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", f"{device_id}.crt", "-days", "2", "-extfile", f"{device_id}.cnf"],
                   cwd=folder, check=True, capture_output=True)
    return ClientTls(str(folder / "ca.crt"), str(folder / f"{device_id}.crt"), str(folder / f"{device_id}.key"))


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> tuple[TlsFiles, dict[str, ClientTls]]:
    folder = tmp_path_factory.mktemp("pki")
    server = make_server_files(folder)
    return server, {device: make_client_cert(folder, device) for device in ("bedroom_speaker", "living_room_speaker")}


@asynccontextmanager
async def tls_server(lingxi, files: TlsFiles, **options) -> AsyncIterator[int]:
    server_options = ServerOptions(port=0, tls_cert=files.cert_file, tls_key=files.key_file, **options)
    server = GrpcServer(AssistantService(lingxi.runtime.pipeline, server_options, Metrics()), server_options)
    await server.start()
    try:
        yield server.port
    finally:
        await server.stop()


async def ask(port: int, tls: ClientTls | None, **fields) -> pb.Answer:
    async with client_channel(f"127.0.0.1:{port}", tls) as channel:
        return await pb_grpc.AssistantStub(channel).Ask(pb.AskRequest(**fields), timeout=5)


async def refused(port: int, tls: ClientTls | None, **fields) -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await ask(port, tls, **fields)
    return info.value.code()


async def test_tls_serves_and_plaintext_to_its_port_fails(lingxi, pki):
    server, _ = pki
    await lingxi.reset()
    async with tls_server(lingxi, server) as port:
        answer = await ask(port, ClientTls(ca=server.ca_file), text="打开厨房灯")
        assert answer.actions[0].status == "done"
        assert await refused(port, None, text="关闭厨房灯") == grpc.StatusCode.UNAVAILABLE
    assert (await lingxi.states())["kitchen_light"]["power"] is True


async def test_a_client_certificate_names_its_device_and_no_other(lingxi, pki):
    server, clients = pki
    await lingxi.reset()
    async with tls_server(lingxi, server, tls_client_ca=server.ca_file) as port:
        bedroom = clients["bedroom_speaker"]
        answer = await ask(port, bedroom, text="打开卧室灯")  # no device id: the certificate's device speaks
        assert answer.input.speaker == "bedroom_speaker" and answer.actions[0].status == "done"
        assert await refused(port, bedroom, text="打开厨房灯", device_id="living_room_speaker") == grpc.StatusCode.UNAUTHENTICATED
        assert await refused(port, ClientTls(ca=server.ca_file), text="打开厨房灯") == grpc.StatusCode.UNAVAILABLE
    states = await lingxi.states()
    assert states["bedroom_light"]["power"] is True and states["kitchen_light"]["power"] is False


async def test_a_token_sent_with_a_certificate_must_name_the_same_device(lingxi, pki):
    server, clients = pki
    tokens = {"living_room_speaker": "tok-living", "bedroom_speaker": "tok-bed"}
    async with (
        tls_server(lingxi, server, tls_client_ca=server.ca_file, device_tokens=tokens) as port,
        client_channel(f"127.0.0.1:{port}", clients["bedroom_speaker"]) as channel,
    ):
        stub = pb_grpc.AssistantStub(channel)
        answer = await stub.Ask(pb.AskRequest(text="现在几点"), timeout=5, metadata=(("authorization", "Bearer tok-bed"),))
        assert answer.input.speaker == "bedroom_speaker"
        answer = await stub.Ask(pb.AskRequest(text="现在几点"), timeout=5)  # the certificate alone will do
        assert answer.input.speaker == "bedroom_speaker"
        with pytest.raises(grpc.aio.AioRpcError) as mixed:  # a bedroom certificate with the living room's token
            await stub.Ask(pb.AskRequest(text="现在几点", device_id="living_room_speaker"), timeout=5,
                           metadata=(("authorization", "Bearer tok-living"),))
        assert mixed.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_the_assistant_command_speaks_mutual_tls(lingxi, pki):
    server, clients = pki
    await lingxi.reset()
    bedroom = clients["bedroom_speaker"]
    async with tls_server(lingxi, server, tls_client_ca=server.ca_file) as port:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "assistant", "ask", "--json", "--server", f"127.0.0.1:{port}",
            "--tls-ca", bedroom.ca, "--tls-cert", bedroom.cert, "--tls-key", bedroom.key,
            "--speaker", "bedroom_speaker", "打开卧室灯",
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={k: v for k, v in os.environ.items() if not k.startswith("LINGXI_")},
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, (out + err).decode()
    answer = json.loads(out)
    assert answer["input"]["speaker"] == "bedroom_speaker"
    assert answer["actions"][0]["status"] == "done"
    assert (await lingxi.states())["bedroom_light"]["power"] is True
