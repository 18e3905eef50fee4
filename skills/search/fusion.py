"""Reciprocal-rank fusion of ranked lists, done on the client so every backend fuses alike.

Elasticsearch's own ``rrf`` retriever needs an Enterprise licence, and BM25 and cosine scores
live on different scales anyway: only the ranks are combined, ``score = Σ w / (k + rank)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .types import Hit

__all__ = ["RRF_K", "reciprocal_rank_fusion"]

#: The constant of Cormack et al. (2009); larger values flatten the head of each list.
RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hit]],
    *,
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
    limit: int | None = None,
) -> list[Hit]:
    """Fuse ``rankings`` (each best first) into one list, best first.

    A hit keeps the fields of its first appearance; ties keep the order of first appearance,
    so the result is deterministic.
    """
    if weights is not None and len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    scores: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for i, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[i]
        for rank, hit in enumerate(ranking, start=1):
            scores[hit.id] = scores.get(hit.id, 0.0) + weight / (k + rank)
            first.setdefault(hit.id, hit)
    order = {hit_id: n for n, hit_id in enumerate(first)}
    fused = sorted(scores, key=lambda hit_id: (-scores[hit_id], order[hit_id]))
    if limit is not None:
        fused = fused[:limit]
    return [Hit(hit_id, scores[hit_id], first[hit_id].fields) for hit_id in fused]
