"""The delaying proxy on a real loopback echo server."""

from __future__ import annotations

import asyncio

from testkit.delay_proxy import DelayProxy


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


async def _round_trip(port: int, payload: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    data = await reader.read(1024)
    writer.close()
    return data


async def test_delays_answers_and_counts_connections() -> None:
    server = await asyncio.start_server(_echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with DelayProxy(port, delay_s=0.2) as proxy:
            # delayed: a direct round trip started at the same moment comes back first
            delayed = asyncio.ensure_future(_round_trip(proxy.port, b"ping"))
            direct = asyncio.ensure_future(_round_trip(port, b"direct"))
            done, _ = await asyncio.wait({delayed, direct}, return_when=asyncio.FIRST_COMPLETED)
            assert done == {direct}
            assert await delayed == b"ping"
            proxy.delay_s = 0.0
            assert await _round_trip(proxy.port, b"pong") == b"pong"
            proxy.down = True
            try:
                data = await _round_trip(proxy.port, b"lost")
            except ConnectionResetError:
                data = b""
            assert data == b""
            assert proxy.connections == 3
    finally:
        server.close()
        await server.wait_closed()
