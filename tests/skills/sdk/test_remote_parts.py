"""The parts of remote skills that need no server (issue 14): a manifest survives the wire, a reply
that cannot be carried out is INVALID_OUTPUT, and a skill's circuit opens after outages and closes
once a trial call succeeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from lingxi.skill.v1 import skill_pb2 as pb

from assistant.app.config import RemoteSkillOptions, load_config
from domain.errors import ErrorCode, LingxiError
from skills.kit.remote_breaker import BreakerState, Circuit, CircuitBreaker
from skills.kit.remote_errors import RemoteFailure, RemoteSkillError
from skills.kit.remote_manifest import manifest_from_proto, manifest_to_proto
from skills.kit.remote_reply import reply_from_bytes
from skills.kit.remote_values import values_from_proto, values_to_proto
from skills.sdk import Awaiting, DeviceCommand, MediaDirective, load_manifest

ROOT = Path(__file__).resolve().parents[3]
MANIFESTS = [ROOT / "examples" / "shopping_list" / "manifest.yaml",
             ROOT / "examples" / "coffee_machine" / "lingxi_coffee" / "manifest.yaml",
             Path(__file__).with_name("rogue") / "manifest.yaml"]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.parent.name)
def test_a_manifest_reads_back_as_it_was_described(path):
    manifest = load_manifest(path)
    wire = pb.Manifest.FromString(manifest_to_proto(manifest).SerializeToString())
    assert manifest_from_proto(wire) == manifest


def test_a_manifest_with_a_slot_of_no_known_type_is_refused():
    wire = manifest_to_proto(load_manifest(MANIFESTS[0]))
    wire.intents[0].slots["item"] = "fruit"
    with pytest.raises(LingxiError) as refused:
        manifest_from_proto(wire)
    assert refused.value.code is ErrorCode.INVALID_ARGUMENT
    assert "fruit" in refused.value.message


def test_slot_values_keep_their_types():
    values = {"cups": 4, "strength": 0.5, "iced": True, "drink": "latte"}
    assert values_from_proto(values_to_proto(values)) == values
    assert type(values_from_proto(values_to_proto({"cups": 4}))["cups"]) is int


def reply(**fields) -> bytes:
    return pb.HandleResponse(**fields).SerializeToString()


def test_a_reply_reads_back():
    data = reply(speech="ok", commands=[pb.DeviceCommand(device_id="plug", changes={"power": pb.Value(flag=True)})],
                 media=pb.Media(id="song-1", kind="song", title="t", state="playing"))
    read = reply_from_bytes(data)
    assert read.speech == "ok"
    assert read.commands == (DeviceCommand("plug", {"power": True}),)
    assert read.media == MediaDirective("song-1", "song", "t")


def test_a_confirmation_question_may_leave_its_words_to_the_assistant():
    data = reply(awaiting=pb.AWAITING_CONFIRMATION,
                 commands=[pb.DeviceCommand(device_id="lock", changes={"lock": pb.Value(text="unlocked")})])
    assert reply_from_bytes(data).awaiting is Awaiting.CONFIRMATION


@pytest.mark.parametrize(("data", "what"), [
    (b"\x0a\xff\xff\xff\xff\x0f", "no HandleResponse"),
    (reply(speech=""), "an empty answer"),
    (reply(speech="ok", commands=[pb.DeviceCommand(device_id="", changes={"power": pb.Value(flag=True)})]), "device command"),
    (reply(speech="ok", commands=[pb.DeviceCommand(device_id="plug")]), "device command"),
    (reply(speech="ok", awaiting=7), "unknown awaiting"),
    (reply(speech="ok", candidates=["lamp"]), "candidates without a question"),
    (reply(speech="ok", media=pb.Media(id="x", state="exploding")), "media"),
    (reply(speech="x" * 3000), "3000 characters"),
])
def test_a_reply_that_cannot_be_carried_out_is_invalid_output(data, what):
    with pytest.raises(RemoteSkillError) as wrong:
        reply_from_bytes(data)
    assert wrong.value.reason is RemoteFailure.INVALID_OUTPUT
    assert wrong.value.code is ErrorCode.INTERNAL
    assert what in wrong.value.message


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_circuit_opens_after_outages_and_closes_after_a_good_trial():
    clock = Clock()
    breaker = CircuitBreaker("acme.shopping", failures_to_open=2, open_s=30.0, clock=clock)
    breaker.failed("UNAVAILABLE: connection refused")
    assert breaker.allows() and breaker.state().circuit is Circuit.CLOSED
    breaker.failed("UNAVAILABLE: connection refused")
    state = breaker.state()
    assert (state.circuit, state.failures, state.open_for_s, state.why) == (
        Circuit.OPEN, 2, 30.0, "UNAVAILABLE: connection refused")
    assert not breaker.allows()
    clock.now += 30.0
    assert breaker.allows()  # the one trial call
    assert breaker.state().circuit is Circuit.HALF_OPEN
    assert not breaker.allows()  # no second call while the trial is out
    breaker.succeeded()
    assert breaker.state() == BreakerState("acme.shopping", Circuit.CLOSED, 0, 0.0, "")
    assert breaker.allows()


def test_a_failed_trial_opens_the_circuit_again_and_an_abandoned_one_lets_the_next_call_try():
    clock = Clock()
    breaker = CircuitBreaker("acme.rogue", failures_to_open=1, open_s=10.0, clock=clock)
    breaker.failed("DEADLINE_EXCEEDED")
    clock.now += 10.0
    assert breaker.allows()
    breaker.failed("DEADLINE_EXCEEDED")
    assert breaker.state().circuit is Circuit.OPEN and not breaker.allows()
    clock.now += 10.0
    assert breaker.allows()
    breaker.abandoned()  # the request went away before an outcome
    assert breaker.allows()


def test_remote_skills_are_configured_in_yaml_or_the_environment(tmp_path):
    path = tmp_path / "lingxi.yaml"
    path.write_text("skills:\n  remote:\n    - {name: acme.shopping, address: '127.0.0.1:50070', circuit_open_s: 5}\n",
                    encoding="utf-8")
    assert load_config(path, {}).skills.remote == (RemoteSkillOptions("acme.shopping", "127.0.0.1:50070", circuit_open_s=5.0),)
    from_env = load_config(None, {"LINGXI_SKILLS_REMOTE": "acme.shopping=127.0.0.1:50070,acme.rogue=10.0.0.2:7"})
    assert [(r.name, r.address) for r in from_env.skills.remote] == [("acme.shopping", "127.0.0.1:50070"), ("acme.rogue", "10.0.0.2:7")]
    path.write_text("skills:\n  remote: [acme.shopping]\n", encoding="utf-8")
    with pytest.raises(LingxiError) as refused:
        load_config(path, {})
    assert refused.value.code is ErrorCode.INVALID_ARGUMENT and "skills.remote" in refused.value.message
