"""Metrics against values computed by hand (worked out in the comments)."""

from __future__ import annotations

import math

import pytest

from storyline.evaluate.metrics import (
    adjusted_rand_index,
    bcubed,
    normalized_mutual_info,
    pearson,
    rank,
    spearman,
)


def test_pearson_hand_computed() -> None:
    # x - 2.5 = [-1.5, -.5, .5, 1.5], y - 3.75 = [-1.75, .25, 1.25, .25]
    # sum of products 3.5; sums of squares 5 and 4.75 -> 3.5 / sqrt(23.75)
    assert pearson([1, 2, 3, 4], [2, 4, 5, 4]) == pytest.approx(3.5 / math.sqrt(23.75))
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)


def test_pearson_is_nan_when_undefined() -> None:
    assert math.isnan(pearson([1.0], [2.0]))
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))


def test_ranks_share_ties() -> None:
    assert list(rank([10, 20, 20, 30])) == [1.0, 2.5, 2.5, 4.0]
    assert list(rank([3, 1, 2])) == [3.0, 1.0, 2.0]


def test_spearman_with_ties() -> None:
    # ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]; centred: [-1.5, 0, 0, 1.5], [-1.5, .5, -.5, 1.5]
    # products 4.5; squares 4.5 and 5 -> 4.5 / sqrt(22.5)
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(4.5 / math.sqrt(22.5))


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError):
        pearson([1, 2], [1, 2, 3])
    with pytest.raises(ValueError):
        bcubed(["a"], [1, 2])


def test_bcubed_hand_computed() -> None:
    # gold {0,1} {2,3}; predicted {0,1,2} {3}
    # precision per item: 2/3, 2/3, 1/3, 1   -> 2/3
    # recall per item:    1, 1, 1/2, 1/2     -> 3/4
    result = bcubed(["a", "a", "b", "b"], [1, 1, 1, 2])
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(3 / 4)
    assert result.f1 == pytest.approx(12 / 17)


def test_bcubed_extremes() -> None:
    gold = ["a", "a", "b"]
    assert bcubed(gold, [7, 7, 8]) == (1.0, 1.0, 1.0)
    singletons = bcubed(gold, [1, 2, 3])
    assert singletons.precision == 1.0 and singletons.recall == pytest.approx((1 / 2 + 1 / 2 + 1) / 3)


def test_adjusted_rand_index_hand_computed() -> None:
    # contingency (0,0)=2 (1,1)=1 (1,2)=1: index 1; gold pairs 2, predicted pairs 1, all pairs 6
    # expected 2*1/6 = 1/3, max (2+1)/2 = 3/2 -> (1 - 1/3) / (3/2 - 1/3) = 4/7
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    # index 1, gold pairs 2, predicted pairs 3: expected 1 -> 0
    assert adjusted_rand_index(["a", "a", "b", "b"], [1, 1, 1, 2]) == pytest.approx(0.0)
    assert adjusted_rand_index([1, 1, 2], ["x", "x", "y"]) == pytest.approx(1.0)


def test_normalized_mutual_info_hand_computed() -> None:
    # H(gold) = ln 2, H(pred) = 1.5 ln 2, MI = ln 2 -> ln 2 / (1.25 ln 2) = 0.8
    assert normalized_mutual_info([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.8)
    assert normalized_mutual_info(["a", "a", "b", "b"], [1, 2, 1, 2]) == pytest.approx(0.0)
    assert normalized_mutual_info([1, 1, 2], ["x", "x", "y"]) == pytest.approx(1.0)
    assert normalized_mutual_info([1, 1], [5, 5]) == 1.0
