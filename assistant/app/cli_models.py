"""``assistant train`` and ``assistant bench-nlu``: the small model's commands."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from intents.model.catalog import MODEL_DIR
from intents.training.bench_nlu import run_bench, train_dataset
from intents.training.catalog_fit import train_catalog
from intents.training.datasets import FORMATS


def add_parsers(sub: argparse._SubParsersAction) -> None:
    train = sub.add_parser("train", help="retrain the catalog model (default) or train on a public dataset")
    train.add_argument("--dataset", help="a dataset folder (clinc150, hwu64, snips, smp2019, cais layouts)")
    train.add_argument("--format", choices=FORMATS, help="the dataset's format (default: from the folder name)")
    train.add_argument("--model", choices=("tfidf", "cascade", "encoder"), default="tfidf",
                       help="cascade needs the embeddings extra; encoder (the English MiniLM) the train extra")
    train.add_argument("--out", help="where to write the artifact (default: the packaged model / DATASET.npz)")
    train.add_argument("--epochs", type=int, help="encoder only (default: the shipped recipe's)")

    bench = sub.add_parser("bench-nlu", help="train and test the small model on each public dataset found")
    bench.add_argument("--data", required=True, help="folder of dataset folders (clinc150/, hwu64/, snips/, smp2019/, cais/)")
    bench.add_argument("--datasets", help="comma-separated subset, e.g. clinc150,cais")
    bench.add_argument("--model", choices=("tfidf", "cascade"), default="tfidf")
    bench.add_argument("--json", action="store_true", help="one JSON line per dataset (the default prints a table)")


def run_train(args: argparse.Namespace) -> int:
    if args.model == "encoder":
        try:
            summary = _train_encoder(args)
        except ModuleNotFoundError as err:  # the train extra is never part of make setup
            print(f"training the encoder needs the train extra (pip install -e '.[train]'): {err}")
            return 2
    elif args.dataset:
        dataset = Path(args.dataset)
        out = Path(args.out or f"{dataset.name}.npz")
        summary = train_dataset(dataset, args.format, out, model=args.model)
    else:
        summary = train_catalog(args.out or MODEL_DIR)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _train_encoder(args: argparse.Namespace) -> dict:
    """Fine-tune the English encoder: on the catalog (the shipped artifact) or, with a dataset, train and test."""
    from intents.training import encoder  # torch and transformers: only this command needs them

    epochs = args.epochs or encoder.EPOCHS
    if args.dataset:
        return encoder.bench_dataset(Path(args.dataset), args.format, epochs, threads=1)
    summary = encoder.train(Path(args.out) if args.out else encoder.MODEL_DIR, epochs)
    return {k: v for k, v in summary.items() if k != "classes"}


BENCH_FIELDS = ("dataset", "accuracy", "oos_recall", "slot_f1", "p50_ms", "p95_ms", "train_s")


def run_bench_nlu(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.datasets.split(",")] if args.datasets else None
    rows = 0
    for row in run_bench(Path(args.data), names, model=args.model):
        rows += 1
        line = {k: row.get(k) for k in BENCH_FIELDS}
        if args.json:
            print(json.dumps(line), flush=True)
        else:
            print("  ".join(f"{k}={v}" for k, v in line.items()), flush=True)
    if not rows:
        print(f"no dataset found under {args.data}")
        return 1
    return 0
