"""The benchmark's figures (``make bench`` → bench/results/latest.json) as inline SVG charts.

The results file grows as benchmarks are added, so the charts read it by shape, not by name:
every summary with percentiles (``p50_ms``, ``p95_ms``, ``p99_ms``) is a latency row of its
section's chart, and every rate (a ``…_pct`` number, or an ``ok/n`` string) a row of the
success chart. No script and no chart library: the server draws them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from domain.errors import invalid_argument

PERCENTILES = ("p50_ms", "p95_ms", "p99_ms")
COLOURS = {"p50_ms": "#3b82f6", "p95_ms": "#f59e0b", "p99_ms": "#ef4444", "rate": "#10b981"}
_FRACTION = re.compile(r"^(\d+)/(\d+)$")

LABEL_W, BAR_W, ROW_H, BAR_H = 280, 360, 34, 9
#: Longer labels keep their end (the most specific part of the path).
LABEL_CHARS = 44


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))


def latency_rows(section: Any) -> list[tuple[str, dict[str, float]]]:
    """(label, {percentile: ms}) for every summary with percentiles in one section of the results."""
    rows = []
    for path, node in _walk(section, ()):
        if isinstance(node, Mapping) and isinstance(node.get("p50_ms"), int | float):
            values = {p: float(node[p]) for p in PERCENTILES if isinstance(node.get(p), int | float)}
            rows.append((" / ".join(path) or "all", values))
    return rows


def rate_rows(results: Mapping[str, Any]) -> list[tuple[str, float, str]]:
    """(label, percent, as written) for every rate in the results."""
    rows = []
    for path, node in _walk(results, ()):
        if not path or path[0] == "meta":
            continue
        if path[-1].endswith("_pct") and isinstance(node, int | float) and not isinstance(node, bool):
            rows.append((" / ".join(path), float(node), f"{node:g} %"))
        elif isinstance(node, str) and (match := _FRACTION.match(node)) and int(match[2]):
            rows.append((" / ".join(path), 100 * int(match[1]) / int(match[2]), node))
    return rows


def _svg(rows: list[tuple[str, list[tuple[str, float, str]]]], scale: float, legend: tuple[str, ...]) -> str:
    """Horizontal bars: one row per label, one bar per (series, value, text) in it."""
    height = 24 + ROW_H * len(rows)
    width = LABEL_W + BAR_W + 90
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" class="chart">']
    for i, series in enumerate(legend):
        x = LABEL_W + i * 90
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{COLOURS[series]}"/>'
                     f'<text x="{x + 14}" y="13" class="legend">{escape(series.removesuffix("_ms"))}</text>')
    for r, (label, bars) in enumerate(rows):
        top = 24 + r * ROW_H
        shown = label if len(label) <= LABEL_CHARS else "…" + label[-LABEL_CHARS + 1 :]
        parts.append(f'<text x="{LABEL_W - 8}" y="{top + ROW_H / 2 + 3}" text-anchor="end" class="label">{escape(shown)}</text>')
        for b, (series, value, text) in enumerate(bars):
            y = top + 3 + b * (BAR_H + 1) + (ROW_H - 6 - len(bars) * (BAR_H + 1)) / 2
            w = max(1.0, BAR_W * value / scale) if scale else 1.0
            parts.append(f'<rect x="{LABEL_W}" y="{y:.1f}" width="{w:.1f}" height="{BAR_H}" fill="{COLOURS[series]}">'
                         f'<title>{escape(label)} {escape(series)}: {escape(text)}</title></rect>'
                         f'<text x="{LABEL_W + w + 4:.1f}" y="{y + BAR_H - 1:.1f}" class="value">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts(results: Mapping[str, Any]) -> list[Chart]:
    """A latency chart per section that has percentiles, then one chart of every success rate."""
    found = []
    for section, figures in results.items():
        rows = latency_rows(figures) if section != "meta" else []
        if not rows:
            continue
        scale = max(v for _, values in rows for v in values.values())
        legend = tuple(p for p in PERCENTILES if any(p in values for _, values in rows))
        drawn = [(label, [(p, values[p], f"{values[p]:g} ms") for p in PERCENTILES if p in values]) for label, values in rows]
        found.append(Chart(f"{section}: latency (ms)", _svg(drawn, scale, legend)))
    rates = rate_rows(results)
    if rates:
        found.append(Chart("success rates (%)", _svg([(label, [("rate", pct, text)]) for label, pct, text in rates], 100.0, ("rate",))))
    return found


def load_results(path: Path) -> dict[str, Any] | None:
    """The results file, or ``None`` when there is none yet (no ``make bench`` run on this checkout)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise invalid_argument(f"cannot read the benchmark results {path}: {err}") from err
    if not isinstance(data, dict):
        raise invalid_argument(f"the benchmark results {path} do not hold a JSON object")
    return data
