"""Recomputing lineage: what a stored link gives resolution."""

from __future__ import annotations

from service.provenance.recompute import passage_maps


def test_passage_maps_keep_each_sides_best_similarity() -> None:
    pairs = [[0, 3, 0.8, "near", []], [0, 4, 1.0, "verbatim", []], [2, 4, 0.6, "paraphrase", []]]
    a, b = passage_maps(pairs)
    assert a == {0: 1.0, 2: 0.6}
    assert b == {3: 0.8, 4: 1.0}
    assert passage_maps(None) == ({}, {})
