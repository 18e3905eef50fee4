"""A speaker keeps its Converse stream open for days: what one utterance needed must go once it is answered.

Found by the soak (tracemalloc between minute 1 and minute 6): every spoken turn of a long-lived stream
left a stall watcher behind, holding the utterance and its audio until the stream closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.app.chat import audio_messages
from assistant.pipeline.messages import Request
from assistant.voice.audio import read_wav
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from testkit.voice_fixtures import synthesise
from tests.integration.conftest import start_instance, stop_instance

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]

TURNS = 3


def watchers() -> int:
    """Stall watchers alive in this loop (the test's and the server's: they share it)."""
    return sum(task.get_coro().__qualname__ == "VoiceStream._watch" for task in asyncio.all_tasks())  # type: ignore[union-attr]


async def test_a_long_stream_keeps_nothing_of_the_utterances_it_answered(mosquitto: Mosquitto, tmp_path: Path) -> None:
    wav = tmp_path / "kitchen.wav"
    synthesise("打开厨房灯", "zh", wav)
    fmt, pcm = read_wav(wav)
    lingxi = await start_instance(mosquitto)
    requests: asyncio.Queue[pb.ConverseRequest | None] = asyncio.Queue()

    async def outgoing() -> AsyncIterator[pb.ConverseRequest]:
        while (item := await requests.get()) is not None:
            yield item

    stream = lingxi.stub.Converse(outgoing(), timeout=120)
    try:
        statuses = []
        for n in range(TURNS):
            for message in audio_messages(fmt, pcm, Request("", "living_room_speaker", f"spoken-{n}", "")):
                await requests.put(message)
            async for event in stream:
                if event.WhichOneof("kind") in ("answer", "error"):
                    break
            assert event.WhichOneof("kind") == "answer", event
            statuses.append([(a.device, a.status) for a in event.answer.actions])
        assert statuses == [[("kitchen_light", "done")]] * TURNS  # heard and acted on, each time
        assert watchers() == 0  # the stream is still open; its answered utterances are gone
    finally:
        await requests.put(None)
        stream.cancel()
        await stop_instance(lingxi)
