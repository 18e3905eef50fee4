from datetime import datetime

import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.api.convert import (
    answer_from_proto,
    answer_to_json,
    answer_to_proto,
    parse_clock,
    request_from_proto,
    request_to_proto,
)
from assistant.pipeline.messages import Answer, Request, Route, Tier
from domain.errors import LingxiError
from intents.types import Intent, IntentSource
from skills.sdk import ActionReport, ActionStatus, Awaiting, Citation, MediaDirective

ANSWER = Answer(
    request_id="r1",
    session_id="s1",
    home_id="demo",
    text="把空调调到二十六度",
    lang="zh",
    speaker="living_room_speaker",
    intents=(
        Intent(
            "device.set",
            {"device": "living_room_ac", "attribute": "temperature", "value": 26, "unit": "°C"},
            0.95,
            IntentSource.RULES,
            "把空调调到二十六度",
        ),
        Intent("device.set", {"attribute": "brightness", "value": 30.5, "on": True}, 0.5, IntentSource.EDGE_MODEL, ""),
    ),
    actions=(ActionReport("living_room_ac", "set", {"temperature": 26, "power": True}, ActionStatus.DONE, ""),
             ActionReport("front_door_lock", "set", {"lock": "unlocked"}, ActionStatus.NEEDS_CONFIRMATION, "risky")),
    speech="好的，客厅空调温度已调到26度",
    awaiting=Awaiting.CONFIRMATION,
    route=Route(Tier.EDGE, "rules confidence 0.95 >= 0.80"),
    timings_ms={"asr": 0.0, "nlu": 0.4, "total": 3.2},
    transcript=None,
)


def test_answer_round_trips_through_protobuf_keeping_value_types():
    again = answer_from_proto(pb.Answer.FromString(answer_to_proto(ANSWER).SerializeToString()))
    assert again == ANSWER
    assert isinstance(again.intents[0].slots["value"], int)
    assert isinstance(again.intents[1].slots["on"], bool)


def test_media_and_citations_round_trip():
    played = Answer(**{
        **ANSWER.__dict__,
        "media": MediaDirective("album-jay", "album", "Jay", ("周杰伦",), ("song-a", "song-b"), None, "playing", "tv", 12.5),
        "citations": (Citation("robot_vacuum.zh", "7 故障代码"), Citation("tv.en", "Picture > HDR")),
    })
    assert answer_from_proto(pb.Answer.FromString(answer_to_proto(played).SerializeToString())) == played
    data = answer_to_json(played)
    assert data["media"]["id"] == "album-jay" and data["media"]["queue"] == ["song-a", "song-b"]
    assert data["citations"][0] == {"doc": "robot_vacuum.zh", "section": "7 故障代码"}


def test_transcript_survives_when_present():
    with_transcript = Answer(**{**ANSWER.__dict__, "transcript": "打开客厅的灯"})
    assert answer_from_proto(answer_to_proto(with_transcript)).transcript == "打开客厅的灯"


def test_request_round_trips():
    request = Request("打开客厅的灯", "bedroom_speaker", "r9", "s9", "zh", datetime.fromisoformat("2026-12-01T20:00:00+08:00"))
    assert request_from_proto(request_to_proto(request), "living_room_speaker", None) == request


def test_empty_fields_take_defaults():
    request = request_from_proto(pb.AskRequest(text="hi"), "living_room_speaker", None)
    assert request.speaker_id == "living_room_speaker"
    assert request.request_id and request.lang is None and request.now is None


def test_json_answer_has_the_spec_fields():
    data = answer_to_json(ANSWER)
    assert list(data) == [
        "request_id", "session_id", "input", "transcript", "intents", "actions", "speech", "awaiting", "route", "timings_ms",
        "media", "citations",
    ]
    assert data["input"] == {"text": "把空调调到二十六度", "lang": "zh", "speaker": "living_room_speaker"}
    assert data["intents"][0]["source"] == "rules"
    assert data["actions"][1]["status"] == "needs_confirmation"


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01"])
def test_bad_client_clock_is_an_invalid_argument(bad):
    with pytest.raises(LingxiError, match="not ISO 8601"):
        parse_clock(bad)


def test_unsupported_language_is_rejected():
    with pytest.raises(LingxiError, match="lang 'fr' is not supported"):
        request_from_proto(pb.AskRequest(text="bonjour", lang="fr"), "living_room_speaker", None)
