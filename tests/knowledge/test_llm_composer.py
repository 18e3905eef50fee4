"""Knowledge answers composed by an LLM tier: through the real llama_cpp.server (packaged SmolLM2)
end to end, and the tier order, privacy and resting on scripted backends."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from assistant.app.config import BudgetOptions, Config, LlmOptions, MqttOptions, ServerOptions
from assistant.app.runtime import Runtime
from assistant.pipeline.messages import Request
from domain.errors import LlmError, LlmErrorCode
from iot_bridge.mosquitto import MosquittoProcess
from skills.generation import TextTier
from skills.knowledge import LlmComposer, fault
from tests.llm.conftest import LlamaServer, llama_server  # noqa: F401  (the session's real LLM endpoint)

PASSAGE = "滤网建议每 3 个月更换一次，每周用清水冲洗后晾干 24 小时再装回。"


@pytest.mark.integration
async def test_an_answer_through_a_real_llm_keeps_the_fact_and_the_source(
        llama_server: LlamaServer, mosquitto: MosquittoProcess, tmp_path: Path) -> None:  # noqa: F811
    config = Config(server=ServerOptions(port=0),
                    mqtt=MqttOptions(url=f"mqtt://{mosquitto.host}:{mosquitto.port}", command_timeout_s=1.0),
                    llm=LlmOptions(cloud_url=llama_server.url, cloud_timeout_s=60.0),
                    budget=BudgetOptions(knowledge_s=60.0),  # the first question opens the index too
                    data_dir=str(tmp_path / "data"))
    runtime = await Runtime(config).start()
    try:
        assert runtime.pipeline is not None
        answer = await runtime.pipeline.run(Request("how long does the air purifier filter last", "living_room_speaker",
                                                    "r-1", "s-1", "en", deadline=time.monotonic() + 60.0))
    finally:
        await runtime.stop()
    # Whatever the tiny model wrote: spoken only when it kept the figure and said nothing else.
    assert re.search(r"4,?380 hours|6 months", answer.speech), answer.speech
    assert [c.doc for c in answer.citations] == ["air_purifier.en"]
    reason = answer.route.reason
    assert "knowledge: embedded search" in reason
    assert "composed by the cloud LLM" in reason or "extractive (the cloud LLM's answer" in reason \
        or "no LLM answered: cloud" in reason, reason


class FakeStreamingBackend:
    """Streams scripted pieces, or fails with an LlmError; counts its calls."""

    def __init__(self, name: str, pieces: tuple[str, ...] = (), fail: LlmErrorCode | None = None) -> None:
        self.name = name
        self.pieces = pieces
        self.fail = fail
        self.calls = 0

    async def stream(self, messages, max_tokens: int, timeout_s: float) -> AsyncIterator[str]:
        self.calls += 1
        if self.fail is not None:
            raise LlmError(self.fail, f"{self.name} {self.fail}")
        for piece in self.pieces:
            yield piece


async def compose(composer: LlmComposer, local_only: bool = False):
    return await composer.compose("滤网多久换一次", PASSAGE, "扫地机器人 X10, 6 清洁与保养", "zh", 5.0, local_only=local_only)


async def test_the_cloud_answers_first_and_a_local_only_home_gets_the_edge() -> None:
    cloud = FakeStreamingBackend("cloud", ("滤网每 3 个月", "换一次。"))
    edge = FakeStreamingBackend("edge", ("每 3 个月换滤网。",))
    composer = LlmComposer([TextTier("cloud", cloud, True), TextTier("edge", edge, False)])
    composed = await compose(composer)
    assert (composed.text, composed.tier) == ("滤网每 3 个月换一次。", "cloud")
    composed = await compose(composer, local_only=True)
    assert (composed.tier, cloud.calls, edge.calls) == ("edge", 1, 1)


async def test_a_failed_tier_rests_and_the_next_answers() -> None:
    cloud = FakeStreamingBackend("cloud", fail=LlmErrorCode.UNAVAILABLE)
    edge = FakeStreamingBackend("edge", ("每 3 个月换滤网。",))
    composer = LlmComposer([TextTier("cloud", cloud, True), TextTier("edge", edge, False)])
    assert (await compose(composer)).tier == "edge"
    assert (await compose(composer)).tier == "edge"
    assert cloud.calls == 1  # not asked again while it rests
    with pytest.raises(LlmError) as err:
        await compose(LlmComposer([TextTier("cloud", cloud, True)]), local_only=True)
    assert "cloud skipped (home is local_only)" in err.value.message


async def test_a_rambling_stream_is_cut_and_kept_long_for_the_check_to_refuse() -> None:
    endless = FakeStreamingBackend("edge", ("滤网每 3 个月换一次。",) * 500)
    composed = await compose(LlmComposer([TextTier("edge", endless, False)]))
    assert len(composed.text) < 200  # not all 5,500 characters were waited for
    assert fault(composed.text, "滤网建议每 3 个月更换一次", [PASSAGE], "zh").startswith("is too long to speak")
