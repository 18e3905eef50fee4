"""The delaying proxy on a real loopback echo server."""

from __future__ import annotations

import asyncio
import time

from bench.delay_proxy import DelayProxy


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


async def _round_trip(port: int, payload: bytes) -> tuple[bytes, float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    writer.write(payload)
    await writer.drain()
    data = await reader.read(1024)
    elapsed = time.monotonic() - started
    writer.close()
    return data, elapsed


async def test_delays_answers_and_counts_connections() -> None:
    server = await asyncio.start_server(_echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with DelayProxy(port, delay_s=0.2) as proxy:
            data, elapsed = await _round_trip(proxy.port, b"ping")
            assert data == b"ping" and elapsed >= 0.2  # the delay is the proxy's job; no upper bound (load)
            proxy.delay_s = 0.0
            data, _ = await _round_trip(proxy.port, b"pong")
            assert data == b"pong"
            proxy.down = True
            try:
                data, _ = await _round_trip(proxy.port, b"lost")
            except ConnectionResetError:
                data = b""
            assert data == b""
            assert proxy.connections == 3
    finally:
        server.close()
        await server.wait_closed()
