"""The soak test in short (~80 s): two homes' traffic against ``assistant serve`` while the broker restarts, Redis
stalls and the service restarts, once each; every promise made to a user is kept.

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
    figures = await soak(SoakOptions(seconds=60.0, seed=7, faults=FaultOptions(every_s=15.0, service_every=3)), tmp_path)
    inv = figures["invariants"]
    summary = {k: figures[k] for k in ("requests", "errors_by_code", "faults")}
    assert [f["kind"] for f in figures["faults"]] == ["broker", "redis", "service"], summary
    assert inv["confirmed_changes"] >= 30, summary  # the run did something worth checking
    assert (inv["lost"], inv["duplicated"], inv["phantom"], inv["final_mismatch"]) == ([], [], [], []), summary
    assert inv["unsafe"] == []
    assert inv["leaks"] == []
    timers = inv["timers"]
    assert timers["fired_once"] > 0 and (timers["duplicated"], timers["lost"]) == (0, 0), timers
    assert timers["lost_across_restart"] == 0, timers["details"]  # the store keeps them (Redis here)
    assert figures["by_way"].get("audio", 0) > 0, summary
    for fault in figures["faults"]:
        assert fault["recovery_s"] is not None, fault  # recovered; how fast is a figure of make soak
