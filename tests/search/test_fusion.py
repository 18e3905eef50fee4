"""Reciprocal-rank fusion on the client."""

from __future__ import annotations

import pytest

from skills.search import Hit, reciprocal_rank_fusion


def hits(*ids: str) -> list[Hit]:
    return [Hit(i, 10.0 - n, {"name": i}) for n, i in enumerate(ids)]


def test_a_document_high_in_both_lists_wins() -> None:
    fused = reciprocal_rank_fusion([hits("a", "b", "c"), hits("b", "d", "a")])
    assert [h.id for h in fused] == ["b", "a", "d", "c"]
    assert fused[0].score == pytest.approx(1 / 62 + 1 / 61)
    assert fused[0].fields == {"name": "b"}


def test_weights_and_limit() -> None:
    fused = reciprocal_rank_fusion([hits("a"), hits("b")], weights=[1.0, 2.0], limit=1)
    assert [h.id for h in fused] == ["b"]


def test_ties_keep_first_appearance_and_empty_lists_fuse_to_nothing() -> None:
    assert [h.id for h in reciprocal_rank_fusion([hits("x"), hits("y")])] == ["x", "y"]
    assert reciprocal_rank_fusion([[], []]) == []
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([hits("x")], weights=[1.0, 1.0])
