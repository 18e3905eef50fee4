"""Saving and loading :class:`~intents.model.classifier.IntentClassifier` models without pickles.

An artifact is one ``.npz`` archive: ``meta`` (JSON: kind, version, classes, calibration; all that
``read_metadata`` reads), ``state`` (JSON: feature spec, vocabularies in index order), the float32
tables ``Wt``, ``b``, ``idf``; for zh word features the jieba dictionary the model was trained with
(``jieba_keys``: sorted keys joined by newlines, UTF-8; ``jieba_freqs``); for the embedding cascade
``lr_w`` and ``lr_b``. Loading needs numpy (and jieba's code, not its dictionary): about 0.1 s
where unpickling the scikit-learn objects cost the import of scikit-learn (about 1.5 s) and then
jieba's dictionary on first use (about 1 s).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from intents.model.analyzers import JiebaWords

if TYPE_CHECKING:
    from intents.model.classifier import IntentClassifier

__all__ = ["ARTIFACT_KIND", "ARTIFACT_VERSION", "load", "read_metadata", "save"]

#: 3: the feature spec may hold a ``pinyin`` block (version 2 code would misread it).
#: 2: numpy/JSON archive of the compiled model (1 was a joblib pickle of the scikit-learn objects).
ARTIFACT_VERSION = 3
ARTIFACT_KIND = "lingxi-intent-classifier"


def save(model: IntentClassifier, path: Path | str) -> Path:
    if model.classes_ is None:
        raise RuntimeError("IntentClassifier is not fitted")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"kind": ARTIFACT_KIND, "version": ARTIFACT_VERSION, **model.meta}
    if model.embedder is not None:
        meta["embedder"] = {**meta["embedder"], "num_threads": model.embedder.num_threads}
    state = {
        "zh_words": model.zh_words,
        "pinyin": model.pinyin,
        "features": model.features,
        "vocabularies": [sorted(vocab, key=vocab.__getitem__) for vocab, _, _ in model._parts],
        "jieba_total": None if model.segmenter is None else model.segmenter.total,
    }
    arrays = {"meta": _json_bytes(meta), "state": _json_bytes(state), "Wt": model._Wt, "b": model._b,
              "idf": np.concatenate([idf for _, idf, _ in model._parts])}
    if model.segmenter is not None:
        arrays["jieba_keys"] = np.frombuffer("\n".join(model.segmenter.keys).encode("utf-8"), dtype=np.uint8)
        arrays["jieba_freqs"] = np.asarray(model.segmenter.freqs, dtype=np.int64)
    if model.lr_ is not None:
        arrays["lr_w"], arrays["lr_b"] = model.lr_
    with path.open("wb") as fh:  # a file object: numpy would append ".npz" to a path
        # numpy's stub also types **arrays against the keyword allow_pickle: bool; every key here names an array
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
    return path


def load(cls: type[IntentClassifier], path: Path | str) -> IntentClassifier:
    with Path(path).open("rb") as fh, _archive(path, fh) as z:
        meta = _read_meta(path, z)
        state = json.loads(z["state"].tobytes())
        arrays = {k: z[k] for k in z.files if k not in ("meta", "state")}
    emb = meta.get("embedder")
    model = cls(lang=meta["lang"], zh_words=state["zh_words"], pinyin=state.get("pinyin", False),
                embedder=_embedder(path, emb))
    model.meta = {k: v for k, v in meta.items() if k not in ("kind", "version")}
    model.oos_label = meta["oos_label"]
    model.classes_ = np.array(meta["classes"])
    model.temperature_, model.threshold_ = meta["temperature"], meta["threshold"]
    if emb:
        model.tau_, model.embed_weight = emb["tau"], emb["weight"]
    model.features = state["features"]
    if "jieba_keys" in arrays:
        keys = arrays["jieba_keys"].tobytes().decode("utf-8").split("\n")
        model.segmenter = JiebaWords(keys, arrays["jieba_freqs"], state["jieba_total"])
    vocabularies = [{tok: i for i, tok in enumerate(terms)} for terms in state["vocabularies"]]
    model.set_tables(vocabularies, arrays["idf"], arrays["Wt"], arrays["b"])
    if "lr_w" in arrays:
        model.lr_ = (arrays["lr_w"], arrays["lr_b"])
    return model


def read_metadata(path: Path | str) -> dict[str, Any]:
    with Path(path).open("rb") as fh, _archive(path, fh) as z:
        return _read_meta(path, z)


def _json_bytes(obj: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _archive(path: Path | str, fh: Any) -> Any:
    try:
        return np.load(fh, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path} is not an intent-classifier artifact") from exc


def _read_meta(path: Path | str, z: Any) -> dict[str, Any]:
    try:
        meta = json.loads(z["meta"].tobytes())
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{path} is not an intent-classifier artifact") from exc
    if not isinstance(meta, dict) or meta.get("kind") != ARTIFACT_KIND:
        raise ValueError(f"{path} is not an intent-classifier artifact")
    if meta.get("version") != ARTIFACT_VERSION:
        raise ValueError(f"{path}: artifact version {meta.get('version')} != {ARTIFACT_VERSION}")
    return meta


def _embedder(path: Path | str, spec: dict[str, Any] | None) -> Any:
    if spec is None:
        return None
    if spec.get("kind") != "E5Embedder":
        raise ValueError(f"{path}: unknown embedder {spec.get('kind')!r}")
    from intents.training.embeddings import E5Embedder

    return E5Embedder(num_threads=spec.get("num_threads", 1))
