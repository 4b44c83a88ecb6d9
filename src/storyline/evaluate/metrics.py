"""Evaluation metrics, implemented from their definitions (numpy only).

- ``pearson``, ``spearman``: correlation of predictions with gold scores (Spearman = Pearson of
  average ranks, so ties share a rank).
- ``bcubed``: B-cubed precision, recall and F1 over items (Bagga & Baldwin 1998): for each item,
  precision is the share of its predicted cluster that shares its gold cluster, recall the share of
  its gold cluster that shares its predicted cluster; both averaged over items.
- ``adjusted_rand_index``: Hubert & Arabie's ARI from the contingency table.
- ``normalized_mutual_info``: mutual information over the arithmetic mean of the two entropies
  (scikit-learn's default ``average_method="arithmetic"``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = ["BCubed", "adjusted_rand_index", "bcubed", "normalized_mutual_info", "pearson", "rank", "spearman"]


Floats = npt.NDArray[np.float64]


def _vectors(x: Sequence[float], y: Sequence[float]) -> tuple[Floats, Floats]:
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"expected two sequences of the same length, got {a.shape} and {b.shape}")
    return a, b


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation; ``nan`` when fewer than 2 items or either side is constant."""
    a, b = _vectors(x, y)
    if len(a) < 2:
        return math.nan
    a, b = a - a.mean(), b - b.mean()
    denominator = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / denominator if denominator > 0 else math.nan


def rank(x: Sequence[float]) -> npt.NDArray[np.float64]:
    """1-based ranks, ties given the mean of the ranks they span."""
    a = np.asarray(x, dtype=np.float64)
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(len(a), dtype=np.float64)
    sorted_a = a[order]
    start = 0
    for end in range(1, len(a) + 1):
        if end == len(a) or sorted_a[end] != sorted_a[start]:
            ranks[order[start:end]] = (start + end + 1) / 2
            start = end
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman rank correlation (Pearson of average ranks)."""
    a, b = _vectors(x, y)
    return pearson(list(rank(list(a))), list(rank(list(b))))


class BCubed(NamedTuple):
    precision: float
    recall: float
    f1: float


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> BCubed:
    """B-cubed precision, recall and F1 of ``predicted`` cluster labels against ``gold`` labels."""
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items, predicted {len(predicted)}")
    if not gold:
        return BCubed(math.nan, math.nan, math.nan)
    joint = Counter(zip(gold, predicted, strict=True))
    gold_size, pred_size = Counter(gold), Counter(predicted)
    precision = sum(n * n / pred_size[p] for (_, p), n in joint.items()) / len(gold)
    recall = sum(n * n / gold_size[g] for (g, _), n in joint.items()) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)


def _pairs(n: float) -> float:
    return n * (n - 1) / 2


def adjusted_rand_index(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Adjusted Rand index (1 = identical partitions, about 0 = chance)."""
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items, predicted {len(predicted)}")
    n = len(gold)
    joint = Counter(zip(gold, predicted, strict=True))
    index = sum(_pairs(v) for v in joint.values())
    sum_gold = sum(_pairs(v) for v in Counter(gold).values())
    sum_pred = sum(_pairs(v) for v in Counter(predicted).values())
    expected = sum_gold * sum_pred / _pairs(n) if n > 1 else 0.0
    maximum = (sum_gold + sum_pred) / 2
    if maximum == expected:  # both partitions trivial (all one cluster, or all singletons)
        return 1.0
    return (index - expected) / (maximum - expected)


def _entropy(counts: Counter[Hashable], n: int) -> float:
    return -sum(c / n * math.log(c / n) for c in counts.values())


def normalized_mutual_info(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Mutual information divided by the mean of the two entropies (1 when identical)."""
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items, predicted {len(predicted)}")
    n = len(gold)
    if n == 0:
        return math.nan
    gold_counts, pred_counts = Counter(gold), Counter(predicted)
    joint = Counter(zip(gold, predicted, strict=True))
    mutual = sum(c / n * math.log(c * n / (gold_counts[g] * pred_counts[p])) for (g, p), c in joint.items())
    h_gold, h_pred = _entropy(gold_counts, n), _entropy(pred_counts, n)
    if h_gold == 0 and h_pred == 0:
        return 1.0
    mean = (h_gold + h_pred) / 2
    return max(0.0, mutual / mean) if mean > 0 else 0.0
