"""The fine-tuned English encoder as the service runs it: int8 ONNX MiniLM + its tokenizer.

Trained by :mod:`intents.training.encoder` (outside CI, the ``train`` extra); the three files
ship in ``intents/model/artifacts/`` (``en_encoder.onnx``, ``en_encoder.json``: classes and
training summary, ``en_encoder_tokenizer.json``). Serving needs only onnxruntime and tokenizers,
both already required by the service. One session per process, created on first use with one
intra-op thread (int8 MiniLM is faster on one thread than on two, and the service's other work
keeps the second core); ``predict_proba`` blocks for a few milliseconds, so async callers run it
in a thread like the rest of understanding.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ARTIFACT_STEM", "MAX_TOKENS", "MODEL_DIR", "EncoderModel", "artifact_paths", "load_encoder"]

_LOGGER = logging.getLogger(__name__)

ARTIFACT_STEM = "en_encoder"
#: Tokens per utterance (with [CLS]/[SEP]): a spoken command is rarely longer; longer ones are cut.
MAX_TOKENS = 32
MODEL_DIR = Path(__file__).resolve().parent / "artifacts"

_cache: dict[Path, EncoderModel] = {}
_lock = threading.Lock()


def artifact_paths(folder: Path) -> tuple[Path, Path, Path]:
    """The ONNX graph, its metadata (classes, training summary) and its tokenizer in ``folder``."""
    return (folder / f"{ARTIFACT_STEM}.onnx", folder / f"{ARTIFACT_STEM}.json",
            folder / f"{ARTIFACT_STEM}_tokenizer.json")


@dataclass(frozen=True)
class EncoderModel:
    """A loaded encoder; ``classes`` name the columns of :meth:`predict_proba`."""

    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer, truncating and padding
    classes: tuple[str, ...]
    meta: dict[str, Any]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Softmax probabilities, one row per (normalised) utterance."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        enc = self.tokenizer.encode_batch([" ".join(t.lower().split()) for t in texts])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        (logits,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        logits = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, text: str) -> tuple[str, float]:
        """The most probable intent of one utterance and its probability."""
        p = self.predict_proba([text])[0]
        j = int(p.argmax())
        return self.classes[j], float(p[j])


def load_encoder(folder: Path | str | None = None) -> EncoderModel:
    """The encoder in ``folder`` (default: the shipped one), loaded once per process.

    Raises FileNotFoundError when the artifact is not there."""
    path = Path(folder or MODEL_DIR).resolve()
    with _lock:
        cached = _cache.get(path)
        if cached is not None:
            return cached
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx_path, meta_path, tok_path = artifact_paths(path)
        missing = [p.name for p in (onnx_path, meta_path, tok_path) if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"{path} lacks {', '.join(missing)}")
        t0 = time.perf_counter()
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(tok_path))
        tokenizer.enable_truncation(int(meta.get("max_tokens", MAX_TOKENS)))
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        cached = EncoderModel(session, tokenizer, tuple(meta["classes"]), meta)
        cached.predict_proba(["turn on the light"])  # first run allocates: not inside a request
        _cache[path] = cached
        _LOGGER.info("English encoder loaded from %s in %.0f ms", path, (time.perf_counter() - t0) * 1000)
        return cached
