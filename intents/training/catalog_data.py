"""The catalog model's training data: YAML templates (``intents/training/data/train_<lang>.yaml``) expanded.

Templates carry ``{name}`` placeholders filled from the file's ``fillers`` lists. A template
with one placeholder is expanded with every value (the lists are the vocabulary the model
must know); a template with several gets ``VARIANTS`` seeded combinations, so the data grows
with the vocabulary, not with its product. Expansion is deterministic: same files, same data.
The held-out files (``heldout_<lang>.jsonl``) are written separately and never expanded here.
"""

from __future__ import annotations

import json
import logging
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from intents.normalize import normalize_text

_LOGGER = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGS = ("zh", "en")
#: Seeded combinations per template with more than one placeholder.
VARIANTS = 12
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Example:
    """One labelled utterance; ``slots`` only in held-out files (the expected extraction)."""

    text: str
    intent: str
    lang: str
    slots: dict[str, Any] | None = None
    now: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _fill(template: str, fillers: dict[str, list[str]], rng: random.Random) -> str:
    return _PLACEHOLDER.sub(lambda m: str(rng.choice(fillers[m.group(1)])), template)


def expand(template: str, fillers: dict[str, list[str]], rng: random.Random) -> list[str]:
    """Distinct utterances of one template (see the module docstring)."""
    names = [n for n in dict.fromkeys(_PLACEHOLDER.findall(template)) if n != "fill"]
    if not names:
        return [_fill(template, fillers, rng)]
    if len(names) == 1:
        out = []
        for value in fillers[names[0]]:
            text = template.replace("{" + names[0] + "}", str(value))
            out.append(_fill(text, fillers, rng))
        return list(dict.fromkeys(out))
    return list(dict.fromkeys(_fill(template, fillers, rng) for _ in range(VARIANTS)))


def training_examples(lang: str, data_dir: Path = DATA_DIR, seed: int = 0) -> list[Example]:
    """Every expanded training utterance of ``lang``, normalised as understanding sees it."""
    spec = yaml.safe_load((data_dir / f"train_{lang}.yaml").read_text(encoding="utf-8"))
    fillers = {k: [str(v) for v in vals] for k, vals in spec["fillers"].items()}
    examples: list[Example] = []
    # a template expansion that happens to equal a held-out line ("play some rock") is dropped:
    # the model never trains on the held-out split, not even by coincidence
    held = {normalize_text(e.text) for e in heldout_examples(lang, data_dir)}
    seen: set[tuple[str, str]] = {(text, intent) for text in held for intent in spec["intents"]}
    for intent, templates in spec["intents"].items():
        # one seeded stream per intent: templates added to one intent leave the others' samples as they were
        rng = random.Random(f"{seed}-{lang}-{intent}")
        for template in templates:
            for text in expand(template, fillers, rng):
                norm = normalize_text(text)
                if norm and (norm, intent) not in seen:
                    seen.add((norm, intent))
                    examples.append(Example(norm, intent, lang))
    _LOGGER.debug("%d %s training examples", len(examples), lang)
    return examples


def heldout_examples(lang: str, data_dir: Path = DATA_DIR) -> list[Example]:
    """The hand-written held-out utterances of ``lang`` (raw text, expected intent and slots)."""
    out = []
    for line in (data_dir / f"heldout_{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Example(row["text"], row["intent"], lang, row.get("slots"), row.get("now"),
                               {k: v for k, v in row.items() if k not in ("text", "intent", "slots", "now")}))
    return out
