"""The console's HTML: the pages, and the fragments the live feed sends to replace parts of them.

Server-rendered with Jinja2 (autoescaped); a fragment is a macro of ``fragments.html``, so a
page's first render and its live updates come from the same template.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from assistant.api.convert import answer_to_json
from assistant.console import views
from assistant.console.quality import EvalReport
from assistant.console.requests import RequestRecord
from domain.devices import DeviceInfo
from domain.home import Home

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class DeviceView:
    """A device as the home view shows it."""

    home_id: str
    info: DeviceInfo
    #: The last state the device reported (empty until it has).
    state: Mapping[str, Any]

    @property
    def element_id(self) -> str:
        return f"dev-{self.home_id}-{self.info.id}"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(state_text=views.state_text, risk_text=views.risk_text, clock=views.clock, countdown=views.countdown,
                       value_text=views.value_text)
    env.globals.update(waterfall=views.waterfall, answer_json=answer_to_json)
    return env


class Fragments:
    """The parts of pages that change while they are open."""

    def __init__(self, env: jinja2.Environment) -> None:
        self._macros = env.get_template("fragments.html").module

    def request_row(self, record: RequestRecord) -> str:
        return str(self._macros.request_row(record))  # type: ignore[attr-defined]

    def request_detail(self, record: RequestRecord) -> str:
        return str(self._macros.request_detail(record))  # type: ignore[attr-defined]

    def device(self, device: DeviceView) -> str:
        return str(self._macros.device(device))  # type: ignore[attr-defined]

    def eval_report(self, report: EvalReport) -> str:
        return str(self._macros.eval_report(report))  # type: ignore[attr-defined]

    def schedule(self, home: Home, entries: Sequence[Any], remaining: Mapping[str, float]) -> str:
        return str(self._macros.schedule(home, entries, remaining))  # type: ignore[attr-defined]
