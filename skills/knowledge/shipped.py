"""The manuals that ship with the package (the demo home's products) and their ready-made vectors.

Embedding the ~1,000 units of the shipped manuals takes 20-40 s on two cores; the vectors are
the same on every machine, so they ship too (``manuals/vectors.npz``, float16, keyed by the
SHA-1 of the embedded text and stamped with the encoder's name). A unit whose text changed, or
a different encoder, is simply embedded again at first start. ``python -m
skills.knowledge.shipped`` rebuilds the file after the manuals change.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from skills.search.embeddings import TextEncoder, shared_encoder

from .chunking import chunk_source, document_meta, passage_text
from .documents import read_source

__all__ = ["MANUALS_DIR", "VECTORS_FILE", "VectorCache", "shipped_manuals"]

_LOGGER = logging.getLogger(__name__)

MANUALS_DIR = Path(__file__).with_name("manuals")
VECTORS_FILE = MANUALS_DIR / "vectors.npz"


def shipped_manuals(folder: Path = MANUALS_DIR) -> list[Path]:
    """The manual files, sorted by name."""
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Passage vectors by text, valid for one encoder (``encoder_name``)."""

    def __init__(self, encoder_name: str, vectors: dict[str, np.ndarray] | None = None) -> None:
        self.encoder_name = encoder_name
        self.vectors = vectors or {}

    @classmethod
    def load(cls, path: Path, encoder_name: str) -> VectorCache:
        if not path.exists():
            return cls(encoder_name)
        with np.load(path, allow_pickle=False) as data:
            if str(data["encoder"]) != encoder_name:
                _LOGGER.info("shipped vectors were made by %s, not %s: re-embedding", data["encoder"], encoder_name)
                return cls(encoder_name)
            return cls(encoder_name, dict(zip(data["keys"].tolist(), data["vectors"].astype(np.float32))))

    def save(self, path: Path) -> None:
        keys = sorted(self.vectors)
        np.savez_compressed(path, encoder=np.array(self.encoder_name), keys=np.array(keys),
                            vectors=np.vstack([self.vectors[k] for k in keys]).astype(np.float16))

    async def embed(self, texts: Sequence[str], encoder: TextEncoder) -> np.ndarray:
        """Vectors of ``texts``: from the cache where it has them, encoded (and kept) otherwise."""
        missing = list(dict.fromkeys(t for t in texts if _key(t) not in self.vectors))
        if missing:
            _LOGGER.info("embedding %d passages (%d from the cache)", len(missing), len(texts) - len(missing))
            for text, vector in zip(missing, await encoder.passages(missing)):
                self.vectors[_key(text)] = vector
        return np.vstack([self.vectors[_key(t)] for t in texts]) if texts else np.zeros((0, encoder.dims), np.float32)


async def _rebuild() -> None:
    encoder = shared_encoder()
    cache = VectorCache(encoder.name)
    for path in shipped_manuals():
        source = await read_source(path)
        meta = document_meta(source)
        await cache.embed([passage_text(meta, c) for c in chunk_source(source, meta)], encoder)
    cache.save(VECTORS_FILE)
    _LOGGER.info("wrote %d vectors to %s", len(cache.vectors), VECTORS_FILE)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(_rebuild())
