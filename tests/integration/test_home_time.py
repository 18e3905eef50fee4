"""A request without a client clock runs on the home's clock (demo: Asia/Shanghai), not the machine's zone."""

from __future__ import annotations

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def test_7am_tomorrow_without_a_client_clock_is_7am_in_the_home(lingxi):
    answer = await lingxi.stub.Ask(pb.AskRequest(text="set an alarm for 7am tomorrow", device_id="bedroom_speaker"), timeout=10)
    assert answer.intents[0].name == "alarm.set"
    assert answer.intents[0].slots["datetime"].string_value.endswith("T07:00:00+08:00")
    assert answer.actions[0].params["at"].string_value.endswith("T07:00:00+08:00")
    assert "7:00 AM tomorrow" in answer.speech
