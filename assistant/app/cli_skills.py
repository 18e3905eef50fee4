"""``assistant skill test PATH``: a third-party skill's samples and scripted dialogs, end to end."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from assistant.app.config import Config
from assistant.app.skill_test import run_skill_tests

#: Exit status when a sample or a dialog failed.
EXIT_FAILED = 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    skill = sub.add_parser("skill", help="develop third-party skills (docs/skills.md)")
    skill_sub = skill.add_subparsers(dest="skill_command", required=True)
    test = skill_sub.add_parser("test", help="run a skill's sample utterances and dialogs.yaml against the demo home")
    test.add_argument("path", type=Path, help="the skill's folder (skill.py + manifest.yaml) or its package's folder")
    test.add_argument("--json", action="store_true", help="the report as one JSON object")


async def run(args: argparse.Namespace, config: Config) -> int:
    report = await run_skill_tests(args.path)
    if args.json:
        print(json.dumps({"samples": report.samples, "dialogs": report.dialogs,
                          "failures": [asdict(f) for f in report.failures]}, ensure_ascii=False))
    else:
        for failure in report.failures:
            print(f"FAIL {failure.what}: {failure.said!r}: wanted {failure.wanted!r}, got {failure.got!r}", file=sys.stderr)
        print(f"{report.samples} samples, {report.dialogs} dialogs: "
              f"{'ok' if report.ok else f'{len(report.failures)} failed'}")
    return 0 if report.ok else EXIT_FAILED
