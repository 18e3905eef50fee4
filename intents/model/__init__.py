"""The small intent model as the service runs it: analyzers, features, the classifier and its
calibrated confidence, and the shipped per-language artifacts (loaded without scikit-learn)."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from intents.model.catalog import MODEL_DIR, OOS, CatalogModel, artifact_path, forget_catalog, load_catalog
    from intents.model.classifier import ARTIFACT_VERSION, IntentClassifier, Prediction

__all__ = ["ARTIFACT_VERSION", "MODEL_DIR", "OOS", "CatalogModel", "IntentClassifier", "Prediction", "artifact_path",
           "forget_catalog", "load_catalog"]

__getattr__ = lazy_exports(__name__, {
    "catalog": ["MODEL_DIR", "OOS", "CatalogModel", "artifact_path", "forget_catalog", "load_catalog"],
    "classifier": ["ARTIFACT_VERSION", "IntentClassifier", "Prediction"],
})
