"""The English encoder's say in the model tier: a second opinion where the sparse model is unsure.

The sparse TF-IDF model (a fraction of a millisecond) answers first; only an English clause it
leaves below the cascade's bar is given to the fine-tuned encoder (:mod:`intents.model.encoder`, a
few milliseconds). Where the sparse model called the clause out of scope, the encoder may name it
when it is itself sure (``ENCODER_BAR``); where the sparse model named an intent, unsure, the
encoder may only confirm that intent, never swap it ("what is the water heater set to" stays the
device's state, not a manual question). Otherwise the sparse answer stands and the clause goes
on to the fallback as before. Text without English words ("12345") is not the encoder's.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

from intents.model.encoder import EncoderModel, load_encoder

__all__ = ["ACTING", "ENCODER_BAR", "SPARSE_BAR", "EncoderVote", "second_opinion", "shipped_vote"]

_LOGGER = logging.getLogger(__name__)

OOS = "out_of_scope"
#: The sparse model's confidence from which the encoder is not asked (the cascade's own bar).
SPARSE_BAR = 0.5
#: The encoder's probability from which its intent replaces an unsure sparse answer. At 0.5 it also
#: replaced some out-of-scope answers to typo'd held-out utterances with wrong actions ("paise it" as
#: volume, "get me a taix" as music); from 0.8 on none (chosen on the held-out split: bench/encoder.py).
ENCODER_BAR = 0.8
_WORD = re.compile(r"[a-z]{2}")
#: Model intents that set something going: a wrong one is a wrong action. A device or scene intent
#: named by a model alone never acts (the cascade acts on devices only through the rules' reading).
ACTING = frozenset({
    "timer.set", "timer.cancel", "timer.pause", "timer.resume", "timer.add_time",
    "alarm.set", "alarm.cancel", "reminder.set",
    "media.play_music", "media.play_video", "media.play_audio", "media.control", "media.volume",
})


@dataclass(frozen=True)
class EncoderVote:
    """Decides one clause from the sparse model's answer and, where that is unsure, the encoder's."""

    encoder: EncoderModel

    def decide(self, text: str, intent: str, confidence: float) -> tuple[str, float]:
        """``(intent, confidence)`` for the clause ``text`` given the sparse model's answer."""
        if (intent != OOS and confidence >= SPARSE_BAR) or not _WORD.search(text):
            return intent, confidence
        name, p = self.encoder.predict(text)
        if intent != OOS:
            return (intent, max(confidence, p)) if name == intent else (intent, confidence)
        if name == OOS or p < ENCODER_BAR:
            return intent, confidence
        _LOGGER.debug("encoder: %r is %s (%.2f) where the sparse model saw nothing", text, name, p)
        return name, p


_shipped: list[EncoderVote | None] = []
_lock = threading.Lock()


def shipped_vote() -> EncoderVote | None:
    """The vote with the shipped encoder, loaded once; None (logged once) when no artifact ships."""
    with _lock:
        if not _shipped:
            try:
                _shipped.append(EncoderVote(load_encoder()))
            except FileNotFoundError as exc:
                _LOGGER.warning("no English encoder (%s): the sparse model answers alone", exc)
                _shipped.append(None)
        return _shipped[0]


def second_opinion(text: str, intent: str, confidence: float) -> tuple[str, float]:
    """:meth:`EncoderVote.decide` with the shipped encoder (the sparse answer when there is none)."""
    if intent != OOS and confidence >= SPARSE_BAR:
        return intent, confidence  # the common case loads nothing
    vote = shipped_vote()
    return (intent, confidence) if vote is None else vote.decide(text, intent, confidence)
