"""Knowledge: retrieval and answers over the shipped manuals, per search backend.

Questions come from ``bench/knowledge_questions.jsonl`` (written from the manuals, separate from
``tests/cases/knowledge.jsonl``): answerable ones name the manual, the acceptable sections and
the fact variants; unanswerable ones expect an honest "not found" without a citation.

* ``hit@1``/``hit@3``: the right manual and section among the first 1/3 passages retrieved
  (the plan the skill makes, its first search).
* ``fact``: the spoken answer contains a fact variant and cites the right manual; ``fact_cross``
  the same on the cross-language questions only.
* ``dont_know``: unanswerable questions answered honestly, with no citation.
* ``retrieval_ms``: one search (BM25 + kNN + fusion) with the question's vector already made;
  ``embed_ms`` making that vector; ``answer_ms`` the whole skill call.
* ``pickup``: a document added by another knowledge base on the same folder (``kb add`` beside a
  running server): ``unchanged_us`` the check made before every question when nothing changed,
  ``reread_ms`` re-reading the catalog, index and vectors when something did.
* ``index_chunks_per_s``: indexing the shipped manuals into a fresh data folder, once with the
  shipped vectors and once encoding every chunk (embedded backend only: the encoder dominates).

Backends: ``embedded`` (tantivy in a temporary folder) and ``fake-elasticsearch`` — the real
Elasticsearch client over the in-memory fake node of the tests (its latency says nothing about a
real cluster; its quality figures check that both backends answer alike).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.knowledge import KnowledgeBase, KnowledgeSkill
from skills.knowledge.query import plan_query
from skills.sdk import SkillContext
from skills.search.elastic import ElasticBackend
from skills.search.embeddings import shared_encoder
from testkit.fake_elasticsearch import fake_node_class

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "knowledge_questions.jsonl"
RESULTS = HERE / "results"
_HONEST = ("没有找到", "couldn't find")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else 0.0


def _right_section(passage: Any, question: dict) -> bool:
    return passage.doc == question["doc"] and any(passage.section.startswith(s) for s in question["sections"])


async def _measure(base: KnowledgeBase, questions: list[dict], home: Any) -> dict[str, Any]:
    skill = KnowledgeSkill(base)
    hits1 = hits3 = facts = facts_cross = honest = 0
    retrieval, embed, answer_ms, misses = [], [], [], []
    for q in questions:
        ctx = SkillContext(home=home, devices=None, lang=q["lang"], speaker_id="living_room_speaker",  # type: ignore[arg-type]
                           speaker_room="living_room", deadline=time.monotonic() + 5, last_device=q["last_device"])
        plan = plan_query(q["text"], q["lang"], home, base.documents(home.id), last_device=q["last_device"])
        started = time.perf_counter()
        vector = await base.embed_query(plan.question + " ")  # a text not cached yet: the real cost
        embed.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        passages = await base.search(home.id, plan.text, vector, docs=plan.docs, codes=plan.codes, k=8)
        retrieval.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        result = await skill.handle(Intent("kb.product_qa", {"question": q["text"]}, 0.9, IntentSource.RULES,
                                           q["text"]), ctx)
        answer_ms.append((time.perf_counter() - started) * 1000)
        if q["answerable"]:
            ranked = [_right_section(p, q) for p in passages]
            hits1 += any(ranked[:1])
            hits3 += any(ranked[:3])
            ok = any(f in result.speech for f in q["facts"]) and any(c.doc == q["doc"] for c in result.citations)
            facts += ok
            facts_cross += ok and q["cross"]
            if not ok:
                misses.append({"q": q["text"], "speech": result.speech})
        else:
            ok = not result.citations and any(h in result.speech for h in _HONEST)
            honest += ok
            if not ok:
                misses.append({"q": q["text"], "speech": result.speech})
    answerable = [q for q in questions if q["answerable"]]
    cross = [q for q in answerable if q["cross"]]
    unanswerable = len(questions) - len(answerable)
    return {
        "questions": len(questions), "answerable": len(answerable), "cross_language": len(cross),
        "unanswerable": unanswerable,
        "hit@1": round(hits1 / len(answerable), 3), "hit@3": round(hits3 / len(answerable), 3),
        "fact": round(facts / len(answerable), 3), "fact_cross": round(facts_cross / len(cross), 3),
        "dont_know": round(honest / unanswerable, 3),
        "retrieval_ms": {"p50": _pct(retrieval, 0.5), "p95": _pct(retrieval, 0.95)},
        "embed_ms": {"p50": _pct(embed, 0.5), "p95": _pct(embed, 0.95)},
        "answer_ms": {"p50": _pct(answer_ms, 0.5), "p95": _pct(answer_ms, 0.95)},
        "misses": misses,
    }


async def _indexing(folder: Path, vectors: bool) -> dict[str, float]:
    base = KnowledgeBase(folder, **({} if vectors else {"vectors_file": folder / "none.npz"}))
    started = time.perf_counter()
    await base.start()
    seconds = time.perf_counter() - started
    chunks = sum(d.chunks for d in base.documents("demo"))
    await base.close()
    return {"chunks": chunks, "seconds": round(seconds, 2), "chunks_per_s": round(chunks / seconds, 1)}


_PICKUP_DOC = "# 智能电水壶 K2 使用说明书\n\n## 3 清洁与保养\n\n- 水垢建议每 2 个月用柠檬酸清除一次。\n"


async def _pickup(serving: KnowledgeBase, folder: Path, rounds: int = 5) -> dict[str, Any]:
    writer = KnowledgeBase(serving.data_dir)
    await writer.start()
    await serving.refresh()
    unchanged, reread = [], []
    for n in range(rounds):
        started = time.perf_counter()
        await serving.refresh()
        unchanged.append((time.perf_counter() - started) * 1e6)
        path = folder / f"kettle-{n}.md"
        path.write_text(_PICKUP_DOC, encoding="utf-8")
        await writer.add("demo", path)
        started = time.perf_counter()
        await serving.refresh()
        reread.append((time.perf_counter() - started) * 1000)
    await writer.close()
    return {"unchanged_us": {"p50": _pct(unchanged, 0.5), "max": round(max(unchanged), 1)},
            "reread_ms": {"p50": _pct(reread, 0.5), "max": round(max(reread), 1)}}


async def run(*, encode_all: bool = True) -> dict[str, Any]:
    """The figures; ``encode_all`` also times indexing with every chunk encoded (~1 min)."""
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    home = load_demo_home()
    shared_encoder()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results["indexing_shipped_vectors"] = await _indexing(folder / "cached", vectors=True)
        if encode_all:
            results["indexing_encoding_all"] = await _indexing(folder / "encoded", vectors=False)
        embedded = KnowledgeBase(folder / "embedded")
        await embedded.start()
        results["embedded"] = await _measure(embedded, questions, home)
        results["pickup (embedded)"] = await _pickup(embedded, folder)
        await embedded.close()
        fake = KnowledgeBase(folder / "fake-es", backend=ElasticBackend("http://fake-es:9200",
                                                                         node_class=fake_node_class()))
        await fake.start()
        results["fake-elasticsearch (in-memory fake node, not a real cluster)"] = await _measure(fake, questions, home)
        await fake.close()
    return results


if __name__ == "__main__":
    figures = asyncio.run(run())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "knowledge.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, value in figures.items():
        if isinstance(value, dict) and "fact" in value:
            shown = {k: v for k, v in value.items() if k != "misses"}
            print(f"{name}: {json.dumps(shown, ensure_ascii=False)}")
            for miss in value["misses"]:
                print(f"    miss: {miss['q']} -> {miss['speech'][:120]}")
        else:
            print(f"{name}: {value}")
