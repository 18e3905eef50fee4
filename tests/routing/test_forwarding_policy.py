"""The edge's forwarding policy as pure functions: when the upstream is asked, what it is sent, how its
plan comes back, and which tasks each instance carries out."""

from __future__ import annotations

import pytest

from assistant.app.config import UpstreamOptions, load_config
from assistant.app.skillset import OPENED, builtin_skills
from assistant.routing.forwarding import merged_plan, sent_text, usable_plan
from assistant.routing.placement import Placement, Role
from assistant.routing.router import CLOUD, EDGE, LOCAL, UPSTREAM, RouteInput, TierState, decide
from assistant.routing.upstream import Upstream, intent_kinds
from domain.errors import LingxiError
from intents.types import Intent, IntentSource
from skills.sdk import SkillKind, SkillRegistry, SkillResult
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler

UP = TierState(UPSTREAM, True, 35.0)
CLOUD_LLM = TierState(CLOUD, True, 300.0)
NO_EDGE = TierState(EDGE)
NO_CLOUD = TierState(CLOUD)
LIGHT = Intent("device.turn_on", {"device": "living_room_main_light"}, 0.95, IntentSource.RULES, "打开客厅的灯")
SONG = Intent("media.play_music", {"artist": "周杰伦"}, 1.0, IntentSource.EDGE_MODEL, "播放周杰伦的歌")


def _in(conf: float = 0.95, oos: bool = False, unplaced: tuple[str, ...] = (), upstream: TierState = UP,
        privacy: str = "standard", left: float = 2500.0, cloud: TierState = NO_CLOUD) -> RouteInput:
    return RouteInput(conf, oos, False, left, privacy, cloud, NO_EDGE, reserve_ms=200.0, upstream=upstream, unplaced=unplaced)


@pytest.mark.parametrize(
    ("case", "use", "tier", "says"),
    [
        (_in(), LOCAL, "edge", "confidence 0.95 >= 0.80"),
        (_in(unplaced=("media.play_music",)), UPSTREAM, "cloud",
         "confidence 0.95 >= 0.80; media.play_music: the cloud's; upstream p90 35 ms fits 2300 ms left"),
        (_in(conf=0.42), UPSTREAM, "cloud", "confidence 0.42 < 0.80; upstream p90 35 ms fits 2300 ms left"),
        (_in(conf=0.0, oos=True), UPSTREAM, "cloud", "out of scope locally; upstream p90"),
        (_in(conf=0.42, upstream=TierState(UPSTREAM, True, 35.0, failed="timeout"), cloud=CLOUD_LLM), CLOUD, "cloud",
         "upstream failed (timeout); cloud p90 300 ms fits"),
        (_in(unplaced=("media.play_music",), upstream=TierState(UPSTREAM, True, 35.0, 12.0, "connection failed")), LOCAL,
         "edge", "media.play_music: the cloud's; upstream unreachable (connection failed; retry in 12 s); answered locally"),
        (_in(unplaced=("gen.write",), upstream=TierState(UPSTREAM, True, 2800.0)), LOCAL, "edge",
         "upstream p90 2800 ms > 2300 ms left; answered locally"),
        (_in(unplaced=("media.play_music",), privacy="local_only"), LOCAL, "edge",
         "media.play_music: the cloud's; home is local_only: no cloud; answered locally"),
        (_in(unplaced=("media.play_music",), upstream=TierState(UPSTREAM)), LOCAL, "edge", "confidence 0.95 >= 0.80"),
    ],
)
def test_when_the_upstream_is_asked(case: RouteInput, use: str, tier: str, says: str) -> None:
    decision = decide(case)
    assert (decision.use, decision.tier) == (use, tier)
    assert says in decision.reason


def test_a_confident_request_the_upstream_cannot_take_is_not_degraded() -> None:
    """Its own skills answer it: no request to rephrase."""
    down = TierState(UPSTREAM, True, 35.0, 12.0, "connection failed")
    assert not decide(_in(unplaced=("media.play_music",), upstream=down)).degraded
    assert decide(_in(conf=0.3, upstream=down)).degraded


def test_without_an_upstream_the_reasons_do_not_mention_one() -> None:
    decision = decide(_in(conf=0.42, upstream=TierState(UPSTREAM), cloud=CLOUD_LLM))
    assert decision.use == CLOUD and "upstream" not in decision.reason


def test_a_local_only_home_never_goes_upstream_whatever_else_holds() -> None:
    for conf in (0.0, 0.42, 0.95):
        for unplaced in ((), ("media.play_music",)):
            for left in (100.0, 2500.0, 60000.0):
                decision = decide(_in(conf=conf, unplaced=unplaced, privacy="local_only", left=left,
                                      upstream=TierState(UPSTREAM, True, 1.0), cloud=CLOUD_LLM))
                assert decision.use not in (UPSTREAM, CLOUD) and decision.tier == "edge"


def test_a_confident_request_sends_only_the_clauses_the_upstream_takes() -> None:
    local = (LIGHT, SONG)
    assert sent_text("打开客厅的灯然后播放周杰伦的歌", local, [1], whole=False, lang="zh") == "播放周杰伦的歌"
    assert sent_text("打开客厅的灯然后播放周杰伦的歌", local, [1], whole=True, lang="zh") == "打开客厅的灯然后播放周杰伦的歌"
    nameless = (LIGHT, Intent("media.play_music", {}, 1.0, IntentSource.EDGE_MODEL, ""))
    assert sent_text("打开客厅的灯然后放首歌", nameless, [1], whole=False, lang="zh") == "打开客厅的灯然后放首歌"


def test_the_upstream_plan_takes_the_place_of_what_was_sent_and_never_answers_a_confirmation() -> None:
    planned = Intent("media.play_music", {"artist": "周杰伦", "title": "晴天"}, 0.7, IntentSource.LLM, "播放周杰伦的歌")
    assert merged_plan((LIGHT, SONG), [1], (planned,), whole=False) == (LIGHT, planned)
    assert merged_plan((SONG, LIGHT), [0], (planned,), whole=False) == (planned, LIGHT)
    assert merged_plan((LIGHT, SONG), [1], (planned,), whole=True) == (planned,)
    confirm = Intent("dialog.confirm", {}, 0.7, IntentSource.LLM, "")
    assert usable_plan((confirm, planned)) == (planned,)


def _registry() -> SkillRegistry:
    return builtin_skills(Scheduler(NotificationBus()))


async def test_a_plan_only_turn_runs_no_tool_task() -> None:
    registry = _registry()
    skills = Placement(plan_only=True).registry(registry)
    light = skills.skill_for("device.turn_on")
    assert light is not None and light.manifest.kind is SkillKind.TOOL
    assert await light.handle(LIGHT, None) == SkillResult("")  # type: ignore[arg-type]  # never touches the context
    assert skills.skill_for("gen.write") is registry.skill_for("gen.write")
    assert Placement().registry(registry) is registry


async def test_what_the_upstream_answered_is_said_once_and_not_run_again() -> None:
    registry = _registry()
    said = SkillResult("好的，正在播放周杰伦的晴天")
    skills = Placement(answered=frozenset({"media.play_music"}), upstream=said).registry(registry)
    song = skills.skill_for("media.play_music")
    assert song is not None
    assert await song.handle(SONG, None) == said  # type: ignore[arg-type]
    assert await song.handle(SONG, None) == SkillResult("")  # type: ignore[arg-type]
    assert skills.skill_for("device.turn_on") is registry.skill_for("device.turn_on")


def test_which_tasks_go_up_and_which_run_here() -> None:
    upstream = Upstream(UpstreamOptions(url="127.0.0.1:1"), intent_kinds([*_registry().manifests(), *OPENED]))
    assert upstream.forwards("media.play_music") and upstream.forwards("gen.write")
    assert not upstream.forwards("device.turn_on") and not upstream.forwards("kb.product_qa")
    assert upstream.runs_here("device.turn_on") and upstream.runs_here("timer.set") and upstream.runs_here("out_of_scope")
    assert not upstream.runs_here("media.play_music") and not upstream.runs_here("some.cloud_only_intent")


def test_roles_and_upstream_options_are_checked() -> None:
    config = load_config(env={"LINGXI_ROLE": "edge", "LINGXI_UPSTREAM_URL": "cloud.example:443",
                              "LINGXI_UPSTREAM_KINDS": "content,knowledge", "LINGXI_UPSTREAM_TOKEN": "t"})
    assert Role.parse(config.role) is Role.EDGE
    assert config.upstream.kinds == ("content", "knowledge") and config.upstream.token == "t"
    with pytest.raises(LingxiError, match="role must be one of both, edge, cloud"):
        Role.parse("fog")
    with pytest.raises(LingxiError, match=r"upstream\.kinds: music not among"):
        Upstream(UpstreamOptions(url="127.0.0.1:1", kinds=("music",)), {})
