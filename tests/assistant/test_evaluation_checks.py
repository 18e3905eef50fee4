"""Evaluation contract v2: media, citations, honesty and the wrong-action metric, case by case."""

from __future__ import annotations

import pytest

from assistant.evaluation.actions import question_case, unexpected_changes
from assistant.evaluation.cases import Case, check
from assistant.evaluation.content_checks import catalogue, unknown_failures
from assistant.evaluation.runner import CaseResult, lines, summarize
from assistant.pipeline.messages import Answer
from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.sdk import Citation, MediaDirective

HOME = load_demo_home()
QING_TIAN = "song-zhou-jie-lun-qing-tian"
BEFORE = {"living_room_main_light": {"power": False}, "bedroom_light": {"power": False},
          "kitchen_light": {"power": False}}


def answer(*intents: str, speech: str = "", media: MediaDirective | None = None, citations=(), **slots) -> Answer:
    return Answer("r", "s", "demo", "text", "zh", "living_room_speaker",
                  intents=tuple(Intent(n, slots, 0.9, IntentSource.RULES) for n in intents),
                  speech=speech, media=media, citations=tuple(citations))


def playing(item_id: str, state: str = "playing") -> MediaDirective:
    return MediaDirective(item_id, "song", "晴天", state=state)


def failures(expect: dict, got: Answer, after=BEFORE, before=BEFORE) -> list[str]:
    return check(Case("c", "text", expect=expect), got, after, before)


def test_the_catalogue_holds_the_shipped_items():
    row = catalogue()[QING_TIAN]
    assert row["kind"] == "song" and row["language"] == "zh"


@pytest.mark.parametrize("expected, played, ok", [
    ({"id": QING_TIAN}, QING_TIAN, True),
    ({"id": QING_TIAN}, "song-zhou-jie-lun-qi-li-xiang", False),
    ({"any_of": ["song-zhou-jie-lun-qi-li-xiang", QING_TIAN]}, QING_TIAN, True),
    ({"any_of": ["song-zhou-jie-lun-qi-li-xiang"]}, QING_TIAN, False),
    ({"kind": "song", "language": "zh"}, QING_TIAN, True),
    ({"kind": "movie"}, QING_TIAN, False),
    ({"language": "en"}, QING_TIAN, False),
    ({"audience": "kids"}, QING_TIAN, False),
    ({"genres_any": ["mandopop", "jazz"]}, QING_TIAN, True),
    ({"genres_any": ["jazz"]}, QING_TIAN, False),
    ({"moods_any": ["no-such-mood"]}, QING_TIAN, False),
    ({"kind": "song"}, "song-that-does-not-exist", False),
])
def test_media_is_checked_against_the_played_items_catalogue_row(expected, played, ok):
    assert (failures({"media": expected}, answer("media.play_music", media=playing(played))) == []) is ok


def test_media_null_means_nothing_plays():
    assert failures({"media": None}, answer("media.play_music", speech="没有找到《晴天》")) == []
    paused = answer("media.control", media=playing(QING_TIAN, state="paused"))
    assert failures({"media": None}, paused) == []
    assert failures({"media": None}, answer("media.play_music", media=playing(QING_TIAN))) == [
        f"media: expected nothing to play, got {QING_TIAN}"]


def test_expected_media_that_does_not_play_fails():
    got = failures({"media": {"kind": "song"}}, answer("media.play_music", speech="没有找到符合要求的内容"))
    assert got == ["media: expected {'kind': 'song'}, nothing plays"]


def test_one_of_the_cited_documents_is_enough():
    cited = answer("kb.product_qa", citations=[Citation("robot_vacuum.zh", "保养"), Citation("lock.zh", "电池")])
    assert failures({"citations_any": ["lock.zh", "camera.zh"]}, cited) == []
    assert failures({"citations_any": ["camera.zh"]}, cited) == [
        "citations: none of ['camera.zh'] cited, got ['robot_vacuum.zh', 'lock.zh']"]


@pytest.mark.parametrize("intent, speech, honest", [
    ("media.play_music", "抱歉，这个我还不会。你可以让我控制家里的设备或者开启场景。", False),
    ("media.play_music", "Sorry, I can't help with that yet. I can control your home's devices and scenes.", False),
    ("kb.general_qa", "Sorry, I can't do that yet.", False),
    ("media.play_music", "没有找到《晴天》，你是不是想找七里香？", True),
    ("media.play_video", "I couldn't find anything like that", True),
    ("kb.product_qa", "说明书里没有找到滤网的更换周期。", True),
    ("kb.product_qa", "I couldn't find a manual for the sauna in this home.", True),
    ("media.control", "Nothing is playing right now", True),
    ("timer.set", "抱歉，这个我还不会", True),  # not a content or knowledge request: not this rule's business
])
def test_content_and_knowledge_answers_play_cite_or_say_honestly_not_found(intent, speech, honest):
    got = failures({"intents": [intent]}, answer(intent, speech=speech))
    assert (got == []) is honest, got


def test_an_answer_that_plays_or_cites_is_not_asked_to_apologise():
    assert failures({"intents": ["media.play_music"]}, answer("media.play_music", media=playing(QING_TIAN))) == []
    cited = answer("kb.product_qa", speech="每两周清洗一次", citations=[Citation("air_purifier.zh", "滤网")])
    assert failures({"intents": ["kb.product_qa"]}, cited) == []


def test_honesty_follows_the_expected_intent_even_when_another_was_heard():
    got = failures({"intents": ["media.play_music"]}, answer("out_of_scope", speech="抱歉，这个我还不会"))
    assert any(f.startswith("honesty:") for f in got)


ON = {**BEFORE, "living_room_main_light": {"power": True}}
ALL_ON = {d: {"power": True} for d in BEFORE}


@pytest.mark.parametrize("expect, after, wrong", [
    ({"intents": ["device.query"]}, ON, ["living_room_main_light"]),  # a question that acted
    ({"intents": ["device.query"]}, BEFORE, []),
    ({"intents": ["timer.set"]}, ON, ["living_room_main_light"]),
    ({"intents": ["device.turn_on"], "state": {"living_room_main_light": {"power": True}}}, ON, []),
    ({"intents": ["device.turn_off"], "state": {"living_room_main_light": {"power": True}}}, ALL_ON,
     ["bedroom_light", "kitchen_light"]),  # "all the lights in here" that darkened the house
    ({"intents": ["device.turn_on"], "unchanged": True}, ON, ["living_room_main_light"]),
    ({"intents": ["device.turn_on"]}, ALL_ON, []),  # acts, on what it does not say: not judged
])
def test_wrong_actions_are_the_changes_a_case_did_not_expect(expect, after, wrong):
    assert unexpected_changes(expect, answer(*expect["intents"]), BEFORE, after, HOME) == wrong


def test_the_devices_of_the_scene_that_ran_are_expected():
    before = {"bedside_lamp": {"power": False}, "kitchen_light": {"power": False}}
    after = {"bedside_lamp": {"power": True}, "kitchen_light": {"power": True}}
    ran = answer("scene.activate", scene="sleep")
    assert unexpected_changes({"intents": ["scene.activate"], "state": {}}, ran, before, after, HOME) == ["kitchen_light"]


def test_questions_are_the_cases_that_only_read():
    assert question_case(["device.query"]) and question_case(["timer.query", "media.now_playing"])
    assert not question_case(["device.query", "device.turn_on"]) and not question_case([])


def test_the_summary_reports_the_wrong_action_rate_and_questions_that_acted():
    def result(case_id, intents, wrong=()):
        case = Case(case_id, "t", expect={"intents": intents})
        return CaseResult(case, True, (), answer(*intents), 1.0, tuple(wrong))

    results = [result("a", ["device.query"], ["kitchen_light"]), result("b", ["device.turn_on"], ["bedroom_light"]),
               result("c", ["device.turn_on"]), result("d", ["timer.set"])]
    summary = summarize(results)
    assert (summary["wrong_actions"], summary["wrong_action_rate"], summary["question_acted"]) == (2, 0.5, 1)
    report = list(lines(results))
    assert "WRONG ACTION a 't': changed kitchen_light" in report
    assert report[-1].strip() == "wrong actions: 2/4 cases (rate 50.00%); questions that acted: 1"


def test_honest_unknown_needs_an_honest_answer_without_a_citation():
    honest = Answer("r", "s", "demo", "扫地机器人多少钱", "zh", "living_room_speaker", speech="说明书里没有找到扫地机器人的价格。")
    assert unknown_failures(honest) == []
    invented = Answer("r", "s", "demo", "扫地机器人多少钱", "zh", "living_room_speaker", speech="扫地机器人 1999 元。",
                      citations=(Citation("robot_vacuum.zh", "1 安全注意事项"),))
    assert len(unknown_failures(invented)) == 2
