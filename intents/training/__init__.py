"""Tooling the service never runs: training data and training of the catalog model, public
benchmark loaders and the NLU benchmark, the CRF slot tagger and the e5 embedding cascade."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from intents.training.bench_nlu import run_bench, slot_f1, train_dataset
    from intents.training.catalog_data import LANGS, heldout_examples, training_examples
    from intents.training.catalog_eval import evaluate
    from intents.training.catalog_fit import data_fingerprint, train_catalog
    from intents.training.datasets import FORMATS, OOS_LABEL, detect_format, load_dataset
    from intents.training.embeddings import E5Embedder
    from intents.training.fit import ClassifierTrainer, make_tfidf
    from intents.training.slot_tagger import SlotTagger

__all__ = ["FORMATS", "LANGS", "OOS_LABEL", "ClassifierTrainer", "E5Embedder", "SlotTagger", "data_fingerprint",
           "detect_format", "evaluate", "heldout_examples", "load_dataset", "make_tfidf", "run_bench", "slot_f1",
           "train_catalog", "train_dataset", "training_examples"]

__getattr__ = lazy_exports(__name__, {
    "bench_nlu": ["run_bench", "slot_f1", "train_dataset"],
    "catalog_data": ["LANGS", "heldout_examples", "training_examples"],
    "catalog_eval": ["evaluate"],
    "catalog_fit": ["data_fingerprint", "train_catalog"],
    "datasets": ["FORMATS", "OOS_LABEL", "detect_format", "load_dataset"],
    "embeddings": ["E5Embedder"],
    "fit": ["ClassifierTrainer", "make_tfidf"],
    "slot_tagger": ["SlotTagger"],
})
