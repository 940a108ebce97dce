"""Verdict aggregation over per-passage stances."""

from __future__ import annotations

import pytest

from service.core.stance.verdict import aggregate, noisy_or


def test_supports_only_is_supported_and_more_witnesses_raise_confidence() -> None:
    one = aggregate([("supports", 0.8, 0.9), ("mentions", 0.5, 0.6)])
    two = aggregate([("supports", 0.8, 0.9), ("supports", 0.7, 0.8)])
    assert one.verdict == two.verdict == "supported"
    assert (one.supports, one.contradicts, one.mentions) == (1, 0, 1)
    assert one.confidence == pytest.approx(0.8)
    assert one.confidence < two.confidence < 1.0


def test_contradictions_only_is_contradicted() -> None:
    v = aggregate([("contradicts", 0.9, 0.8)])
    assert (v.verdict, v.contradicts) == ("contradicted", 1)


def test_both_sides_is_mixed_with_the_weaker_side_as_confidence() -> None:
    v = aggregate([("supports", 0.95, 0.9), ("contradicts", 0.6, 0.8)])
    assert v.verdict == "mixed"
    assert v.confidence == pytest.approx(0.6)


def test_mentions_only_or_nothing_is_unverified() -> None:
    assert aggregate([]).verdict == "unverified"
    assert aggregate([]).confidence > aggregate([("mentions", 0.5, 0.9)]).confidence
    assert aggregate([("mentions", 0.5, 0.9)]).verdict == "unverified"


def test_confidence_never_reaches_certainty() -> None:
    assert aggregate([("supports", 1.0, 1.0)] * 5).confidence < 1.0
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)


def test_a_side_that_is_probably_wrong_does_not_make_it_mixed() -> None:
    v = aggregate([("supports", 0.9, 0.9), ("contradicts", 0.35, 0.5)])
    assert v.verdict == "supported"
    assert (v.supports, v.contradicts) == (1, 1)
    assert v.confidence == pytest.approx(0.9 * 0.65)
    assert aggregate([("supports", 0.3, 0.9), ("contradicts", 0.8, 0.5)]).verdict == "contradicted"
