"""Lineage confidences through the fitted maps: probabilities, same order, identity without a file."""

from __future__ import annotations

import json
from pathlib import Path

from service.core.lineage import calibration as lcal
from service.core.stance.calibration import Calibration, MonotoneMap

MAPS = Calibration({
    "parent": MonotoneMap((0.3, 0.6, 0.9), (0.4, 0.7, 0.95)),
    "original": MonotoneMap((0.5, 0.9), (0.8, 0.99)),
    "origin": MonotoneMap((0.2, 0.9), (0.5, 0.97)),
})


def test_scores_become_probabilities_through_the_maps() -> None:
    assert lcal.parent_probability(0.6, MAPS) == 0.7
    assert lcal.parent_probability(0.75, MAPS) == 0.825  # between two points: linear
    assert lcal.original_probability(0.95, MAPS) == 0.99  # flat beyond the last point


def test_the_maps_never_reorder_parents() -> None:
    raw = [0.99, 0.62, 0.61, 0.3, 0.05]
    mapped = [lcal.parent_probability(r, MAPS) for r in raw]
    assert mapped == sorted(mapped, reverse=True)


def test_an_origin_is_the_product_of_calibrated_hops_then_its_own_map() -> None:
    hops = [0.9, 0.6]  # -> 0.95 * 0.7 = 0.665 -> origin map
    expected = 0.5 + (0.97 - 0.5) * (0.665 - 0.2) / (0.9 - 0.2)
    assert lcal.origin_probability(hops, MAPS) == round(expected, 4)
    assert lcal.origin_probability([], MAPS) == 0.97  # an original's chain: product 1


def test_without_a_file_every_score_passes_unchanged(tmp_path: Path) -> None:
    identity = lcal.lineage_calibration(str(tmp_path / "absent.json"))
    assert lcal.parent_probability(0.4321, identity) == 0.4321


def test_the_committed_maps_load_and_are_monotone() -> None:
    path = lcal.default_lineage_calibration_path()
    maps = json.loads(path.read_text())["maps"]
    assert set(maps) == set(lcal.MAP_NAMES)
    committed = lcal.lineage_calibration()
    for name in lcal.MAP_NAMES:
        values = [committed(name, x / 20) for x in range(21)]
        assert values == sorted(values) and all(0.0 <= v <= 1.0 for v in values)
