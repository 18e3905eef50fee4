"""Skill reload: how long after a skill is copied into a running instance's skills folder its
sample utterance is answered by it, and after it is removed no longer (issue 14 goal: ≤ 15 s).

One instance (the embedded broker, the virtual demo home) runs in this process with an empty skills
folder and its file watch on. Each round copies ``examples/shopping_list`` in, asks "把牛奶加到购物清单"
every 0.1 s until the shopping list answers it, then removes the folder and asks until it no longer
does. Reported per direction: ``seconds`` (copy or removal → the first answer that shows it: the
watch's poll interval, finding the skills, retraining, the swap), and ``retrain_s`` (the reloads'
own time, what :class:`skills.kit.reload.Generation` says it took). CPU seconds of the process are
reported beside them: on a shared machine the wall time is mostly waiting for a core.

``python -m bench.skills_reload [ROUNDS]`` writes bench/results/skills_reload.json.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant.app.config import Config, MqttOptions, SkillOptions
from assistant.app.runtime import Runtime
from assistant.app.skill_test import ask

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SHOPPING = HERE.parent / "examples" / "shopping_list"
SAID = "把牛奶加到购物清单"
GOAL_S = 15.0
GIVE_UP_S = 120.0


async def _until(runtime: Runtime, answered: bool) -> float:
    """Seconds until the shopping list answers ``SAID`` (``answered``) or stops answering it."""
    started = time.perf_counter()
    while time.perf_counter() - started < GIVE_UP_S:
        answer = await ask(runtime, SAID)
        if ([i.name for i in answer.intents] == ["acme.shopping.add"]) == answered:
            return time.perf_counter() - started
        await asyncio.sleep(0.1)
    raise TimeoutError(f"the reload was not seen within {GIVE_UP_S:.0f} s")


def _figures(seconds: list[float]) -> dict[str, float]:
    return {"p50_s": round(statistics.median(seconds), 2), "max_s": round(max(seconds), 2)}


async def run(rounds: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="lingxi-reload-") as tmp:
        folder = Path(tmp) / "skills"
        folder.mkdir()
        config = Config(mqtt=MqttOptions(embedded_port=0, command_timeout_s=2.0), data_dir=str(Path(tmp) / "data"),
                        skills=SkillOptions(folders=(str(folder),), entry_points=False))
        runtime = await Runtime(config).start()
        try:
            assert runtime.skill_reloader is not None
            installed, removed, retrain = [], [], []
            cpu_started = time.process_time()
            for _ in range(rounds):
                await asyncio.to_thread(shutil.copytree, SHOPPING, folder / "shopping_list")
                installed.append(await _until(runtime, answered=True))
                retrain.append(runtime.skill_reloader.current.took_s if runtime.skill_reloader.current else 0.0)
                await asyncio.to_thread(shutil.rmtree, folder / "shopping_list")
                removed.append(await _until(runtime, answered=False))
            cpu_s = time.process_time() - cpu_started
        finally:
            await runtime.stop()
    results = {
        "rounds": rounds,
        "install_to_answer": _figures(installed),
        "remove_to_gone": _figures(removed),
        "retrain_after_install": _figures(retrain),
        "cpu_s_per_round": round(cpu_s / rounds, 2),
        "goal_s": GOAL_S,
        "within_goal": max(installed) <= GOAL_S,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "skills_reload.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 3)), indent=2))
