"""The quality page's evaluation: a case file run end to end, as ``assistant eval`` runs it.

Evaluation resets the simulated home between cases, so it never runs on the live home: each run
gets a private runtime of its own (an embedded broker on a free port, the virtual devices, a
temporary data folder) built from the service's configuration, and is stopped afterwards. One
run at a time; the page hears of its start and its end through the feed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from assistant.app.config import Config, RedisOptions
from assistant.app.runtime import Runtime
from assistant.evaluation.cases import parse_cases
from assistant.evaluation.runner import CaseResult, Evaluator, summarize
from domain.errors import ErrorCode, LingxiError

_LOGGER = logging.getLogger(__name__)


class RunState(StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class EvalReport:
    """The latest run: its case file, state, results (when done) and their summary, or why it failed."""

    file: str = ""
    state: RunState = RunState.IDLE
    started: float = 0.0
    seconds: float = 0.0
    results: tuple[CaseResult, ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    @property
    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed or r.wrong_actions]


def private_config(config: Config) -> Config:
    """The service's configuration on a broker, devices, sessions and data folder of the run's own."""
    mqtt = dataclasses.replace(config.mqtt, url="", embedded_port=0, simulate_devices=True)
    return dataclasses.replace(config, mqtt=mqtt, redis=RedisOptions(), data_dir="")


class Quality:
    """Case files of ``cases_dir`` (its own ``*.jsonl``, never its subfolders: held-out sets live there)."""

    def __init__(self, config: Config, cases_dir: Path, changed: Callable[[EvalReport], None]) -> None:
        self._config = private_config(config)
        self._cases_dir = cases_dir
        self._changed = changed
        self.report = EvalReport()
        self._task: asyncio.Task[None] | None = None

    def case_files(self) -> list[str]:
        return sorted(p.name for p in self._cases_dir.glob("*.jsonl") if p.is_file())

    def start(self, name: str) -> EvalReport:
        """Start running case file ``name``: NOT_FOUND for a file not listed, RESOURCE_EXHAUSTED while another runs."""
        if name not in self.case_files():
            raise LingxiError(ErrorCode.NOT_FOUND, f"no case file {name!r} in {self._cases_dir}")
        if self._task is not None and not self._task.done():
            raise LingxiError(ErrorCode.RESOURCE_EXHAUSTED, f"{self.report.file} is still running: one evaluation at a time")
        self._set(EvalReport(name, RunState.RUNNING, time.time()))
        self._task = asyncio.create_task(self._run(name), name=f"console eval {name}")
        return self.report

    async def wait(self) -> EvalReport:
        """The report once the current run (if any) has ended."""
        if self._task is not None:
            await asyncio.shield(self._task)
        return self.report

    async def _run(self, name: str) -> None:
        started = time.monotonic()
        try:
            cases = await asyncio.to_thread(parse_cases, self._cases_dir / name)
            async with Runtime(self._config) as runtime:
                results = await Evaluator(runtime, runtime.homes[0]).run(cases)
        except asyncio.CancelledError:
            raise
        except LingxiError as err:
            self._set(dataclasses.replace(self.report, state=RunState.FAILED, error=err.message,
                                          seconds=time.monotonic() - started))
            return
        except Exception as err:  # a broken run must not take the console down; the log has the traceback
            _LOGGER.exception("evaluating %s failed", name)
            self._set(dataclasses.replace(self.report, state=RunState.FAILED, error=f"{type(err).__name__}: {err}",
                                          seconds=time.monotonic() - started))
            return
        self._set(dataclasses.replace(
            self.report, state=RunState.DONE, results=tuple(results), summary=summarize(results),
            seconds=round(time.monotonic() - started, 1),
        ))

    def _set(self, report: EvalReport) -> None:
        self.report = report
        self._changed(report)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
