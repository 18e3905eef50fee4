"""The soak test's figures: errors by code, latency per minute, recovery after each fault, memory growth."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from typing import Any

from bench.soak_checks import GENERATION, PROBE, TRACKED, Verdict, base_id, written
from bench.soak_faults import Fault, FaultKind
from bench.soak_ledger import OK, Ledger
from bench.stats import summary

#: Memory is compared from this long after a service process has answered a turn of every way (Ask, Converse
#: text, Converse audio: the recogniser, the models and the catalogue are loaded by then, some lazily, some in
#: the background), over at least MIN_MEASURED_S.
WARM_S = 30.0
MIN_MEASURED_S = 60.0
WAYS = ("ask", "converse", "audio")


def errors_by_code(ledger: Ledger) -> dict[str, int]:
    """Turn errors by code, and device actions that were not done by status (``action:timeout``...)."""
    codes = Counter(t.code for t in ledger.turns if t.code != OK and t.purpose != PROBE)
    codes.update(f"action:{a.status}" + ("" if a.device else f" ({a.detail}: {a.command})")
                 for t in ledger.turns if t.answer for a in t.answer.actions if a.status not in ("done", "needs_confirmation"))
    return dict(codes.most_common())


def latency_per_minute(ledger: Ledger) -> list[dict[str, Any]]:
    """p50/p95 of answered turns per minute of the run, text (Ask and Converse) and audio apart."""
    minutes: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for turn in ledger.turns:
        if turn.code == OK:
            minutes[int(turn.sent // 60)]["audio" if turn.way == "audio" else "text"].append(turn.latency_s * 1000)
    rows = []
    for minute in sorted(minutes):
        row: dict[str, Any] = {"minute": minute}
        for way, samples in sorted(minutes[minute].items()):
            figures = summary(samples)
            row[way] = {k: figures[k] for k in ("n", "p50_ms", "p95_ms")}
        rows.append(row)
    return rows


def recoveries(ledger: Ledger, faults: list[Fault]) -> list[dict[str, Any]]:
    """For each fault, the seconds from its end to the first device command confirmed after it; for the LLM's,
    to the sending of the first request it wrote an answer to (how long it then writes is the model's speed)."""
    confirmed = sorted(t.received for t, a in ledger.confirmed() if base_id(a.device) in TRACKED)
    wrote = sorted((t.received, t.sent) for t in ledger.turns if t.purpose == GENERATION and written(t))
    rows = []
    for fault in faults:
        if fault.kind is FaultKind.LLM:
            first = next((sent for received, sent in wrote if received > fault.end), None)
            after = None if first is None else max(first, fault.end)
        else:
            after = next((at for at in confirmed if at > fault.end), None)
        rows.append({"kind": fault.kind.value, "start_s": round(fault.start, 1), "end_s": round(fault.end, 1),
                     "detail": fault.detail, "recovery_s": round(after - fault.end, 2) if after is not None else None})
    return rows


def warmed(ledger: Ledger, born: float, died: float) -> float | None:
    """When the process alive from ``born`` to ``died`` had answered a turn of every way (``None``: it never did)."""
    firsts = [min((t.received for t in ledger.turns if t.way == way and t.code == OK and born <= t.received <= died),
                  default=None) for way in WAYS]
    return None if None in firsts else max(f for f in firsts if f is not None)


def memory(ledger: Ledger) -> dict[str, Any]:
    """RSS of each service process from ``WARM_S`` after it was :func:`warmed` to its last sample; the growth of
    the one measured longest (``None`` when none was measured ``MIN_MEASURED_S``)."""
    by_pid: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for at, pid, kb in ledger.rss:
        if kb:
            by_pid[pid].append((at, kb))
    processes: list[dict[str, Any]] = []
    for pid, samples in by_pid.items():
        first, end = samples[0], samples[-1]
        ready = warmed(ledger, first[0], end[0])
        start = next((s for s in samples if ready is not None and s[0] >= ready + WARM_S), end)
        processes.append({"pid": pid, "lifetime_s": round(end[0] - first[0], 1), "first_kb": first[1],
                          "warm_at_s": None if ready is None else round(ready - first[0], 1), "start_kb": start[1],
                          "end_kb": end[1], "peak_kb": max(kb for _, kb in samples),
                          "measured_s": round(end[0] - start[0], 1),
                          "growth_pct": round(100.0 * (end[1] - start[1]) / start[1], 2),
                          "per_minute_kb": list({int((at - first[0]) // 60): kb for at, kb in samples}.values())})
    longest = max(processes, key=lambda p: p["measured_s"], default=None)
    usable = longest is not None and longest["measured_s"] >= MIN_MEASURED_S
    return {"processes": processes, "growth_pct": longest["growth_pct"] if longest is not None and usable else None}


def report(ledger: Ledger, faults: list[Fault], verdict: Verdict, options: dict[str, Any], seconds: float,
           service_errors: list[str]) -> dict[str, Any]:
    answered = [t for t in ledger.turns if t.code == OK]
    recovered = recoveries(ledger, faults)
    worst: dict[str, float | None] = {}
    for row in recovered:
        previous = worst.get(row["kind"], 0.0)
        worst[row["kind"]] = None if row["recovery_s"] is None or previous is None else max(previous, row["recovery_s"])
    return {
        "options": options,
        "seconds": round(seconds, 1),
        "requests": len(ledger.turns),
        "answered": len(answered),
        "by_way": dict(Counter(t.way for t in ledger.turns)),
        "errors_by_code": errors_by_code(ledger),
        "probes": dict(Counter(t.code for t in ledger.turns if t.purpose == PROBE)),
        "latency_per_minute": latency_per_minute(ledger),
        "generation_latency": summary([t.latency_s * 1000 for t in answered if t.purpose == GENERATION and written(t)]),
        "faults": recovered,
        "worst_recovery_s": worst,
        "memory": memory(ledger),
        "stream_openings": len({(h.speaker, h.stream) for h in ledger.heard}),
        "observer_gaps": [(round(a, 1), round(b, 1)) for a, b in ledger.observer_gaps],
        "invariants": dataclasses.asdict(verdict),
        "service_errors": service_errors,
    }


def lines(figures: dict[str, Any]) -> list[str]:
    """The figures for a person."""
    inv = figures["invariants"]
    timers, gen = inv["timers"], inv["generation"]
    out = [
        f"soak: {figures['seconds']} s, {figures['requests']} requests ({figures['by_way']}), {figures['answered']} answered",
        f"errors by code: {figures['errors_by_code']}; another home's session sent: {figures['probes']}",
        "latency per minute (ms):",
        *(f"  {row['minute']:>3}: " + "  ".join(f"{way} n={v['n']} p50={v['p50_ms']:.0f} p95={v['p95_ms']:.0f}"
                                              for way, v in row.items() if way != "minute")
          for row in figures["latency_per_minute"]),
        "faults (recovery = first confirmed device command after the fault ended):",
        *(f"  {f['kind']:<8} {f['start_s']:>6.1f}-{f['end_s']:<6.1f} {f['detail']}: recovery {f['recovery_s']} s"
          for f in figures["faults"]),
        f"memory: {figures['memory']}",
        f"confirmed changes {inv['confirmed_changes']}: lost {len(inv['lost'])}, duplicated {len(inv['duplicated'])}, "
        f"unobserved {len(inv['unobserved'])}, never asked {len(inv['phantom'])}, final state wrong {len(inv['final_mismatch'])}",
        f"unsafe actions {len(inv['unsafe'])}, cross-home leaks {len(inv['leaks'])}",
        f"timers: set {timers['set']}, fired once {timers['fired_once']}, duplicated {timers['duplicated']}, "
        f"lost {timers['lost']}, lost across a service restart {timers['lost_across_restart']}",
        f"LLM text: asked {gen['asked']}, written {gen['written']}, honest offline answers {gen['offline_in_outage']} "
        f"in an LLM outage and {gen['offline_while_up']} outside one, dishonest {len(gen['dishonest'])}; written in "
        f"p50 {figures['generation_latency'].get('p50_ms', 0):.0f} ms, p95 {figures['generation_latency'].get('p95_ms', 0):.0f} ms",
    ]
    for key in ("lost", "duplicated", "unobserved", "phantom", "final_mismatch", "unsafe", "leaks"):
        out += [f"  {key}: {line}" for line in inv[key][:10]]
    out += [f"  timer: {line}" for line in timers["details"][:10]]
    out += [f"  LLM text: {line}" for line in gen["dishonest"][:10]]
    out += [f"  service log: {line}" for line in figures["service_errors"][:20]]
    return out
