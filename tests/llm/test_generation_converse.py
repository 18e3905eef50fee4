"""gen.write end to end: a device's Converse stream hears the poem's first words before the answer,
written by the real llama_cpp.server as the cloud tier of a full instance."""

from __future__ import annotations

import grpc
from lingxi.assistant.v1 import assistant_pb2 as pb
from lingxi.assistant.v1 import assistant_pb2_grpc as pb_grpc

from assistant.app.config import Config, LlmOptions, MqttOptions, ServerOptions, VoiceConfig
from assistant.app.serving import serving
from iot_bridge.mosquitto import MosquittoProcess

from .conftest import LlamaServer


async def test_a_poem_streams_over_converse_before_its_answer(llama_server: LlamaServer, broker: MosquittoProcess):
    config = Config(
        server=ServerOptions(port=0),
        mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}", command_timeout_s=1.0),
        llm=LlmOptions(cloud_url=llama_server.url, cloud_timeout_s=60.0),
        voice=VoiceConfig(preload=False),
    )
    async with serving(config) as instance, grpc.aio.insecure_channel(f"127.0.0.1:{instance.server.port}") as channel:
        turn = pb.ConverseRequest(text=pb.AskRequest(text="write a poem about autumn", device_id="living_room_speaker",
                                                     lang="en"))
        events = [e async for e in pb_grpc.AssistantStub(channel).Converse(iter([turn]), timeout=90)]
    kinds = [e.WhichOneof("kind") for e in events]
    answer = events[kinds.index("answer")].answer
    partials = [e.partial_answer.text for e in events if e.WhichOneof("kind") == "partial_answer"]
    assert [i.name for i in answer.intents] == ["gen.write"]
    assert "can't reach" not in answer.speech and answer.speech
    assert partials and kinds.index("partial_answer") < kinds.index("answer")
    assert len(partials[0]) < len(answer.speech)  # the first words went out before the whole text existed
    assert "written by the cloud LLM" in answer.route.reason
