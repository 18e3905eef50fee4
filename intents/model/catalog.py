"""The catalog model: one small :class:`~intents.model.classifier.IntentClassifier` per language.

Trained (:mod:`intents.training.catalog_fit`) on the expanded templates of
:mod:`intents.training.catalog_data` with ``out_of_scope`` as a class (so the model says honestly when
nothing built in fits). The artifacts ship in the package (``intents/model/artifacts/``)
so a fresh install understands the whole catalog offline; they are loaded once per process.
The artifacts are plain numpy/JSON (see :mod:`intents.model.store`): loading needs neither
scikit-learn nor jieba's own dictionary loading (about 0.3 s instead of about 3 s, paid at the
service's start).

Retrain after editing the data with ``assistant train`` and commit the artifacts
(``tests/intents/test_catalog_understander.py`` checks they match the data).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from intents.training.catalog_data import LANGS

if TYPE_CHECKING:  # the classifier (and through it numpy) is imported when a model is loaded
    from intents.model.classifier import IntentClassifier, Prediction

_LOGGER = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "artifacts"
OOS = "out_of_scope"

_cache: dict[Path, CatalogModel] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class CatalogModel:
    """The per-language classifiers; ``predict`` takes normalised clause text."""

    models: dict[str, IntentClassifier]
    fingerprint: str

    def predict(self, text: str, lang: str) -> Prediction:
        return self.predict_many([text], lang)[0]

    def predict_many(self, texts: list[str], lang: str) -> list[Prediction]:
        model = self.models.get(lang) or self.models["zh" if lang != "en" else "en"]
        return model.predict(texts)


def artifact_path(folder: Path, lang: str) -> Path:
    return folder / f"{lang}.npz"


def load_catalog(path: Path | str | None = None) -> CatalogModel:
    """The catalog model in ``path`` (default: the shipped one), loaded once per process."""
    folder = Path(path or MODEL_DIR).resolve()
    with _lock:
        cached = _cache.get(folder)
        if cached is not None:
            return cached
        from intents.model.classifier import IntentClassifier

        t0 = time.perf_counter()
        models = {lang: IntentClassifier.load(artifact_path(folder, lang)) for lang in LANGS}
        for model in models.values():  # first calls allocate and fill caches: not inside a request
            model.predict(["打开灯" if model.lang == "zh" else "turn on the light"])
        summary = folder / "summary.json"
        fingerprint = json.loads(summary.read_text())["fingerprint"] if summary.exists() else ""
        cached = CatalogModel(models, fingerprint)
        _cache[folder] = cached
        _LOGGER.info("catalog model loaded from %s in %.0f ms", folder, (time.perf_counter() - t0) * 1000)
        return cached


def forget_catalog(path: Path | str) -> None:
    """Drop the cached model of ``path`` (after retraining it) so the next load reads the new one."""
    with _lock:
        _cache.pop(Path(path).resolve(), None)
