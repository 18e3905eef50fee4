"""The soak test's checks find what they are there to find: a lost, a replayed, an unasked, an unsafe change, a
timer rung twice or never, an answer that crossed homes."""

from __future__ import annotations

from pathlib import Path

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from bench.soak_checks import CONFIRMING, GENERATION, check
from bench.soak_homes import write_second_home
from bench.soak_ledger import OK, Heard, Intended, Ledger, StateMessage, Turn
from domain.home import Home, load_demo_home, load_home


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> list[Home]:
    return [load_demo_home(), load_home(write_second_home(Path(tmp_path_factory.mktemp("homes"))))]


def _value(v: object) -> pb.Value:
    if isinstance(v, bool):
        return pb.Value(bool_value=v)
    if isinstance(v, int | float):
        return pb.Value(number_value=float(v))
    return pb.Value(string_value=str(v))


def turn(at: float, text: str, actions: list[tuple[str, str, dict]] = (), *, home: str = "demo",
         speaker: str = "living_room_speaker", purpose: str = "set", code: str = OK, speech: str = "好的",
         intended: Intended | None = None) -> Turn:
    answer = pb.Answer(home_id=home, speech=speech, actions=[
        pb.Action(device=d, command=c, status="done", params={k: _value(v) for k, v in p.items()}) for d, c, p in actions
    ]) if code == OK else None
    return Turn(home, speaker, "ask", purpose, text, at, at + 0.1, code, answer, intended)


def brightness(at: float, value: int, device: str = "living_room_main_light") -> StateMessage:
    return StateMessage("demo", device, {"state": "ON", "brightness": value}, at, False)


FINAL = {"demo": {"living_room_main_light": {"brightness": 37}}}


def about(lines: list[str], device: str = "living_room_main_light") -> list[str]:
    """The findings about one device (the others have no final state in these ledgers)."""
    return [line for line in lines if line.startswith(f"demo/{device}.")]


def test_a_confirmed_change_the_device_reported_once_passes(homes: list[Home]) -> None:
    ledger = Ledger(turns=[turn(1.0, "调到37", [("living_room_main_light", "set", {"brightness": 37})])],
                    states=[brightness(0.0, 80), brightness(1.05, 37)])
    verdict = check(ledger, homes, FINAL, [])
    assert verdict.confirmed_changes == 1
    assert (verdict.lost, verdict.duplicated, verdict.phantom, about(verdict.final_mismatch)) == ([], [], [], [])


def test_a_confirmed_change_the_device_never_reported_is_lost(homes: list[Home]) -> None:
    ledger = Ledger(turns=[turn(1.0, "调到37", [("living_room_main_light", "set", {"brightness": 37})])],
                    states=[brightness(0.0, 80)])
    assert len(check(ledger, homes, FINAL, []).lost) == 1


def test_a_change_hidden_by_an_observer_gap_is_unobserved_not_lost(homes: list[Home]) -> None:
    ledger = Ledger(turns=[turn(1.0, "调到37", [("living_room_main_light", "set", {"brightness": 37})])],
                    states=[brightness(0.0, 80)], observer_gaps=[(0.5, 2.0)])
    verdict = check(ledger, homes, FINAL, [])
    assert (len(verdict.lost), len(verdict.unobserved)) == (0, 1)


def test_a_replayed_command_is_a_duplicate_and_the_final_state_is_wrong(homes: list[Home]) -> None:
    ledger = Ledger(turns=[turn(1.0, "调到37", [("living_room_main_light", "set", {"brightness": 37})]),
                           turn(2.0, "调到41", [("living_room_main_light", "set", {"brightness": 41})])],
                    states=[brightness(0.0, 80), brightness(1.05, 37), brightness(2.05, 41), brightness(3.0, 37)])
    verdict = check(ledger, homes, FINAL, [])
    assert len(verdict.duplicated) == 1
    assert about(verdict.final_mismatch) == ["demo/living_room_main_light.brightness: ended at 37, expected one of [41.0]"]


def test_an_unconfirmed_change_may_have_happened_but_an_unasked_one_may_not(homes: list[Home]) -> None:
    unconfirmed = turn(1.0, "调到37", code="UNAVAILABLE", intended=Intended("living_room_main_light", "brightness", 37))
    ledger = Ledger(turns=[unconfirmed], states=[brightness(0.0, 80), brightness(1.05, 37), brightness(2.0, 55)])
    verdict = check(ledger, homes, {"demo": {"living_room_main_light": {"brightness": 55}}}, [])
    assert (verdict.lost, len(verdict.phantom), len(about(verdict.final_mismatch))) == ([], 1, 1)


def _lock(at: float, value: str) -> StateMessage:
    return StateMessage("demo", "front_door_lock", {"lock": value.upper(), "battery": 80}, at, False)


def test_an_unlock_needs_a_confirmation_turn_before_it(homes: list[Home]) -> None:
    confirm = turn(1.0, "确定", purpose=CONFIRMING, intended=Intended("front_door_lock", "lock", "unlocked"))
    states = [_lock(0.0, "locked"), _lock(1.05, "unlocked"), _lock(2.0, "locked"), _lock(3.0, "unlocked")]
    assert len(check(Ledger(turns=[confirm], states=states), homes, {}, []).unsafe) == 1


def test_a_cancelled_confirmation_that_releases_the_lock_is_unsafe(homes: list[Home]) -> None:
    after_cancel = turn(1.0, "确定", [("front_door_lock", "set", {"lock": "unlocked"})], purpose="after_cancel")
    verdict = check(Ledger(turns=[after_cancel]), homes, {}, [])
    assert any("after_cancel" in line for line in verdict.unsafe)


def _timer(at: float, speaker: str = "bedroom_speaker") -> Turn:
    return turn(at, "设一个3秒的计时器", [(speaker, "timer.set", {"id": "t1", "at": "2026-01-01T00:00:03+00:00", "duration": 3})],
                speaker=speaker, purpose="timer")


def _heard(speaker: str, stream: int = 1) -> Heard:
    return Heard("demo", speaker, stream, "2026-01-01T00:00:03+00:00", "bedroom_speaker", "timer", 4.0)


def test_a_timer_heard_once_per_speaker_fired_once(homes: list[Home]) -> None:
    ledger = Ledger(turns=[_timer(1.0)], heard=[_heard("bedroom_speaker"), _heard("living_room_speaker")])
    timers = check(ledger, homes, {}, []).timers
    assert (timers["fired_once"], timers["duplicated"], timers["lost"]) == (1, 0, 0)


def test_a_timer_heard_twice_by_one_speaker_is_a_duplicate_even_on_another_opening(homes: list[Home]) -> None:
    ledger = Ledger(turns=[_timer(1.0)], heard=[_heard("bedroom_speaker", 1), _heard("bedroom_speaker", 2)])
    assert check(ledger, homes, {}, []).timers["duplicated"] == 1


def test_a_timer_never_heard_is_lost_and_across_a_restart_said_so(homes: list[Home]) -> None:
    ledger = Ledger(turns=[_timer(1.0)])
    assert check(ledger, homes, {}, []).timers["lost"] == 1
    assert check(ledger, homes, {}, [(2.0, 3.0)]).timers["lost_across_restart"] == 1


def test_answers_that_cross_homes_are_leaks(homes: list[Home]) -> None:
    turns = [
        turn(1.0, "客厅主灯现在是什么状态", speech="西苑客厅主灯关着"),  # home demo naming the other home's light
        turn(2.0, "客厅主灯现在是什么状态", home="soak_b", speaker="b_living_room_speaker", speech="客厅主灯关着"),
        turn(3.0, "客厅主灯现在是什么状态", home="soak_b", speaker="b_living_room_speaker", speech="西苑客厅主灯关着"),  # fine
        turn(4.0, "打开客厅主灯", purpose="probe", home="soak_b", speaker="b_living_room_speaker"),  # another home's session accepted
    ]
    heard = [Heard("soak_b", "b_bedroom_speaker", 1, "x", "bedroom_speaker", "timer", 5.0)]
    assert len(check(Ledger(turns=turns, heard=heard), homes, {}, []).leaks) == 4


def test_a_value_asked_again_in_a_later_round_is_counted_not_called_a_duplicate(homes: list[Home]) -> None:
    asked = [turn(t, "调到37" if v == 37 else "调到41", [("living_room_main_light", "set", {"brightness": v})])
             for t, v in ((1.0, 37), (2.0, 41), (3.0, 37))]
    states = [brightness(0.0, 80), brightness(1.05, 37), brightness(2.05, 41), brightness(3.05, 37)]
    assert check(Ledger(turns=asked, states=states), homes, FINAL, []).duplicated == []
    assert len(check(Ledger(turns=asked, states=[*states, brightness(4.0, 41), brightness(5.0, 37)]), homes, FINAL, []).duplicated) == 2


def test_a_probe_the_restarting_service_could_not_serve_is_no_leak(homes: list[Home]) -> None:
    probe = turn(1.0, "打开客厅主灯", purpose="probe", home="soak_b", speaker="b_living_room_speaker", code="UNAVAILABLE")
    assert check(Ledger(turns=[probe]), homes, {}, []).leaks == []


def writing(at: float, speech: str = "", reason: str = "", code: str = OK) -> Turn:
    answer = pb.Answer(home_id="demo", speech=speech, route=pb.Route(tier="edge", reason=reason)) if code == OK else None
    return Turn("demo", "bedroom_speaker", "ask", GENERATION, "写一首关于秋天的短诗", at, at + 2.0, code, answer)


def test_llm_text_is_written_or_honestly_offline_and_anything_else_is_dishonest(homes: list[Home]) -> None:
    ledger = Ledger(turns=[
        writing(1.0, "秋叶飘落。", "generation: written by the cloud LLM"),
        writing(10.0, "现在连不上写作用的大模型，这个我暂时写不了，稍后再试试吧。", "generation: no LLM answered"),
        writing(30.0, "现在连不上写作用的大模型，这个我暂时写不了，稍后再试试吧。", "generation: no LLM answered"),
        writing(40.0, "处理这个请求时出错了", "error"),  # neither written nor saying why
        writing(50.0, code="INTERNAL"),  # an error while the service was up
        writing(60.0, code="UNAVAILABLE"),  # the service restarting: allowed
    ])
    generation = check(ledger, homes, {}, restarts=[(59.0, 65.0)], llm_outages=[(9.0, 14.0)]).generation
    assert (generation["asked"], generation["written"]) == (6, 1)
    assert (generation["offline_in_outage"], generation["offline_while_up"]) == (1, 1)
    assert sorted(line.split(" at ")[1].split(" s")[0] for line in generation["dishonest"]) == ["40.0", "50.0"]
