"""The fitted pair-similarity model: plain JSON weights, evaluated with numpy (no pickles, no sklearn).

A model file holds one entry per predicted dimension (``overall``, ``geography``, ...). Each entry
is a ridge regression over the features plus chosen products of features, optionally blended with
a small gradient-boosted tree ensemble::

    {"ridge": {"interactions": [[i, j], ...], "mean": [...], "scale": [...], "coef": [...],
               "intercept": 2.7},
     "trees": {"init": 2.7, "learning_rate": 0.05,
               "trees": [{"feature": [...], "threshold": [...], "left": [...], "right": [...],
                          "value": [...]}, ...]},
     "blend": {"ridge": 0.5, "trees": 0.5}}

``scripts/train_similarity.py`` writes it; ``docs/evaluation.md`` says how it was fitted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.errors import ConfigError

__all__ = ["DimensionModel", "RidgeModel", "SimilarityModel", "TreeEnsemble", "load_model"]

FORMAT = "storyline.similarity-model"

Matrix = npt.NDArray[np.float64]


def _array(values: Any, dtype: type = np.float64) -> npt.NDArray[Any]:
    return np.asarray(values, dtype=dtype)


@dataclass(frozen=True, slots=True, eq=False)
class RidgeModel:
    interactions: npt.NDArray[np.int64]
    mean: Matrix
    scale: Matrix
    coef: Matrix
    intercept: float

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> RidgeModel:
        pairs = _array(obj.get("interactions") or np.zeros((0, 2)), np.int64).reshape(-1, 2)
        mean, scale, coef = _array(obj["mean"]), _array(obj["scale"]), _array(obj["coef"])
        return cls(pairs, mean, scale, coef, float(obj["intercept"]))

    def predict(self, x: Matrix) -> Matrix:
        expanded = np.hstack([x, x[:, self.interactions[:, 0]] * x[:, self.interactions[:, 1]]])
        return ((expanded - self.mean) / self.scale) @ self.coef + self.intercept


@dataclass(frozen=True, slots=True, eq=False)
class TreeEnsemble:
    init: float
    learning_rate: float
    feature: npt.NDArray[np.int64]  # (n_trees, n_nodes), -1 at leaves
    threshold: Matrix
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: Matrix
    depth: int

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> TreeEnsemble:
        trees = obj["trees"]
        width = max(len(t["feature"]) for t in trees)

        def pad(key: str, fill: float, dtype: type) -> npt.NDArray[Any]:
            return _array([list(t[key]) + [fill] * (width - len(t[key])) for t in trees], dtype)

        return cls(
            init=float(obj["init"]),
            learning_rate=float(obj["learning_rate"]),
            feature=pad("feature", -1, np.int64),
            threshold=pad("threshold", 0.0, np.float64),
            left=pad("left", -1, np.int64),
            right=pad("right", -1, np.int64),
            value=pad("value", 0.0, np.float64),
            depth=int(obj.get("max_depth", 8)),
        )

    def predict(self, x: Matrix) -> Matrix:
        n_trees = self.feature.shape[0]
        rows = np.arange(len(x))[:, None]
        tree = np.arange(n_trees)[None, :]
        node = np.zeros((len(x), n_trees), dtype=np.int64)
        for _ in range(self.depth):
            feature = self.feature[tree, node]
            inner = feature >= 0
            if not inner.any():
                break
            goes_left = x[rows, np.where(inner, feature, 0)] <= self.threshold[tree, node]
            step = np.where(goes_left, self.left[tree, node], self.right[tree, node])
            node = np.where(inner, step, node)
        total: Matrix = self.value[tree, node].sum(axis=1)
        return self.init + self.learning_rate * total


@dataclass(frozen=True, slots=True, eq=False)
class DimensionModel:
    """The predictor of one dimension, on the gold scale (1 = same story, 4 = unrelated)."""

    ridge: RidgeModel
    trees: TreeEnsemble | None
    ridge_weight: float
    trees_weight: float

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> DimensionModel:
        trees = TreeEnsemble.from_json(obj["trees"]) if obj.get("trees") else None
        blend = obj.get("blend", {"ridge": 1.0, "trees": 0.0})
        return cls(RidgeModel.from_json(obj["ridge"]), trees, float(blend["ridge"]), float(blend["trees"]))

    def predict(self, x: Matrix) -> Matrix:
        """Predictions for the rows of ``x`` (clipped to 1..4)."""
        out = self.ridge_weight * self.ridge.predict(x)
        if self.trees is not None and self.trees_weight:
            out = out + self.trees_weight * self.trees.predict(x)
        return np.clip(out, 1.0, 4.0)


@dataclass(frozen=True, slots=True, eq=False)
class SimilarityModel:
    """A loaded model file: its version, the features it expects, one model per dimension."""

    version: str
    embedder: str
    features: tuple[str, ...]
    dimensions: Mapping[str, DimensionModel]
    meta: Mapping[str, Any]

    def predict(self, x: Matrix) -> dict[str, Matrix]:
        """``{dimension: predictions}`` for the feature rows ``x``."""
        return {name: model.predict(x) for name, model in self.dimensions.items()}


def load_model(path: Path, *, features: Sequence[str] | None = None) -> SimilarityModel:
    """Read a model file; when ``features`` is given, check the file was fitted on those features."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"{path}: cannot read the similarity model: {e}") from e
    if obj.get("format") != FORMAT or "version" not in obj:
        raise ConfigError(f"{path}: not a similarity model file (expected format {FORMAT!r} and a version)")
    names = tuple(obj["features"])
    if features is not None and tuple(features) != names:
        raise ConfigError(
            f"{path}: model {obj['version']} was fitted on other features than this code computes; "
            "refit it with scripts/train_similarity.py"
        )
    dims = {name: DimensionModel.from_json(d) for name, d in obj["dimensions"].items()}
    meta = {k: v for k, v in obj.items() if k not in {"dimensions", "features"}}
    return SimilarityModel(str(obj["version"]), str(obj.get("embedder", "")), names, dims, meta)
