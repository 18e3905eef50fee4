"""A real instance for the skill tests: the demo home plus the coffee machine example's device, on the test
broker, with the skills found in the folders given."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from assistant.app.config import MqttOptions
from assistant.app.runtime import Runtime
from assistant.app.skill_test import home_with, load_script, skill_config
from iot_bridge import read_states
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto

ROOT = Path(__file__).resolve().parents[3]
COFFEE = ROOT / "examples" / "coffee_machine"


@asynccontextmanager
async def coffee_home(broker: Mosquitto, tmp_path_factory: pytest.TempPathFactory, skill: Path,
                      folders: Sequence[Path]) -> AsyncIterator[Runtime]:
    """A started runtime whose skills come from ``folders`` (``skill`` sets up the rest of the config)."""
    home = home_with(load_script(COFFEE).devices, tmp_path_factory.mktemp("home"))
    config = skill_config(skill, home)
    config = dataclasses.replace(
        config,
        mqtt=MqttOptions(url=f"mqtt://{broker.host}:{broker.port}", command_timeout_s=1.0),
        skills=dataclasses.replace(config.skills, folders=tuple(str(f) for f in folders)),
    )
    runtime = await Runtime(config).start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def states(runtime: Runtime) -> dict[str, dict]:
    assert runtime.mqtt is not None
    return await read_states(runtime.mqtt, runtime.homes[0], 3.0)
