"""An inverted index over short names (titles, aliases, artists) with fuzzy, sound-alike keys.

Each name is one entry; its keys come from :func:`text.keys`. A query is scored against the
entries that share a key by a weighted Dice coefficient (shared key weight over both names' key
weight, keys weighted by inverse document frequency), accumulated over posting lists in numpy.
The work per query is bounded by the posting lists of its keys, not by the catalogue: very
common keys (``w:the``, the syllable ``de``) are skipped once rarer keys are in hand.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .text import keys

#: Postings read per query at most, once the rarest keys have been read (they always are).
POSTINGS_BUDGET = 20000
#: Keys always read whatever their posting lists cost.
RAREST_KEYS = 3


@dataclass(frozen=True)
class EntryHit:
    """An entry (index into the names given to :class:`NameIndex`) and its 0..1 score."""

    entry: int
    score: float


class NameIndex:
    """Key -> entries posting lists over a fixed list of names."""

    def __init__(self, names: Sequence[str]) -> None:
        postings: dict[str, list[int]] = defaultdict(list)
        entry_keys: list[frozenset[str]] = []
        for entry, name in enumerate(names):
            found = keys(name)
            entry_keys.append(found)
            for key in found:
                postings[key].append(entry)
        self.size = len(names)
        self._max_idf = math.log(1 + max(1, self.size))
        self._postings = {key: np.asarray(ids, dtype=np.int32) for key, ids in postings.items()}
        self._idf = {key: math.log(1 + self.size / len(ids)) for key, ids in postings.items()}
        self._weight = np.asarray([sum(self._idf[k] for k in found) for found in entry_keys], dtype=np.float64)

    def idf(self, key: str) -> float:
        """Weight of a key; keys no name has weigh the most (they are the most specific)."""
        return self._idf.get(key, self._max_idf)

    def search(self, query: str, k: int = 50) -> list[EntryHit]:
        """The ``k`` entries most similar to ``query``, best first."""
        qkeys = keys(query)
        if not qkeys or not self.size:
            return []
        qweight = sum(self.idf(key) for key in qkeys)
        present = sorted((key for key in qkeys if key in self._postings), key=lambda key: len(self._postings[key]))
        chosen: list[str] = []
        read = 0
        for n, key in enumerate(present):
            cost = len(self._postings[key])
            if n >= RAREST_KEYS and read + cost > POSTINGS_BUDGET:
                continue
            chosen.append(key)
            read += cost
        if not chosen:
            return []
        ids = np.concatenate([self._postings[key] for key in chosen])
        weights = np.concatenate([np.full(len(self._postings[key]), self._idf[key]) for key in chosen])
        entries, inverse = np.unique(ids, return_inverse=True)
        shared = np.bincount(inverse, weights=weights)
        scores = 2 * shared / (qweight + self._weight[entries])
        top = np.argsort(-scores)[:k] if len(scores) <= k else np.argpartition(-scores, k)[:k]
        order = top[np.argsort(-scores[top], kind="stable")]
        return [EntryHit(int(entries[i]), float(scores[i])) for i in order]
