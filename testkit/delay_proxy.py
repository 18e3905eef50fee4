"""A delaying TCP proxy on loopback: a slow (or dead) cloud, made of a real one.

Every chunk the upstream sends back is held ``delay_s`` before it is forwarded, so a
request/response exchange arrives that much later; ``delay_s`` can change while it
runs. ``down = True`` refuses new connections' traffic by closing them at once, and
:meth:`cut` drops the open ones (with ``down``: the upstream is gone). It counts
connections and the bytes clients sent, so a test can prove that nothing was sent
(``local_only`` homes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

_LOGGER = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"


class DelayProxy:
    def __init__(self, upstream_port: int, delay_s: float = 0.0, upstream_host: str = LOOPBACK) -> None:
        if upstream_host not in (LOOPBACK, "localhost"):
            raise ValueError("the delay proxy only forwards to loopback")
        self.upstream = (upstream_host, upstream_port)
        self.delay_s = delay_s
        self.down = False
        self.connections = 0
        self.bytes_sent = 0  # by clients, towards the upstream
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/v1"

    async def start(self) -> DelayProxy:
        self._server = await asyncio.start_server(self._serve, LOOPBACK, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    def cut(self) -> None:
        """Drop every open connection (their handlers end; new ones are served unless ``down``)."""
        for task in list(self._tasks):
            task.cancel()

    async def __aenter__(self) -> DelayProxy:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self.down:
            writer.close()
            return
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            self._tasks.discard(task)
            return
        try:
            await asyncio.gather(self._pump(reader, up_writer, 0.0, upward=True), self._pump(up_reader, writer, None))
        except (OSError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # stop() cancels the handlers it owns; ending quietly keeps asyncio from logging each one
            return
        finally:
            for w in (writer, up_writer):
                w.close()
            self._tasks.discard(task)

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float | None, upward: bool = False
    ) -> None:
        """Copy until EOF, each chunk ``delay`` after it arrived (a delay line, not cumulative);
        ``delay`` None means the proxy's current ``delay_s`` (the upstream's answers); ``upward``
        counts the bytes in :attr:`bytes_sent`."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def receive() -> None:
            while data := await reader.read(65536):
                if upward:
                    self.bytes_sent += len(data)
                queue.put_nowait((loop.time() + (self.delay_s if delay is None else delay), data))
            queue.put_nowait((loop.time(), b""))

        receiver = asyncio.create_task(receive())
        try:
            while True:
                due, data = await queue.get()
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
                if not data:
                    break
                writer.write(data)
                await writer.drain()
            with contextlib.suppress(OSError):
                if writer.can_write_eof():
                    writer.write_eof()
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, OSError, asyncio.IncompleteReadError):
                await receiver
