"""Synthesise the voice fixtures: every spoken command of ``voice_commands.jsonl`` as a 16 kHz mono s16 WAV.

``python -m testkit.voice_fixtures OUT_DIR`` writes ``OUT_DIR/<case id>.wav`` and ``OUT_DIR/cases.jsonl``
(the commands in the eval-cases format, spoken ones with an ``audio`` field; setup turns stay text).

espeak-ng (``-v cmn-latn-pinyin`` for Mandarin, ``-v en-us`` for English) and sox (to 16 kHz mono s16, with
0.2 s of silence either side) make a clip in tens of milliseconds, so the tests and the benchmark generate
them into a temporary folder instead of committing a few megabytes of WAVs. espeak's Mandarin is robotic:
recognising it is a harder test than real speech, not an easier one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COMMANDS = Path(__file__).resolve().parent / "voice_commands.jsonl"
VOICES = {"zh": "cmn-latn-pinyin", "en": "en-us"}
TOOLS = ("espeak-ng", "sox")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def load_commands(path: Path = COMMANDS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def synthesise(text: str, lang: str, out: Path, speed_wpm: int = 160, voice: str | None = None) -> None:
    """One utterance to ``out`` as 16 kHz mono s16 WAV; ``voice``: espeak's voice instead of ``lang``'s
    (``"en"``, its default, reads Mandarin pinyin as an English speaker would)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", voice or VOICES[lang], "-s", str(speed_wpm), "-w", str(raw), text], check=True)
        subprocess.run(
            ["sox", "-V1", str(raw), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", str(out),
             "gain", "-n", "-3", "pad", "0.2", "0.2"],
            check=True,
        )


def make_fixtures(out_dir: Path, commands: list[dict] | None = None) -> Path:
    """Synthesise every command that has expectations; return the path of the cases file written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for command in commands if commands is not None else load_commands():
        case = dict(command)
        if case.get("expect"):
            wav = out_dir / f"{case['id']}.wav"
            synthesise(case["text"], case["lang"], wav)
            case["audio"] = wav.name
        lines.append(json.dumps(case, ensure_ascii=False))
    cases = out_dir / "cases.jsonl"
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cases


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m testkit.voice_fixtures OUT_DIR")
    if missing_tools():
        sys.exit(f"missing: {', '.join(missing_tools())} (make setup installs them)")
    print(make_fixtures(Path(sys.argv[1])))
