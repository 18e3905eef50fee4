"""An edge and its cloud on loopback, the delay proxy between them: what leaves the home, and what
the user gets when the cloud is fast, slower than the budget, down, flapping, or refused."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from tests.llm.conftest import local_only_home
from tests.llm.fakes import unlock_plan
from tests.routing.conftest import Cloud, Node, edge

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

SONG = "播放周杰伦的歌"
POEM = "写一首关于春天的诗"
NO_WRITER = "现在连不上写作用的大模型，这个我暂时写不了，稍后再试试吧。"


async def _device_control_works(home: Node) -> None:
    answer = await home.ask("打开客厅的灯")
    assert [(a.device, a.status) for a in answer.actions] == [("living_room_main_light", "done")]
    assert answer.route.tier == "edge" and "confidence 0.95 >= 0.80" in answer.route.reason
    assert (await home.states())["living_room_main_light"]["power"] is True


def _played_here(answer: pb.Answer) -> None:
    """A song from the edge's own catalogue, the route saying why the cloud did not answer."""
    assert answer.HasField("media") and "周杰伦" in answer.media.artist
    assert answer.route.tier == "edge" and "media.play_music: the cloud's" in answer.route.reason


async def test_what_the_edge_can_place_never_leaves_it(module_broker: Mosquitto, cloud: Cloud, edge_data: Path) -> None:
    async with edge(module_broker, cloud, edge_data) as home:
        sent, asked = cloud.proxy.bytes_sent, len(cloud.node.answers)
        await _device_control_works(home)
        for text, lang in (("turn on the kitchen light", "en"), ("定一个十分钟的计时器", "zh"), ("三加五等于几", "zh")):
            answer = await home.ask(text, lang)
            assert answer.route.tier == "edge" and ">= 0.80" in answer.route.reason, answer.route.reason
        assert (await home.states())["kitchen_light"]["power"] is True
        assert cloud.proxy.bytes_sent == sent and len(cloud.node.answers) == asked


async def test_only_the_clause_the_cloud_takes_goes_up(module_broker: Mosquitto, cloud: Cloud, edge_data: Path) -> None:
    async with edge(module_broker, cloud, edge_data) as home:
        asked = len(cloud.node.answers)
        answer = await home.ask("打开客厅的灯然后播放周杰伦的歌")
        assert [(a.device, a.status) for a in answer.actions] == [("living_room_main_light", "done")]
        assert answer.HasField("media") and "周杰伦" in answer.media.artist
        assert [i.name for i in answer.intents] == ["device.turn_on", "media.play_music"]
        reason = answer.route.reason
        assert answer.route.tier == "cloud"
        assert re.search(r"^forwarded to cloud: confidence 0\.95 >= 0\.80; media\.play_music: the cloud's; "
                         r"upstream p90 \d+ ms fits \d+ ms left; cloud answered in \d+ ms", reason), reason
        assert "run here: device.turn_on" in reason
        # the cloud heard the song, not the light, and acted on nothing
        assert [a.text for a in cloud.node.answers[asked:]] == ["播放周杰伦的歌"]
        assert cloud.node.answers[-1].actions == ()
        assert (await home.states())["living_room_main_light"]["power"] is True


async def test_the_cloud_plans_what_the_edge_cannot_and_the_edge_acts_through_its_own_gate(
    module_broker: Mosquitto, cloud: Cloud, edge_data: Path
) -> None:
    async with edge(module_broker, cloud, edge_data) as home:
        cloud.llm.calls.clear()
        cloud.llm.replies = [{"tasks": [{"intent": "device.turn_on", "slots": {"device": "study_desk_lamp"}}]}]
        answer = await home.ask("书房太暗了看不清")
        assert [(a.device, a.status) for a in answer.actions] == [("study_desk_lamp", "done")]
        assert answer.route.tier == "cloud" and "forwarded to cloud: out of scope locally" in answer.route.reason
        assert "run here: device.turn_on" in answer.route.reason
        assert cloud.node.answers[-1].actions == () and cloud.llm.calls  # planned up there, done down here
        assert (await home.states())["study_desk_lamp"]["power"] is True

        # a cloud that confirms an unlock by itself: the confirmation is dropped, the unlock held here
        cloud.llm.replies = [{"tasks": [{"intent": "dialog.confirm", "slots": {}}, *unlock_plan()["tasks"]]}]
        held = await home.ask("let me in, I forgot my keys", "en", session="door")
        assert [(a.device, a.status) for a in held.actions] == [("front_door_lock", "needs_confirmation")]
        assert held.awaiting == "confirmation" and held.route.tier == "cloud"
        assert (await home.states())["front_door_lock"]["lock"] == "locked"
        # the user's own "yes" is a dialog turn: answered here, never forwarded
        asked = len(cloud.node.answers)
        released = await home.ask("yes", "en", session="door")
        assert released.route.reason.startswith("dialog turn") and len(cloud.node.answers) == asked
        assert (await home.states())["front_door_lock"]["lock"] == "unlocked"


async def test_an_upstream_slower_than_the_budget_is_answered_here_in_time(
    module_broker: Mosquitto, cloud: Cloud, edge_data: Path
) -> None:
    async with edge(module_broker, cloud, edge_data) as home:
        cloud.proxy.delay_s = 5.0
        try:
            first = await home.ask(SONG, timeout_s=3.0)  # a late answer would be DEADLINE_EXCEEDED
            _played_here(first)
            assert "upstream timeout" in first.route.reason
            # a tighter deadline than that one took: the upstream is not even tried
            second = await home.ask(SONG, timeout_s=2.5)
            _played_here(second)
            assert re.search(r"upstream p90 \d{4} ms > \d+ ms left; answered locally", second.route.reason), second.route.reason
            await _device_control_works(home)
        finally:
            cloud.proxy.delay_s = 0.0


async def test_an_upstream_that_is_down_costs_one_try_and_the_home_keeps_working(
    module_broker: Mosquitto, cloud: Cloud, edge_data: Path
) -> None:
    async with edge(module_broker, cloud, edge_data) as home:
        assert (await home.ask(SONG)).route.tier == "cloud"
        cloud.proxy.down = True
        cloud.proxy.cut()
        try:
            poem = await home.ask(POEM)
            assert "upstream unavailable" in poem.route.reason and poem.speech == NO_WRITER
            song = await home.ask(SONG)
            _played_here(song)
            assert "upstream unreachable (connection failed; retry in 30 s)" in song.route.reason
            await _device_control_works(home)
        finally:
            cloud.proxy.down = False


async def _until_forwarded(home: Node, tries: int = 20) -> pb.Answer:
    for _ in range(tries):
        answer = await home.ask(SONG)
        if answer.route.tier == "cloud":
            return answer
        _played_here(answer)
        await asyncio.sleep(0.5)
    raise AssertionError(f"not forwarded again after {tries} tries: {answer.route.reason}")


async def test_a_flapping_upstream_is_tried_once_per_circuit_window(
    module_broker: Mosquitto, cloud: Cloud, edge_data: Path
) -> None:
    async with edge(module_broker, cloud, edge_data, circuit_open_s=1.0) as home:
        await _until_forwarded(home)
        for _ in range(3):
            cloud.proxy.down = True
            cloud.proxy.cut()
            try:
                tried = await home.ask(SONG)
                assert "upstream unavailable" in tried.route.reason
                skipped = await home.ask(SONG)
                assert "upstream unreachable (connection failed; retry in 1 s)" in skipped.route.reason
                for answer in (tried, skipped):
                    _played_here(answer)
                await _device_control_works(home)
            finally:
                cloud.proxy.down = False
            await asyncio.sleep(1.0)  # the circuit closes; the channel reconnects
            await _until_forwarded(home)


async def test_a_local_only_home_never_sends_a_byte(
    module_broker: Mosquitto, cloud: Cloud, edge_data: Path, tmp_path: Path
) -> None:
    async with edge(module_broker, cloud, edge_data, homes=(str(local_only_home(tmp_path)),)) as home:
        sent, connections = cloud.proxy.bytes_sent, cloud.proxy.connections
        for text in (SONG, POEM, "书房太暗了看不清", "打开客厅的灯然后播放周杰伦的歌"):
            answer = await home.ask(text)
            assert answer.route.tier == "edge" and "home is local_only: no cloud" in answer.route.reason
        await _device_control_works(home)
        assert cloud.proxy.bytes_sent == sent and cloud.proxy.connections == connections


async def test_an_upstream_that_refuses_the_edge_is_reported_and_the_edge_answers(
    module_broker: Mosquitto, cloud: Cloud, edge_data: Path
) -> None:
    async with edge(module_broker, cloud, edge_data, token="not-the-token") as home:
        answer = await home.ask(SONG)
        _played_here(answer)
        assert "upstream refused (UNAUTHENTICATED: " in answer.route.reason
