"""The context's helpers without a runtime: set_timer with no timer seam is a clear SkillError, a
confirmation needs something to confirm, and a manifest's ``provides`` is checked."""

from __future__ import annotations

import time

import pytest

from domain.errors import ErrorCode, LingxiError
from domain.home import load_demo_home
from skills.kit.manifest import manifest_from_dict
from skills.sdk import Awaiting, MediaDirective, ProvidedItem, SkillContext, SkillError


def _ctx() -> SkillContext:
    return SkillContext(load_demo_home(), None, "en", "living_room_speaker", "living_room", time.monotonic() + 5)  # type: ignore[arg-type]


async def test_set_timer_without_the_runtime_is_a_skill_error():
    with pytest.raises(SkillError) as raised:
        await _ctx().set_timer(60, "tea")
    assert raised.value.code is ErrorCode.UNIMPLEMENTED
    assert "set_timer" in raised.value.message


def test_a_confirmation_needs_a_pending_action():
    with pytest.raises(LingxiError) as raised:
        _ctx().confirm("好吗？", "Okay?", [])
    assert raised.value.code is ErrorCode.INVALID_ARGUMENT


def test_ask_awaits_a_clarification_in_the_request_language():
    result = _ctx().ask("哪一个？", "Which one?")
    assert (result.speech, result.awaiting) == ("Which one?", Awaiting.CLARIFICATION)


def test_a_provided_score_is_between_0_and_1():
    with pytest.raises(LingxiError):
        ProvidedItem(MediaDirective("x", "radio", "X"), 1.5)


def test_provides_names_known_content_only():
    manifest = manifest_from_dict({"name": "acme.radio", "provides": ["radio", "music"]})
    assert manifest.provides == ("radio", "music")
    with pytest.raises(ValueError, match="weather"):
        manifest_from_dict({"name": "acme.radio", "provides": ["weather"]})
