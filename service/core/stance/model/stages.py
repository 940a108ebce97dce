"""The scoring stages of the learned stance model: logistic regression and boosted trees in numpy.

A stage turns feature rows into calibrated probabilities: raw scores, divided by a calibration
temperature, plus a per-output bias. The weights are trained with scikit-learn by
``bench/train_stance.py`` and written to the model file as JSON, so serving needs only numpy.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np


def _softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of scores, shifted by the row maximum for stability."""
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out


def _round(a: np.ndarray, digits: int = 6) -> list[Any]:
    """An array as nested lists rounded to ``digits``, for the committed model file."""
    out: list[Any] = np.round(a, digits).tolist()
    return out


class Stage(ABC):
    """A scoring stage: raw scores, then a calibration temperature and per-output bias.

    One output column means a binary stage (its probability of the positive class); k columns
    a multinomial one (softmax). ``logits = raw / temperature + bias``.
    """

    temperature: float
    bias: np.ndarray

    @abstractmethod
    def raw(self, x: np.ndarray) -> np.ndarray:
        """Uncalibrated scores for the rows of ``x``, shape (n, outputs)."""

    @abstractmethod
    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form."""

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Calibrated scores, shape (n, outputs)."""
        z: np.ndarray = self.raw(np.atleast_2d(x)) / self.temperature + self.bias
        return z

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probabilities: (n, 2) for a binary stage, (n, k) for a multinomial one."""
        z = self.logits(x)
        if z.shape[1] == 1:
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p1, p1], axis=1)
        return _softmax(z)

    @staticmethod
    def from_json(js: dict[str, Any]) -> Stage:
        """Build the stage kind named by ``js["kind"]``."""
        kind = js.get("kind", "logistic")
        if kind == "logistic":
            return LogisticStage.from_json(js)
        if kind == "trees":
            return TreeStage.from_json(js)
        raise ValueError(f"unknown stance model stage kind {kind!r}")


class LogisticStage(Stage):
    """A standardised logistic regression (binary or multinomial)."""

    def __init__(
        self,
        mean: np.ndarray,
        scale: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        temperature: float = 1.0,
        bias: np.ndarray | None = None,
    ) -> None:
        self.mean = np.asarray(mean, dtype=float)
        self.scale = np.asarray(scale, dtype=float)
        self.coef = np.atleast_2d(np.asarray(coef, dtype=float))  # (outputs, features)
        self.intercept = np.atleast_1d(np.asarray(intercept, dtype=float))
        self.temperature = float(temperature)
        self.bias = np.zeros(len(self.intercept)) if bias is None else np.asarray(bias, dtype=float)

    @classmethod
    def from_json(cls, js: dict[str, Any]) -> LogisticStage:
        """Build a stage from its JSON form (as written by ``to_json``)."""
        return cls(js["mean"], js["scale"], js["coef"], js["intercept"], js["temperature"], js["bias"])

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form, rounded to keep the committed file small."""
        return {
            "kind": "logistic",
            "mean": _round(self.mean),
            "scale": _round(self.scale),
            "coef": _round(self.coef),
            "intercept": _round(self.intercept),
            "temperature": round(self.temperature, 6),
            "bias": _round(self.bias),
        }

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Linear scores of the standardised features."""
        z: np.ndarray = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        return z


class TreeStage(Stage):
    """Gradient-boosted regression trees (exported from scikit-learn), evaluated with numpy.

    All trees are walked at once, one level per step, so a stage of a few hundred shallow trees
    costs a handful of vectorised operations per document.
    """

    def __init__(
        self,
        baseline: np.ndarray,
        output: np.ndarray,
        feature: np.ndarray,
        threshold: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        value: np.ndarray,
        temperature: float = 1.0,
        bias: np.ndarray | None = None,
    ) -> None:
        self.baseline = np.atleast_1d(np.asarray(baseline, dtype=float))
        self.output = np.asarray(output, dtype=np.intp)  # (trees,) output column of each tree
        self.feature = np.asarray(feature, dtype=np.intp)  # (trees, nodes); -1 marks a leaf
        self.threshold = np.asarray(threshold, dtype=float)
        self.left = np.asarray(left, dtype=np.intp)
        self.right = np.asarray(right, dtype=np.intp)
        self.value = np.asarray(value, dtype=float)
        self.temperature = float(temperature)
        self.bias = np.zeros(len(self.baseline)) if bias is None else np.asarray(bias, dtype=float)

    @classmethod
    def from_json(cls, js: dict[str, Any]) -> TreeStage:
        """Build a stage from its JSON form (as written by ``to_json``)."""
        return cls(
            js["baseline"],
            js["output"],
            js["feature"],
            js["threshold"],
            js["left"],
            js["right"],
            js["value"],
            js["temperature"],
            js["bias"],
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form (thresholds at full precision so no split flips)."""
        return {
            "kind": "trees",
            "baseline": _round(self.baseline),
            "output": self.output.tolist(),
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": _round(self.value),
            "temperature": round(self.temperature, 6),
            "bias": _round(self.bias),
        }

    def _flatten(self) -> None:
        """Global node ids (tree * width + node); a leaf points to itself, so walking stops there."""
        n_trees, width = self.feature.shape
        base = (np.arange(n_trees) * width)[:, None]
        leaf = self.feature < 0
        own = base + np.arange(width)[None, :]
        self._feat = np.where(leaf, 0, self.feature).ravel()
        self._thr = np.where(leaf, np.inf, self.threshold).ravel()
        self._left = np.where(leaf, own, base + self.left).ravel()
        self._right = np.where(leaf, own, base + self.right).ravel()
        self._value = self.value.ravel()
        self._roots = base.ravel()
        depth, node = 0, self._roots
        while True:
            nxt = np.concatenate([self._left[node], self._right[node]])
            moved = nxt != np.concatenate([node, node])
            if not moved.any():
                break
            node, depth = np.unique(nxt[moved]), depth + 1
        self._depth = depth
        self._onehot = np.zeros((n_trees, len(self.baseline)))
        self._onehot[np.arange(n_trees), self.output] = 1.0

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Sum of the leaf values reached in every tree, per output, plus the baseline."""
        if not hasattr(self, "_depth"):
            self._flatten()
        rows = np.arange(len(x))[:, None]
        node = np.broadcast_to(self._roots, (len(x), len(self._roots)))
        for _ in range(self._depth):
            go_left = x[rows, self._feat[node]] <= self._thr[node]
            node = np.where(go_left, self._left[node], self._right[node])
        out: np.ndarray = self._value[node] @ self._onehot + self.baseline
        return out
