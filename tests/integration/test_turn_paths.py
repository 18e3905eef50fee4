"""Turn paths of the pipeline seen from a client: partial answers streamed while a skill generates,
and a turn that reaches its skills past its deadline answering "too late" without acting."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import grpc
import pytest
import pytest_asyncio
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.api.server import AssistantService, GrpcServer
from assistant.app.config import ServerOptions
from assistant.app.metrics import Metrics
from assistant.dialog.sessions import MemorySessionStore
from assistant.pipeline.events import PartialAnswer, PipelineEvent
from assistant.pipeline.homes import HomeDirectory
from assistant.pipeline.messages import Request
from assistant.pipeline.pipeline import Pipeline
from assistant.pipeline.understanding import HomeUnderstanding
from intents.types import Intent
from skills.devices.control import DeviceControlSkill
from skills.sdk import SkillContext, SkillKind, SkillManifest, SkillRegistry, SkillResult

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

POEM = ("床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。")


class FakeGenerationSkill:
    """Stands in for a generation skill: answers what nothing else serves, a line at a time."""

    manifest = SkillManifest("fake-generation", SkillKind.GENERATION, ("out_of_scope",))

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        text = ""
        for line in POEM:
            text += line
            if ctx.partial is not None:
                ctx.partial(text)
        return SkillResult(text, route_note="fake generation")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def pipeline(lingxi) -> Pipeline:
    runtime = lingxi.runtime
    return Pipeline(
        HomeDirectory(runtime.homes), runtime.bridge, HomeUnderstanding(),
        SkillRegistry([DeviceControlSkill(), FakeGenerationSkill()]), MemorySessionStore(),
    )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stub(pipeline) -> AsyncIterator:
    options = ServerOptions(port=0)
    server = GrpcServer(AssistantService(pipeline, options, Metrics()), options)
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    try:
        yield pb_grpc.AssistantStub(channel)
    finally:
        await channel.close()
        await server.stop()


async def test_partial_answers_stream_before_the_answer(stub):
    turn = pb.ConverseRequest(text=pb.AskRequest(text="给我写一首关于月亮的诗", request_id="poem-1"))
    events = [e async for e in stub.Converse(iter([turn]), timeout=10)]
    kinds = [e.WhichOneof("kind") for e in events]
    partials = [e.partial_answer for e in events if e.WhichOneof("kind") == "partial_answer"]
    assert [p.text for p in partials] == ["".join(POEM[: i + 1]) for i in range(len(POEM))]
    assert {p.request_id for p in partials} == {"poem-1"}
    assert kinds.index("partial_answer") > kinds.index("stage")  # inside the skills stage
    assert kinds[-1] == "answer" and events[-1].answer.speech == "".join(POEM)


async def test_the_pipeline_emits_partial_answers_as_typed_events(pipeline):
    seen: list[PipelineEvent] = []
    answer = await pipeline.run(Request("给我写一首关于月亮的诗", "living_room_speaker", "poem-2", ""), seen.append)
    assert [e for e in seen if isinstance(e, PartialAnswer)][-1] == PartialAnswer("poem-2", answer.speech)


async def test_a_turn_past_its_deadline_before_the_skills_says_too_late_and_acts_on_nothing(lingxi, pipeline):
    await lingxi.reset()
    # as a spoken turn whose recognition queued behind fifty others would: the speaker stopped a minute ago
    late = Request("打开厨房灯", "living_room_speaker", "late-1", "", spoken_at=time.monotonic() - 60)
    answer = await pipeline.run(late)
    assert not answer.actions
    assert "太晚了" in answer.speech
    assert answer.timings_ms["end_to_end"] >= 60_000
    assert (await lingxi.states())["kitchen_light"]["power"] is False
    fresh = await pipeline.run(Request("打开厨房灯", "living_room_speaker", "late-2", "", spoken_at=time.monotonic()))
    assert [a.status for a in fresh.actions] == ["done"]
    assert (await lingxi.states())["kitchen_light"]["power"] is True
