"""Which transcripts are uncertain: the voice fixtures clean, at the wrong rate, and in the wrong voice.

Every spoken command of ``testkit/voice_commands.jsonl`` goes through the voice path in process
(:meth:`VoiceService.transcribe_pcm`, then :meth:`VoiceService.understood`: whisper base, the
home's hints, snapping) three ways:

* ``clean``: as synthesised (espeak-ng, zh and en voices), its language declared;
* ``wrong_rate``: the same 16 kHz audio declared as 44.1 kHz (played 2.76 times too fast), language declared;
* ``english_voice``: the Mandarin commands' pinyin read by espeak's default (English) voice, no
  language declared (whisper mostly hears English).

For each: how many transcripts are uncertain (a change they ask for is confirmed first), how many
read as a command (``打开``/``关闭``/``turn``/``open``...), and how many of those would act without
asking. The goal: no clean command uncertain, no wrong-rate or wrong-voice command acting.

``python -m bench.voice_confidence`` writes bench/results/voice_confidence.json.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
from pathlib import Path

from pypinyin import lazy_pinyin

from assistant.pipeline.messages import Request
from assistant.voice.audio import AudioFormat, read_wav
from assistant.voice.service import VoiceService
from domain.home import load_demo_home
from testkit.voice_fixtures import load_commands, synthesise

RESULTS = Path(__file__).resolve().parent / "results"
_COMMAND = re.compile(r"打开|关闭|关掉|调到|turn|switch|open|close|set|start|stop", re.IGNORECASE)


async def run() -> dict:
    home = load_demo_home()
    speaker = next(iter(home.speakers))
    voice = VoiceService()
    await voice.warm([home])
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in (c for c in load_commands() if c.get("expect")):
            clean = Path(tmp) / f"{case['id']}.wav"
            synthesise(case["text"], case["lang"], clean)
            renderings = [("clean", clean, 16000, case["lang"]), ("wrong_rate", clean, 44100, case["lang"])]
            if case["lang"] == "zh":
                english = Path(tmp) / f"{case['id']}-en.wav"
                synthesise(" ".join(lazy_pinyin(case["text"])), "zh", english, voice="en")
                renderings.append(("english_voice", english, 16000, None))
            for rendering, path, rate, lang in renderings:
                _, pcm = read_wav(path)
                request = Request("", speaker, case["id"], "", lang=lang)
                heard = await voice.transcribe_pcm(request, home, AudioFormat(rate), pcm)
                understood = await voice.understood(heard, home)
                rows.append({"id": case["id"], "rendering": rendering, "lang": case["lang"], "heard": understood.transcript,
                             "text": understood.text, "command": bool(_COMMAND.search(understood.text)),
                             "doubts": list(understood.doubts)})
    figures: dict = {}
    for rendering in ("clean", "wrong_rate", "english_voice"):
        for lang in ("zh", "en"):
            group = [r for r in rows if r["rendering"] == rendering and r["lang"] == lang]
            if group:
                commands = [r for r in group if r["command"]]
                figures[f"{rendering}/{lang}"] = {
                    "n": len(group), "uncertain": sum(bool(r["doubts"]) for r in group), "commands": len(commands),
                    "commands_acting_without_asking": sum(not r["doubts"] for r in commands),
                }
    return {"figures": figures, "rows": rows}


def main() -> None:
    results = asyncio.run(run())
    for name, row in results["figures"].items():
        print(f"{name:>18}  {row['uncertain']}/{row['n']} uncertain; {row['commands']} read as commands, "
              f"{row['commands_acting_without_asking']} of them would act without asking")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "voice_confidence.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
