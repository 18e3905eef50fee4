"""Loaders for public intent / slot-filling benchmarks.

Five on-disk formats are understood (see ``shared/benchmarks/*/SOURCE.md``):

``clinc150``
    ``data_full.json``: ``{"train": [[text, intent], ...], "val": ..., "test": ...,
    "oos_train": ..., "oos_val": ..., "oos_test": ...}``. ``oos`` becomes :data:`OOS_LABEL`.
``hwu64``
    ``{train,valid,test}/seq.in`` + ``label`` (one utterance / intent a line).
``snips``
    like ``hwu64`` plus ``seq.out``: BIO slot tags, one per whitespace token.
``smp2019``
    ``{train,dev,test}.json``: ``[{"text", "intent", "entities": [{"type", "start_idx", "end_idx"}]}]``
    with inclusive character indexes.
``cais``
    ``{train,valid,test}/ch.<split>`` (CoNLL: ``char TAG`` lines, BIOES, blank line between
    utterances) + ``ch.<split>.intent``.

Slots are character spans ``(label, start, end)`` over ``Example.text`` (``end`` exclusive).
A split whose labels are missing on disk loads as an empty tuple.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FORMATS",
    "OOS_LABEL",
    "Dataset",
    "Example",
    "Slot",
    "detect_format",
    "load_dataset",
    "tags_to_spans",
]

FORMATS: tuple[str, ...] = ("clinc150", "hwu64", "snips", "smp2019", "cais")

#: The catalog name of "nothing can serve this" (``docs/intents.md``).
OOS_LABEL = "out_of_scope"

Slot = tuple[str, int, int]


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    slots: tuple[Slot, ...] | None = None


@dataclass(frozen=True)
class Dataset:
    name: str
    fmt: str
    train: tuple[Example, ...]
    valid: tuple[Example, ...]
    test: tuple[Example, ...]
    oos_label: str | None = None
    #: "en" or "zh"
    lang: str = "en"

    @property
    def has_slots(self) -> bool:
        return any(e.slots is not None for e in self.test)


def detect_format(path: Path) -> str:
    """Guess the format from the folder name, then from the files inside."""
    name = path.name.lower()
    for fmt in FORMATS:
        if fmt in name:
            return fmt
    if "clinc" in name or "oos" in name:
        return "clinc150"
    if "hwu" in name:
        return "hwu64"
    if "smp" in name:
        return "smp2019"
    # by content
    if (path / "data_full.json").exists():
        return "clinc150"
    if (path / "train" / "ch.train").exists():
        return "cais"
    if (path / "train" / "seq.out").exists():
        return "snips"
    if (path / "train" / "seq.in").exists():
        return "hwu64"
    if (path / "train.json").exists():
        return "smp2019"
    raise ValueError(f"cannot detect the dataset format of {path}; pass one of {FORMATS}")


def load_dataset(path: Path, fmt: str | None = None) -> Dataset:
    path = Path(path)
    fmt = fmt or detect_format(path)
    loader = _LOADERS.get(fmt)
    if loader is None:
        raise ValueError(f"unknown dataset format {fmt!r}; expected one of {FORMATS}")
    return loader(path)


# -- helpers -------------------------------------------------------------------------------


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def tags_to_spans(tags: Sequence[str], offsets: Sequence[tuple[int, int]]) -> tuple[Slot, ...]:
    """BIO / BIOES tags (one per token with char ``offsets``) → character spans.

    Lenient like conlleval: an ``I-``/``E-`` that does not continue the open span starts a new one.
    """
    spans: list[Slot] = []
    cur: list = []  # [label, start, end]

    def close() -> None:
        if cur:
            spans.append((cur[0], cur[1], cur[2]))
            cur.clear()

    for tag, (s, e) in zip(tags, offsets):
        tag = tag.strip()
        if not tag or tag == "O" or "-" not in tag:
            close()
            continue
        prefix, label = tag.split("-", 1)
        prefix = prefix.upper()
        if prefix in ("B", "S") or not cur or cur[0] != label:
            close()
            cur[:] = [label, s, e]
        else:
            cur[2] = e
        if prefix in ("S", "E"):
            close()
    close()
    return tuple(spans)


def _token_offsets(tokens: Sequence[str], sep: str) -> tuple[str, list[tuple[int, int]]]:
    offs: list[tuple[int, int]] = []
    pos = 0
    for i, t in enumerate(tokens):
        if i:
            pos += len(sep)
        offs.append((pos, pos + len(t)))
        pos += len(t)
    return sep.join(tokens), offs


# -- formats -------------------------------------------------------------------------------


def _clinc(path: Path) -> Dataset:
    f = path / "data_full.json" if path.is_dir() else path
    data = json.loads(f.read_text(encoding="utf-8"))

    def split(*keys: str) -> tuple[Example, ...]:
        out = []
        for k in keys:
            for text, intent in data.get(k, []):
                out.append(Example(text, OOS_LABEL if intent == "oos" else intent))
        return tuple(out)

    return Dataset(
        name=path.name,
        fmt="clinc150",
        train=split("train", "oos_train"),
        valid=split("val", "oos_val"),
        test=split("test", "oos_test"),
        oos_label=OOS_LABEL,
    )


def _seq_split(d: Path, with_slots: bool) -> tuple[Example, ...]:
    if not (d / "seq.in").exists() or not (d / "label").exists():
        return ()
    texts = _lines(d / "seq.in")
    labels = _lines(d / "label")
    if len(texts) != len(labels):
        raise ValueError(f"{d}: seq.in has {len(texts)} lines, label has {len(labels)}")
    outs = _lines(d / "seq.out") if with_slots and (d / "seq.out").exists() else None
    res = []
    for i, (t, lab) in enumerate(zip(texts, labels)):
        toks = t.split()
        text, offs = _token_offsets(toks, " ")
        slots = None
        if outs is not None:
            tags = outs[i].split()
            if len(tags) != len(toks):
                raise ValueError(f"{d}: line {i + 1}: {len(toks)} tokens but {len(tags)} tags")
            slots = tags_to_spans(tags, offs)
        res.append(Example(text, lab.strip(), slots))
    return tuple(res)


def _seq(path: Path, fmt: str) -> Dataset:
    with_slots = fmt == "snips"
    return Dataset(
        name=path.name,
        fmt=fmt,
        train=_seq_split(path / "train", with_slots),
        valid=_seq_split(path / "valid", with_slots),
        test=_seq_split(path / "test", with_slots),
    )


def _smp_split(f: Path) -> tuple[Example, ...]:
    if not f.exists():
        return ()
    out = []
    for r in json.loads(f.read_text(encoding="utf-8")):
        ents = r.get("entities")
        slots = None
        if ents is not None:
            slots = tuple(
                sorted((e["type"], int(e["start_idx"]), int(e["end_idx"]) + 1) for e in ents)
            )
        out.append(Example(r["text"], r["intent"], slots))
    return tuple(out)


def _smp(path: Path) -> Dataset:
    valid = path / "dev.json" if (path / "dev.json").exists() else path / "valid.json"
    return Dataset(
        name=path.name,
        fmt="smp2019",
        train=_smp_split(path / "train.json"),
        valid=_smp_split(valid),
        test=_smp_split(path / "test.json"),
        lang="zh",
    )


def _conll_blocks(lines: Iterable[str]) -> list[list[tuple[str, str]]]:
    blocks: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in lines:
        parts = line.split()
        if not parts:
            if cur:
                blocks.append(cur)
                cur = []
            continue
        ch = parts[0]
        tag = parts[1] if len(parts) > 1 else "O"
        cur.append((ch, tag))
    if cur:
        blocks.append(cur)
    return blocks


def _cais_split(d: Path, split: str) -> tuple[Example, ...]:
    f = d / f"ch.{split}"
    fi = d / f"ch.{split}.intent"
    if not f.exists() or not fi.exists():
        return ()
    blocks = _conll_blocks(_lines(f))
    intents = [x.strip() for x in _lines(fi) if x.strip()]
    if len(blocks) != len(intents):
        raise ValueError(f"{d}: {len(blocks)} utterances but {len(intents)} intents")
    out = []
    for blk, intent in zip(blocks, intents):
        text, offs = _token_offsets([c for c, _ in blk], "")
        out.append(Example(text, intent, tags_to_spans([t for _, t in blk], offs)))
    return tuple(out)


def _cais(path: Path) -> Dataset:
    return Dataset(
        name=path.name,
        fmt="cais",
        train=_cais_split(path / "train", "train"),
        valid=_cais_split(path / "valid", "valid"),
        test=_cais_split(path / "test", "test"),
        lang="zh",
    )


_LOADERS = {
    "clinc150": _clinc,
    "hwu64": lambda p: _seq(p, "hwu64"),
    "snips": lambda p: _seq(p, "snips"),
    "smp2019": _smp,
    "cais": _cais,
}
