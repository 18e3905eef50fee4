"""One threshold, set in config (``llm.usable``), decides when a local reading asks for the fallback."""

from __future__ import annotations

from dataclasses import replace

from assistant.app.config import Config
from assistant.app.runtime import Runtime
from domain.home import load_demo_home
from intents import USABLE_CONFIDENCE, RuleUnderstander, Understander, UnderstandingContext


def test_config_default_is_the_understanders_default():
    assert Config().llm.usable == USABLE_CONFIDENCE == RuleUnderstander().usable == Understander().usable


def test_a_stricter_usable_sends_a_sure_command_to_the_fallback(vocab):
    ctx = UnderstandingContext()
    for text in ("打开客厅的灯", "set a timer for five minutes"):
        default = Understander().understand(text, ctx, vocab)
        assert not default.needs_fallback, text
        least = min(i.confidence for i in default.intents)
        strict = Understander(usable=least + 0.01).understand(text, ctx, vocab)
        assert strict.needs_fallback and strict.intents == default.intents, text
        assert not Understander(usable=least).understand(text, ctx, vocab).needs_fallback, text


def test_the_runtime_understands_with_the_configured_usable(tmp_path):
    config = Config()
    config = replace(config, llm=replace(config.llm, usable=0.999), data_dir=str(tmp_path))
    runtime = Runtime(config)
    understanding = runtime.understanding.understand("打开客厅的灯", load_demo_home(), (), UnderstandingContext())
    assert [i.name for i in understanding.intents] == ["device.turn_on"] and understanding.needs_fallback
