"""Calibration maps: monotone interpolation, isotonic fitting, ECE, and the identity fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.stance import calibration as cal


def test_a_monotone_map_interpolates_and_is_flat_beyond_its_ends() -> None:
    m = cal.MonotoneMap((0.2, 0.6), (0.1, 0.5))
    assert m(0.0) == 0.1 and m(1.0) == 0.5
    assert m(0.4) == pytest.approx(0.3)
    assert m(0.2) == pytest.approx(0.1)


def test_a_decreasing_map_is_refused() -> None:
    with pytest.raises(ValueError):
        cal.MonotoneMap((0.1, 0.9), (0.8, 0.2))
    with pytest.raises(ValueError):
        cal.MonotoneMap((), ())


def test_isotonic_fit_recovers_the_observed_rates() -> None:
    # low scores are right one time in four, high scores three times in four
    scores = [0.1] * 40 + [0.9] * 40
    outcomes = [i % 4 == 0 for i in range(40)] + [i % 4 != 0 for i in range(40)]
    m = cal.fit_isotonic(scores, outcomes, min_bin=10)
    assert m(0.1) == pytest.approx(0.25)
    assert m(0.9) == pytest.approx(0.75)
    assert all(a <= b for a, b in zip(m.ys, m.ys[1:], strict=False))


def test_isotonic_fit_pools_a_violation_and_small_blocks() -> None:
    # a higher score that is right less often is pooled with its neighbour
    m = cal.fit_isotonic([0.2] * 30 + [0.5] * 30, [True] * 15 + [False] * 15 + [False] * 30, min_bin=10)
    assert len(m.xs) == 1 and m(0.3) == pytest.approx(0.25)


def test_ece_is_zero_when_confidence_equals_the_share_right_and_large_when_overconfident() -> None:
    right = [True, True, True, False] * 5
    assert cal.expected_calibration_error([0.75] * 20, right) == pytest.approx(0.0)
    assert cal.expected_calibration_error([0.99] * 20, [False] * 20) == pytest.approx(0.99)
    assert cal.expected_calibration_error([], []) == 0.0


def test_a_name_without_a_map_passes_its_score_through() -> None:
    c = cal.Calibration({"rule.supports": cal.MonotoneMap((0.0, 1.0), (0.2, 0.4))})
    assert c("rule.supports", 0.5) == pytest.approx(0.3)
    assert c("model.contradicts", 0.77) == 0.77


def test_calibration_round_trips_through_json(tmp_path: Path) -> None:
    c = cal.Calibration({"verdict.unverified": cal.MonotoneMap((0.5, 0.99), (0.3, 0.6))}, {"note": "x"})
    path = tmp_path / "c.json"
    path.write_text(__import__("json").dumps(c.to_json()))
    back = cal.load_calibration(str(path))
    assert back("verdict.unverified", 0.99) == pytest.approx(0.6)
    assert back.meta == {"note": "x"}


def test_a_missing_calibration_file_means_identity(tmp_path: Path) -> None:
    c = cal.load_calibration(str(tmp_path / "absent.json"))
    assert c("rule.contradicts", 0.42) == 0.42


def test_the_shipped_maps_are_probabilities() -> None:
    shipped = cal.load_calibration()
    for name, m in shipped.maps.items():
        assert all(0.0 <= y <= 1.0 for y in m.ys), name
