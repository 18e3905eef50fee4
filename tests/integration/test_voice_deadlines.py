"""Spoken turns over Converse: their timings say what they cover, and one whose deadline (counted from the
end of speech) has passed before the skills answers "too late" and changes nothing (issue 13)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import BudgetOptions, ServerOptions
from assistant.app.metrics import Metrics
from assistant.app.skillset import builtin_skills
from assistant.dialog.sessions import MemorySessionStore
from assistant.pipeline.homes import HomeDirectory
from assistant.pipeline.pipeline import Pipeline, PipelineOptions
from assistant.pipeline.understanding import HomeUnderstanding
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from tests.voice.conftest import answers, audio_requests, stream, voice_cases, voice_lingxi  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def clip(cases, case_id: str):
    return next(c for c in cases if c.id == case_id)


async def test_a_spoken_answer_says_what_its_timings_cover(voice_lingxi, voice_cases):  # noqa: F811
    await voice_lingxi.reset()
    streamed = await stream(voice_lingxi, audio_requests(clip(voice_cases, "zh-01").audio, lang="zh", request_id="timed"))
    (answer,) = answers(streamed)
    timings = answer.timings_ms
    assert {"asr", "total", "end_to_end"} <= set(timings)
    # total is the pipeline's own time; end_to_end runs from the end of speech, recognition included
    assert timings["end_to_end"] >= timings["asr"] + timings["total"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def impatient(voice_lingxi) -> AsyncIterator:  # noqa: F811
    """The same instance and recogniser, behind a pipeline whose spoken turns are due at the end of speech."""
    runtime = voice_lingxi.runtime
    pipeline = Pipeline(
        HomeDirectory(runtime.homes), runtime.bridge, HomeUnderstanding(),
        builtin_skills(Scheduler(NotificationBus())), MemorySessionStore(),
        PipelineOptions(budget=BudgetOptions(voice_s=0.0)),
    )
    options = ServerOptions(port=0)
    server = GrpcServer(AssistantService(pipeline, options, Metrics(), voice=voice_lingxi.voice), options)
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    try:
        yield pb_grpc.AssistantStub(channel)
    finally:
        await channel.close()
        await server.stop()


async def test_a_spoken_turn_past_its_deadline_says_too_late_and_acts_on_nothing(voice_lingxi, voice_cases, impatient):  # noqa: F811
    await voice_lingxi.reset()
    messages = audio_requests(clip(voice_cases, "zh-01").audio, lang="zh", request_id="late")
    events = [e async for e in impatient.Converse(iter(messages), timeout=60)]
    (answer,) = [e.answer for e in events if e.WhichOneof("kind") == "answer"]
    assert answer.request_id == "late" and answer.transcript
    assert not answer.actions
    assert "太晚了" in answer.speech
    assert (await voice_lingxi.states())["living_room_main_light"]["power"] is False
