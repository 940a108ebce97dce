"""Lineage confidences as probabilities: score -> probability maps fitted on corpora of known lineage.

The lineage step scores its choices from hand-set weights (``resolve.py``): a parent's score mixes
how sure the direction is with how much text backs the link, an original's score is the weakest
direction among the links it is the source of, and an origin's is the product of its hops. Those
scores order choices well but are not probabilities. The API reports each one through a
monotone map fitted by isotonic regression on generated corpora whose true lineage is known
(``bench/calibrate_lineage.py``, on seeds other than the ones the benchmarks report), so that:

* ``parent`` -- a listed parent's ``confidence`` is the probability that it is a right parent
  of the document (the true parent, or a verbatim copy of it, which no text can tell apart);
* ``original`` -- an original's ``confidence`` is the probability that it has no parent in
  the corpus;
* ``origin`` -- a derivative's ``origin.confidence`` is the probability that the end of its
  chain is the true original report (fitted on the product of the calibrated hop probabilities).

The maps are monotone, so they never change which parent comes first or what a threshold on the
raw scores would keep in order. Without the file every score passes unchanged. Reusing the
statement check's ``MonotoneMap``/``Calibration`` keeps one implementation of the maps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from service.core.stance.calibration import Calibration

LINEAGE_CALIBRATION_FILE = "lineage_calibration.json"
MAP_NAMES = ("parent", "original", "origin")


def default_lineage_calibration_path() -> Path:
    """Where the committed lineage calibration lives inside the package."""
    return Path(str(resources.files("service.core.lineage").joinpath(LINEAGE_CALIBRATION_FILE)))


@lru_cache(maxsize=4)
def lineage_calibration(path: str | None = None) -> Calibration:
    """The lineage maps from ``path`` or the committed file (cached); identity maps when absent."""
    p = Path(path) if path else default_lineage_calibration_path()
    if not p.is_file():
        return Calibration()
    return Calibration.from_json(json.loads(p.read_text(encoding="utf-8")))


def parent_probability(score: float, calibration: Calibration | None = None) -> float:
    """Probability that a listed parent with this stored score is a right parent."""
    cal = calibration if calibration is not None else lineage_calibration()
    return round(cal("parent", score), 4)


def original_probability(score: float, calibration: Calibration | None = None) -> float:
    """Probability that a document the lineage calls original (with this score) has no parent."""
    cal = calibration if calibration is not None else lineage_calibration()
    return round(cal("original", score), 4)


def origin_probability(hop_scores: Iterable[float], calibration: Calibration | None = None) -> float:
    """Probability that the end of a chain whose hops have these stored scores is the true origin."""
    cal = calibration if calibration is not None else lineage_calibration()
    product = 1.0
    for score in hop_scores:
        product *= cal("parent", score)
    return round(cal("origin", product), 4)
