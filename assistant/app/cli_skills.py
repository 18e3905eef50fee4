"""``assistant skill test PATH``: a third-party skill's samples and scripted dialogs, end to end."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path

from assistant.app.config import Config, serve_defaults
from assistant.app.skill_test import run_skill_tests
from skills.kit.reload import request_reload

#: Exit status when a sample or a dialog failed.
EXIT_FAILED = 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    skill = sub.add_parser("skill", aliases=["skills"], help="develop and install third-party skills (docs/skills.md)")
    skill.set_defaults(command="skill")  # "assistant skills reload" reads as well as "skill test"
    skill_sub = skill.add_subparsers(dest="skill_command", required=True)
    reload = skill_sub.add_parser("reload", help="make the running service find its skills again and retrain understanding")
    reload.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the service's answer (default 60)")
    test = skill_sub.add_parser("test", help="run a skill's sample utterances and dialogs.yaml against the demo home")
    test.add_argument("path", type=Path, help="the skill's folder (skill.py + manifest.yaml) or its package's folder")
    test.add_argument("--json", action="store_true", help="the report as one JSON object")
    test.add_argument("--remote", action="store_true", help="serve the skill over gRPC on loopback, as a remote skill")


async def run(args: argparse.Namespace, config: Config) -> int:
    if args.skill_command == "reload":
        return await _reload(args, config)
    report = await run_skill_tests(args.path, args.remote)
    if args.json:
        print(json.dumps({"samples": report.samples, "dialogs": report.dialogs,
                          "failures": [asdict(f) for f in report.failures]}, ensure_ascii=False))
    else:
        for failure in report.failures:
            print(f"FAIL {failure.what}: {failure.said!r}: wanted {failure.wanted!r}, got {failure.got!r}", file=sys.stderr)
        print(f"{report.samples} samples, {report.dialogs} dialogs{' (served remotely)' if args.remote else ''}: "
              f"{'ok' if report.ok else f'{len(report.failures)} failed'}")
    return 0 if report.ok else EXIT_FAILED


async def _reload(args: argparse.Namespace, config: Config) -> int:
    data_dir = serve_defaults(config).data_dir
    report = await asyncio.to_thread(request_reload, data_dir, args.wait)
    if report is None:
        print(f"no service reloaded within {args.wait:.0f} s: is one running with data_dir {data_dir}?", file=sys.stderr)
        return EXIT_FAILED
    print(f"reloaded in {report['took_s']} s: {', '.join(map(str, report['skills'])) or 'no third-party skill'} installed")
    return 0
