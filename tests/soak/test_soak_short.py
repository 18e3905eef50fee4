"""The soak test in short (~2 min): two homes' traffic against ``assistant serve`` while the broker restarts, Redis
stalls, the service and the LLM endpoint (a real llama_cpp.server) restart, once each; every promise made to a user
is kept, and a request for LLM-written text is answered honestly while the LLM is down and written again after.

No latency is asserted (a busy machine is slow, not wrong); recovery after each fault is bounded far above what it
takes here (under a second with two cores to spare) and the bar of ``make soak`` (5 s).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import SoakOptions, soak
from bench.soak_faults import FaultOptions

pytestmark = pytest.mark.integration

async def test_a_short_soak_keeps_every_promise(tmp_path: Path) -> None:
    figures = await soak(SoakOptions(seconds=70.0, seed=7, faults=FaultOptions(every_s=15.0, service_every=3)), tmp_path)
    inv = figures["invariants"]
    summary = {k: figures[k] for k in ("requests", "errors_by_code", "faults")}
    assert [f["kind"] for f in figures["faults"]] == ["llm", "broker", "service", "redis"], summary
    assert inv["confirmed_changes"] >= 30, summary  # the run did something worth checking
    assert (inv["lost"], inv["duplicated"], inv["phantom"], inv["final_mismatch"]) == ([], [], [], []), summary
    assert inv["unsafe"] == []
    assert inv["leaks"] == []
    timers = inv["timers"]
    assert timers["fired_once"] > 0 and (timers["duplicated"], timers["lost"]) == (0, 0), timers
    assert timers["lost_across_restart"] == 0, timers["details"]  # the store keeps them (Redis here)
    assert figures["by_way"].get("audio", 0) > 0, summary
    generation = inv["generation"]
    assert generation["dishonest"] == [], generation  # an answer, written or saying the LLM is out of reach
    assert generation["offline_in_outage"] > 0, generation  # the writer asked while it was down (pauses < outage)
    assert generation["written"] > 0, generation
    for fault in figures["faults"]:
        assert fault["recovery_s"] is not None, fault  # recovered; how fast is a figure of make soak
