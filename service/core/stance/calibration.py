"""Calibrated confidences: score -> probability maps fitted on held-out data.

A statement check reports two kinds of confidence, each a probability of being right
(``docs/checking.md`` defines them):

* an evidence item's ``confidence``: the probability that the item's document takes that stance
  towards the statement (supports / contradicts / only mentions it), as annotators of stance
  data sets label a whole document;
* the verdict's ``confidence``: the probability that the verdict is right, where the right
  verdict for a corpus is ``supported`` when some document in it supports the statement and none
  contradicts it, ``contradicted`` for the reverse, ``mixed`` for both and ``unverified`` for
  neither.

The raw scores (rule and model probabilities, noisy-OR of the evidence) are mapped through
monotone, piecewise-linear maps fitted by isotonic regression on held-out parts of the train
splits (``bench/calibrate_check.py``, which also reports the expected calibration error). The
maps live in ``model/check_calibration.json``; without that file every score passes unchanged.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

CALIBRATION_FILE = "check_calibration.json"


@dataclass(frozen=True, slots=True)
class MonotoneMap:
    """A non-decreasing, piecewise-linear map of [0, 1] onto [0, 1] through the points ``(xs, ys)``."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.xs) != len(self.ys) or not self.xs:
            raise ValueError("a calibration map needs as many x as y points, at least one")
        if any(b < a for a, b in zip(self.xs, self.xs[1:], strict=False)) or any(
            b < a for a, b in zip(self.ys, self.ys[1:], strict=False)
        ):
            raise ValueError("a calibration map must be non-decreasing")

    def __call__(self, score: float) -> float:
        """The calibrated probability of ``score`` (flat beyond the end points)."""
        xs, ys = self.xs, self.ys
        if score <= xs[0]:
            return ys[0]
        if score >= xs[-1]:
            return ys[-1]
        i = bisect.bisect_right(xs, score)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (score - x0) / (x1 - x0)

    def to_json(self) -> dict[str, list[float]]:
        """JSON-serialisable form."""
        return {"x": [round(v, 4) for v in self.xs], "y": [round(v, 4) for v in self.ys]}

    @classmethod
    def from_json(cls, js: dict[str, Sequence[float]]) -> MonotoneMap:
        """Build a map from its JSON form."""
        return cls(tuple(float(v) for v in js["x"]), tuple(float(v) for v in js["y"]))


@dataclass(frozen=True)
class Calibration:
    """Named score -> probability maps; a name without a map passes its score through unchanged."""

    maps: dict[str, MonotoneMap] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __call__(self, name: str, score: float) -> float:
        """The calibrated probability of ``score`` under the map ``name`` (identity when absent)."""
        m = self.maps.get(name)
        return m(score) if m is not None else score

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return {"maps": {k: m.to_json() for k, m in sorted(self.maps.items())}, "meta": self.meta}

    @classmethod
    def from_json(cls, js: dict[str, Any]) -> Calibration:
        """Build the calibration from its JSON form."""
        return cls({k: MonotoneMap.from_json(v) for k, v in js.get("maps", {}).items()}, dict(js.get("meta", {})))


def default_calibration_path() -> Path:
    """Where the committed calibration file lives inside the package."""
    return Path(str(resources.files("service.core.stance.model").joinpath(CALIBRATION_FILE)))


@lru_cache(maxsize=4)
def load_calibration(path: str | None = None) -> Calibration:
    """The calibration maps from ``path`` or the committed file (cached); identity maps when it is absent."""
    p = Path(path) if path else default_calibration_path()
    if not p.is_file():
        return Calibration()
    return Calibration.from_json(json.loads(p.read_text(encoding="utf-8")))


def fit_isotonic(scores: Sequence[float], outcomes: Sequence[bool], min_bin: int = 20) -> MonotoneMap:
    """Isotonic regression (pool adjacent violators) of 0/1 outcomes on scores, as a ``MonotoneMap``.

    Blocks are merged until each holds at least ``min_bin`` observations, so the map does not
    chase noise at its ends; each block becomes one point at its mean score.
    """
    if len(scores) != len(outcomes) or not scores:
        raise ValueError("isotonic fit needs as many outcomes as scores, at least one")
    tied: dict[float, list[float]] = {}  # equal scores start as one block
    for s, o in zip(scores, outcomes, strict=True):
        t = tied.setdefault(float(s), [0.0, 0.0, 0.0])
        t[0] += float(s)
        t[1] += float(o)
        t[2] += 1.0
    blocks: list[list[float]] = []  # [sum of scores, sum of outcomes, count]
    for key in sorted(tied):
        blocks.append(tied[key])
        while len(blocks) > 1 and (
            blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2] or blocks[-2][2] < min_bin
        ):
            s2, o2, n2 = blocks.pop()
            blocks[-1][0] += s2
            blocks[-1][1] += o2
            blocks[-1][2] += n2
    while len(blocks) > 1 and blocks[-1][2] < min_bin:
        s2, o2, n2 = blocks.pop()
        blocks[-1][0] += s2
        blocks[-1][1] += o2
        blocks[-1][2] += n2
    xs = tuple(b[0] / b[2] for b in blocks)
    ys = tuple(b[1] / b[2] for b in blocks)
    # merging only by size can leave a decreasing step behind: restore monotonicity
    fixed: list[float] = []
    for y in ys:
        fixed.append(max(y, fixed[-1]) if fixed else y)
    return MonotoneMap(xs, tuple(fixed))


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error over equal-width confidence bins (the gap between the mean
    confidence and the share correct in each bin, weighted by the bin's size)."""
    n = len(confidences)
    if n == 0:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == lo)]
        if idx:
            mean_conf = sum(confidences[i] for i in idx) / len(idx)
            share = sum(1 for i in idx if correct[i]) / len(idx)
            total += len(idx) / n * abs(mean_conf - share)
    return total
