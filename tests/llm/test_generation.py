"""gen.write / gen.chat through real LLM tiers (llama_cpp.server with the packaged SmolLM2), streamed."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator

import pytest

from domain.errors import LlmError, LlmErrorCode
from domain.home import load_demo_home
from intents.llm.backends import BackendSpec, OpenAiBackend
from intents.types import Intent, IntentSource
from skills.generation import GenerationSkill, TextTier
from skills.generation.speech_filter import blocked_word, speakable
from skills.sdk import SkillContext

from .conftest import LlamaServer


def context(partials: list[str], budget_s: float = 60.0, lang: str = "en", room: str = "living_room", home=None) -> SkillContext:
    return SkillContext(home or load_demo_home(), None, lang, "living_room_speaker", room,  # type: ignore[arg-type]
                        time.monotonic() + budget_s, partial=partials.append)


def write(text: str, form: str = "poem", topic: str = "autumn") -> Intent:
    return Intent("gen.write", {"form": form, "topic": topic}, 0.95, IntentSource.RULES, text)


class FakeStreamingBackend:
    """Streams scripted pieces, as a model would, then stops; or fails with an LlmError."""

    def __init__(self, name: str, pieces: tuple[str, ...] = (), fail: LlmErrorCode | None = None) -> None:
        self.name = name
        self._pieces = pieces
        self._fail = fail

    async def stream(self, messages, max_tokens: int, timeout_s: float) -> AsyncIterator[str]:
        if self._fail is not None:
            raise LlmError(self._fail, "scripted failure")
        for piece in self._pieces:
            yield piece


async def test_a_poem_streams_its_first_words_before_the_whole_text(llama_server: LlamaServer):
    backend = OpenAiBackend("cloud", BackendSpec("openai", url=llama_server.url, timeout_s=60.0))
    partials: list[str] = []
    try:
        result = await GenerationSkill([TextTier("cloud", backend, True)]).handle(
            write("write a poem about autumn"), context(partials))
    finally:
        await backend.close()
    assert result.speech and "can't reach" not in result.speech
    assert len(partials) >= 2 and len(partials[0]) < len(result.speech)
    assert result.route_note == "generation: written by the cloud LLM"


async def test_no_reachable_tier_answers_honestly():
    dead = OpenAiBackend("cloud", BackendSpec("openai", url="http://127.0.0.1:9/v1", timeout_s=5.0))
    try:
        result = await GenerationSkill([TextTier("cloud", dead, True)]).handle(write("写一首关于秋天的诗"), context([], 3.0, "zh"))
    finally:
        await dead.close()
    assert "连不上" in result.speech
    assert "cloud unavailable" in result.route_note


async def test_a_local_only_home_never_uses_the_cloud_tier():
    home = dataclasses.replace(load_demo_home(), privacy="local_only")
    tiers = [TextTier("cloud", FakeStreamingBackend("cloud", ("from the cloud",)), True),
             TextTier("edge", FakeStreamingBackend("edge", ("Leaves fall softly.",)), False)]
    result = await GenerationSkill(tiers).handle(write("write a poem about autumn"), context([], home=home))
    assert result.speech == "Leaves fall softly." and result.route_note == "generation: written by the edge LLM"


async def test_a_failing_tier_hands_over_to_the_next():
    tiers = [TextTier("cloud", FakeStreamingBackend("cloud", fail=LlmErrorCode.TIMEOUT), True),
             TextTier("edge", FakeStreamingBackend("edge", ("Hello ", "there!")), False)]
    result = await GenerationSkill(tiers).handle(Intent("gen.chat", {}, 0.9, IntentSource.RULES, "hi"), context([]))
    assert result.speech == "Hello there!"


@pytest.mark.parametrize(("pieces", "room"), [(("Once upon a time ", "there was a bomb."), "living_room"),
                                              (("The ghost ", "came out."), "kids_room")])
async def test_text_the_filter_stops_is_never_spoken(pieces, room):
    tier = TextTier("edge", FakeStreamingBackend("edge", pieces), False)
    partials: list[str] = []
    result = await GenerationSkill([tier]).handle(write("tell me a story", "story", ""), context(partials, room=room))
    assert "rather not" in result.speech and not any(w in " ".join(partials) for w in ("bomb", "ghost"))


def test_a_harmful_request_is_refused_without_asking_a_model():
    assert blocked_word("写一个关于毒品的故事", for_kids=False) == "毒品"
    assert blocked_word("a story about a skilled killer", for_kids=False) is None  # whole words only
    assert blocked_word("a story about a ghost", for_kids=True) == "ghost"


def test_speakable_text_drops_markup_and_ends_on_a_sentence():
    assert speakable("**Autumn**\n\n# Leaves", 100) == "Autumn Leaves"
    assert speakable("第一句。第二句很长很长很长。", 9) == "第一句。"


async def test_a_general_question_is_answered_by_a_tier_or_honestly_offline():
    question = Intent("kb.general_qa", {"question": "who wrote Hamlet"}, 0.9, IntentSource.EDGE_MODEL, "who wrote Hamlet")
    answered = await GenerationSkill([TextTier("edge", FakeStreamingBackend("edge", ("Shakespeare wrote it.",)), False)]).handle(
        question, context([]))
    assert answered.speech == "Shakespeare wrote it."
    offline = await GenerationSkill([]).handle(question, context([]))
    assert "don't know" in offline.speech and "no LLM tier configured" in offline.route_note
