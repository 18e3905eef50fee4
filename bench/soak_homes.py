"""The soak test's two homes: the demo home and a second one derived from it.

The second home has the same rooms and devices under another home id, other device and
speaker ids (``b_`` in front), its own discovery prefix, and in front of every device's
names one more name that only it has (``西苑…`` / ``Westwood …``). Names are said by their
first entry, so an answer that names one of its devices carries the marker, and an answer of
the demo home that does has leaked the other home's state. People still say the demo's words
(the old names stay as aliases), so the same utterances and WAVs serve both homes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from domain.home import demo_home_path

SECOND_HOME = "soak_b"
ID_PREFIX = "b_"
#: The first name of each of the second home's devices starts with these.
MARKER = {"zh": "西苑", "en": "Westwood "}


def _renamed(names: dict[str, list[str]]) -> dict[str, list[str]]:
    return {lang: [MARKER[lang] + words[0], *words] if lang in MARKER else words for lang, words in names.items()}


def second_home_data(demo: dict[str, Any]) -> dict[str, Any]:
    """The demo home's YAML data with the second home's ids, prefix and names."""
    data = dict(demo)
    data["home"] = SECOND_HOME
    data["discovery_prefix"] = "homeassistant_soak_b"
    data["speakers"] = {ID_PREFIX + sid: spec for sid, spec in demo["speakers"].items()}
    data["devices"] = {ID_PREFIX + did: {**spec, **_renamed({k: spec[k] for k in ("zh", "en") if k in spec})}
                       for did, spec in demo["devices"].items()}
    scenes = {}
    for sid, scene in demo.get("scenes", {}).items():
        actions = [{**a, "device": a["device"] if a["device"] == "all_lights" else ID_PREFIX + a["device"]}
                   for a in scene.get("actions", [])]
        scenes[sid] = {**scene, "actions": actions}
    data["scenes"] = scenes
    return data


def write_second_home(folder: Path) -> Path:
    """Write the second home's file into ``folder``; returns its path."""
    demo = yaml.safe_load(demo_home_path().read_text(encoding="utf-8"))
    path = folder / f"{SECOND_HOME}.yaml"
    path.write_text(yaml.safe_dump(second_home_data(demo), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
