"""Typed results of understanding: intents with slots, confidence and source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

#: Below this confidence a local reading is not sure enough to act on alone: the understanding asks
#: for the fallback (``Understanding.needs_fallback``), and where no LLM can help the user is asked to
#: rephrase. The default of the configurable ``llm.usable`` (assistant/app/config.py), which the
#: runtime hands to the understanders.
USABLE_CONFIDENCE = 0.6


class IntentSource(str, Enum):
    RULES = "rules"
    EDGE_MODEL = "edge_model"
    LLM = "llm"


@dataclass(frozen=True)
class Intent:
    """One understood task.

    ``name`` is a catalog name (``docs/intents.md``) such as ``device.turn_on``.
    ``slots`` use ids, not words: ``device`` (device id), ``room`` (room id),
    ``device_type``, ``scope`` (``all``), ``attribute``, ``value``, ``unit``,
    ``direction`` (``up``/``down``), ``amount``, ``scene`` (scene id).
    ``text`` is the clause of the utterance it came from.
    """

    name: str
    slots: Mapping[str, Any]
    confidence: float
    source: IntentSource
    text: str = ""


@dataclass(frozen=True)
class Understanding:
    """All intents of one utterance, in the order they should run.

    ``needs_fallback`` marks an utterance the local layers could not understand with
    enough confidence (consumed by the LLM planner when one is configured).
    """

    intents: tuple[Intent, ...]
    lang: str
    normalized_text: str
    needs_fallback: bool = False


@dataclass(frozen=True)
class UnderstandingContext:
    """What understanding may use besides the words.

    ``lang`` is ``zh``/``en`` or ``None`` to detect; ``speaker_room`` is the room id of
    the speaking device; ``now`` is the request's clock. ``last_order`` is the dialog's
    last device order and the devices it used, so an elliptical turn ("and the kitchen
    one", "还有厨房的") can repeat it on the devices it names.
    """

    lang: str | None = None
    speaker_room: str | None = None
    now: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    last_order: tuple[str, tuple[str, ...]] | None = None
