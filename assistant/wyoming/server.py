"""Lingxi inside Home Assistant: a Wyoming server (the ``wyoming`` package's) on a TCP port.

Home Assistant adds it by host and port (Settings → Devices & services → Wyoming Protocol) and
offers Lingxi as an Assist pipeline's speech-to-text and conversation agent, and its intent
recognition for running Lingxi's understanding on HA's own entities. What each event does:
:mod:`assistant.wyoming.handler`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from wyoming.server import AsyncEventHandler, AsyncTcpServer

from assistant.pipeline.homes import HomeBridge
from assistant.pipeline.pipeline import Pipeline
from assistant.pipeline.understanding import HomeUnderstanding
from assistant.voice.service import VoiceService
from assistant.wyoming.handler import LingxiHandler, Served
from assistant.wyoming.info import lingxi_info

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class WyomingOptions:
    #: Loopback by default: the protocol has no authentication, so reaching it is being trusted.
    host: str = "127.0.0.1"
    port: int = 10600
    #: The speaking device Home Assistant's requests speak as: its home and room scope them.
    speaker: str = "living_room_speaker"


class WyomingServer:
    """``devices``: the bridge (each home's devices, as intent recognition names them)."""

    def __init__(self, pipeline: Pipeline, voice: VoiceService, understanding: HomeUnderstanding, devices: HomeBridge,
                 options: WyomingOptions = WyomingOptions()) -> None:
        pipeline.homes.speaker(options.speaker)  # NOT_FOUND now rather than on the first request
        self.options = options
        self._served = Served(pipeline, voice, understanding, devices, options.speaker)
        self._info = lingxi_info().event()
        self._server = AsyncTcpServer(options.host, options.port)

    def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> AsyncEventHandler:
        return LingxiHandler(self._served, self._info, reader, writer)

    async def start(self) -> None:
        await self._server.start(self._connection)
        _LOGGER.info("wyoming on tcp://%s:%d (speaking as %s)", self.options.host, self.options.port, self.options.speaker)

    async def stop(self) -> None:
        await self._server.stop()
