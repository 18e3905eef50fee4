"""How sure the recogniser is of a transcript, and when that is too unsure to act on.

Whisper says more than its text: the mean log-probability of the tokens it chose, the
probability that there was no speech at all, and which language it hears. A transcript is
*uncertain* when any of these, or the pace of the words against the speech they came from, falls
past its language's bar (:data:`BARS`) — audio played at the wrong speed (declared 44.1 kHz, sent at
16 kHz) or Mandarin read by an English voice still yields a fluent-looking command, but whisper's
own scores for it are poor or it has more words than the speech had time for. An uncertain transcript may
answer a question; a change to a device is asked back first (:mod:`assistant.dialog.confirmation`).

The bar was chosen on the synthesised voice fixtures (``testkit/voice_commands.jsonl``): the clean
commands stay within it (all but one already misheard, run to run), the wrong-speed and wrong-voice
renderings of the same commands fall past it (figures in the README, ``bench/voice_confidence.py``).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Confidence:
    """Whisper's own measures of one final decode."""

    #: Mean log-probability of the decoded tokens (faster-whisper's ``avg_logprob``: the sum over
    #: the tokens divided by their number plus one); 0 is certain, below about -1 is guesswork.
    avg_logprob: float
    #: Probability of the no-speech token at the start of the decode.
    no_speech_prob: float
    #: Bytes of the text over bytes of its zlib compression: a decode stuck in a loop compresses well.
    compression_ratio: float
    #: Language whisper finds likeliest among all it knows (``ja``, ``yue``... included).
    detected_lang: str
    #: Probability whisper gives the language the text was decoded in.
    lang_prob: float
    #: The language decoded in was the declared one and whisper agrees, or it was detected; ``False``
    #: when the client declared a language whisper does not hear (among zh and en).
    lang_matches: bool


def compression_ratio(text: str) -> float:
    raw = text.encode("utf-8")
    return len(raw) / len(zlib.compress(raw)) if raw else 0.0


@dataclass(frozen=True)
class ConfidenceBar:
    """Past any of these, a transcript in one language is too unsure to change a device without asking."""

    min_avg_logprob: float
    #: Below it whisper doubts the language; 0: its language ID is not trusted for this language
    #: (it calls short Mandarin Thai, Latin or English), and a mismatch is not held against it either.
    min_lang_prob: float
    #: Characters (zh) or letters (en) per second of speech that nobody speaks: audio played too fast,
    #: or a command made up from the prompt.
    max_rate: float
    max_no_speech_prob: float = 0.05
    max_compression_ratio: float = 2.4


#: Chosen on the voice fixtures (``bench/voice_confidence.py``). Clean commands: avg_logprob >= -0.75
#: (zh) / -0.45 (en), no_speech_prob <= 0.03, English language probability >= 0.47, at most 4.8
#: characters or 17 letters a second (30 where whisper repeats the command); wrong-speed and
#: wrong-voice ones fall past at least one of these.
BARS = {
    "zh": ConfidenceBar(min_avg_logprob=-0.8, min_lang_prob=0.0, max_rate=5.5),
    "en": ConfidenceBar(min_avg_logprob=-0.5, min_lang_prob=0.4, max_rate=32.0),
}

_UNITS = {"zh": re.compile(r"[\u4e00-\u9fff]"), "en": re.compile(r"[A-Za-z]")}


def speech_rate(text: str, lang: str, speech_s: float) -> float:
    """Characters (zh) or letters (en) of ``text`` per second of speech."""
    return len(_UNITS[lang].findall(text)) / max(speech_s, 0.05)


def doubts(confidence: Confidence | None, text: str, lang: str, speech_s: float) -> tuple[str, ...]:
    """Why the transcript ``text`` (in ``lang``, of ``speech_s`` seconds of speech) is uncertain;
    empty when it is not, or when no decode was scored (``confidence`` ``None``)."""
    bar = BARS.get(lang)
    if confidence is None or bar is None:
        return ()
    found = []
    if confidence.avg_logprob < bar.min_avg_logprob:
        found.append(f"avg_logprob {confidence.avg_logprob:.2f} < {bar.min_avg_logprob}")
    if confidence.no_speech_prob > bar.max_no_speech_prob:
        found.append(f"no_speech_prob {confidence.no_speech_prob:.2f} > {bar.max_no_speech_prob}")
    if confidence.compression_ratio > bar.max_compression_ratio:
        found.append(f"compression_ratio {confidence.compression_ratio:.2f} > {bar.max_compression_ratio}")
    if bar.min_lang_prob > 0 and confidence.lang_prob < bar.min_lang_prob:
        found.append(f"{lang} probability {confidence.lang_prob:.2f} < {bar.min_lang_prob}")
    if bar.min_lang_prob > 0 and not confidence.lang_matches:
        found.append(f"declared {lang} but whisper hears {confidence.detected_lang}")
    rate = speech_rate(text, lang, speech_s)
    if rate > bar.max_rate:
        found.append(f"{rate:.1f} a second of speech > {bar.max_rate}")
    return tuple(found)
