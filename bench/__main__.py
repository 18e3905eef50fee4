"""``make bench``: run the benchmarks, print the figures, write them to bench/results/."""

from __future__ import annotations

import asyncio
import json
import logging
import platform
import time
from pathlib import Path

from bench import budget, cases, content, edge, foundation, knowledge, overload, skills_reload, skills_remote, voice

RESULTS = Path(__file__).resolve().parent / "results"


def _print(name: str, figures: dict) -> None:
    keys = ("n", "p50_ms", "p95_ms", "p99_ms", "throughput_per_s", "errors")
    print(f"{name:>18}  " + "  ".join(f"{k}={figures[k]}" for k in keys if k in figures))


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    started = time.time()
    results = {
        "foundation": asyncio.run(foundation.run()),
        "voice": asyncio.run(voice.run()),
        "budget": asyncio.run(budget.run()),
        "knowledge": asyncio.run(knowledge.run()),
        "content": asyncio.run(content.run()),
        "edge": asyncio.run(edge.run()),
        "cases": asyncio.run(cases.run()),
        "overload": asyncio.run(overload.run()),
        "skills_remote": asyncio.run(skills_remote.run()),  # also bench/results/skills_remote.json
        "skills_reload": asyncio.run(skills_reload.run()),  # also bench/results/skills_reload.json
    }
    meta = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": platform.machine(), "python": platform.python_version(),
            "seconds": round(time.time() - started, 1)}
    print("foundation: text command latency (ask -> device state confirmed) and gRPC throughput")
    for name, figures in results["foundation"].items():
        _print(name, figures)
    print("voice: synthesised commands streamed in real time (eos = end of speech)")
    for name, figures in results["voice"].items():
        if isinstance(figures, dict) and "n" in figures:
            _print(name, figures)
        else:
            print(f"{name:>18}  {figures}")
    print("budget: answers inside the deadline whatever the cloud LLM does; hard cases with and without it")
    print(json.dumps(results["budget"], indent=1, ensure_ascii=False))
    print("knowledge: retrieval and answers over the shipped manuals, per search backend")
    print(json.dumps(results["knowledge"], indent=1, ensure_ascii=False))
    print("content: catalogue search and recommendation, at 2.5 k and 100 k items")
    print(json.dumps(results["content"], indent=1, ensure_ascii=False))
    print("edge: forwarding overhead (edge -> cloud vs cloud directly) and, per upstream condition, share forwarded and within deadline")
    print(json.dumps(results["edge"], indent=1, ensure_ascii=False))
    print("case files end to end (project: written beside the code; blind: held out), wrong actions")
    for name, row in results["cases"].items():
        print(f"{name:>28}  {row['passed']}/{row['cases']}  intents {row['intent_accuracy']:.1%}  "
              f"wrong actions {row['wrong_action_rate']:.2%}  questions acted {row['question_acted']}")
    print(overload.report(results["overload"]))
    overload.write(results["overload"])
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"meta": meta, **results}, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "latest.json").write_text(path.read_text())
    print(f"written to {path.relative_to(RESULTS.parent.parent)} and bench/results/latest.json")


if __name__ == "__main__":
    main()
