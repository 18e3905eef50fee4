"""Understanding and answers end to end on the case files: the project's, and the held-out ones.

``tests/cases/*.jsonl`` were written beside the code (they pass by construction, and gate
``make test``); ``tests/cases/gaps/`` holds the known misses taken out of them until they pass;
``tests/cases/blind/*.jsonl`` were written from the spec, the manuals and the
catalogue by someone who had not read the code, and are measured here, never tuned on. For each
file: cases passed, intent accuracy (the case's intents, in order), the wrong-action rate (a
device changed that the case did not expect) and questions that acted; written to
bench/results/cases.json.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

from assistant.app.config import Config
from assistant.app.runtime import Runtime
from assistant.evaluation.cases import parse_cases
from assistant.evaluation.runner import CaseResult, Evaluator, summarize

CASES = Path(__file__).resolve().parents[1] / "tests" / "cases"
RESULTS = Path(__file__).resolve().parent / "results"


def _figures(results: list[CaseResult]) -> dict[str, Any]:
    summary = summarize(results)
    intents_right = sum(not any(f.startswith("intents:") for f in r.failures) for r in results)
    return {
        "cases": summary["cases"],
        "passed": summary["passed"],
        "pass_rate": round(summary["passed"] / summary["cases"], 4) if results else 0.0,
        "intent_accuracy": round(intents_right / len(results), 4) if results else 0.0,
        "wrong_action_rate": summary["wrong_action_rate"],
        "question_acted": summary["question_acted"],
        "latency_ms": summary["latency_ms"],
    }


async def _run_file(path: Path) -> dict[str, Any]:
    async with Runtime(Config()) as runtime:
        results = await Evaluator(runtime, runtime.homes[0]).run(parse_cases(path))
    return _figures(results)


async def run() -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for group, folder in (("project", CASES), ("gaps", CASES / "gaps"), ("blind", CASES / "blind")):
        for path in sorted(folder.glob("*.jsonl")):
            figures[f"{group}/{path.stem}"] = await _run_file(path)
    return figures


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    figures = asyncio.run(run())
    for name, row in figures.items():
        print(f"{name:>28}  {row['passed']}/{row['cases']} passed  intents {row['intent_accuracy']:.1%}  "
              f"wrong actions {row['wrong_action_rate']:.2%}  questions acted {row['question_acted']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cases.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
