"""The console's options: where it listens and what it keeps.

``Config.console`` holds one of these, so ``LINGXI_CONSOLE_PORT=0`` turns the console off and
``LINGXI_CONSOLE_PORT=9000`` moves it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsoleOptions:
    #: http://host:port/ of the console; 0 turns it off.
    port: int = 8765
    #: Loopback by default: the microphone needs a secure context, which a plain-HTTP page has only on localhost.
    host: str = "127.0.0.1"
    #: Recent requests kept in memory (with their stage events) for the live list.
    recent: int = 200
    #: Folder of case files (``*.jsonl``, its subfolders never listed); empty: the checkout's tests/cases.
    cases_dir: str = ""
    #: The benchmark figures charted on the quality page; empty: the checkout's bench/results/latest.json.
    bench_results: str = ""
