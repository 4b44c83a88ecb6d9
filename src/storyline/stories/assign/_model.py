"""How alike an article and a story (or two stories) are: features and the fitted linear scores.

Both sides of a comparison are a ``Side``: a profile (sorted keys, how many members carry each,
the member count ``n``), unit centroid and title vectors, recent member vectors and a time span.
An article is a side with ``n = 1``. ``side_features`` gives one row of ``FEATURES``:

- ``cos_centroid``, ``cos_member`` (best pair of recent members), ``cos_title``;
- ``names``, ``places``, ``numbers``, ``words``: cosine of the two profiles over keys of that kind,
  each key weighted by the share of members carrying it times its IDF against the stream so far
  (names include canonical entities);
- ``names_cover_min`` / ``names_cover_max``: of the names most members of a side carry, the
  IDF-weighted share the other side has at all (the side that covers less, the side that covers more);
- ``head_missing``: of the names in the head (title and opening) of most members of a side, the
  IDF-weighted share the other side never mentions (two boxing bouts of one champion differ in
  the challenger named in the headline);
- ``years_conflict``, ``dates_conflict``: both sides name years (dates) and share none;
- ``log_size``: log of the product of the two member counts.

``AssignModel`` reads ``assign_model.json`` (written by ``scripts/train_assign.py``): a score for
joining an article to a story (boosted trees, ``TreeScore``, evaluated with numpy) and one for
merging two stories (linear, ``LinearScore``), each with its threshold; ``min_cosine``, the least
centroid cosine a pair needs to be scored at all (join, merge and storyline link); and a fixed time
penalty per log-day of gap (the development data has no dates to fit it on). Either score may be
linear or trees: the file says which. An article shorter than ``short_chars`` (a bare headline)
joins at ``short_threshold`` instead of the join threshold (off when ``short_chars`` is 0).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storyline.errors import ConfigError
from storyline.stories.assign._keys import (
    DATE,
    ENTITY,
    HEAD,
    HEAD_NUMBER,
    N_KINDS,
    NAME,
    NUMBER,
    PLACE,
    SHINGLE,
    WEEKDAY,
    WORD,
    YEAR,
    Keys,
    as_kind,
    kinds_of,
)

__all__ = [
    "FEATURES",
    "MODEL_PATH",
    "AssignModel",
    "LinearScore",
    "Score",
    "Side",
    "TreeScore",
    "load_score",
    "side_features",
]

MODEL_PATH = Path(__file__).with_name("assign_model.json")
FEATURES = (
    "cos_centroid",
    "cos_member",
    "cos_title",
    "names",
    "places",
    "numbers",
    "words",
    "names_cover_min",
    "names_cover_max",
    "head_missing",
    "years_conflict",
    "dates_conflict",
    "log_size",
    "shingles",
    "head_numbers_missing",
    "weekdays",
    "weekday_conflict",
    "rel_centroid",
    "rel_names",
    "rel_words",
)
#: The features whose running means over a story's joins measure its cohesion (``rel_*`` compare with them).
COHESION = ("cos_centroid", "names", "words")
Floats = npt.NDArray[np.float32]
IdfOf = Callable[[Keys], Floats]

_COHESION_AT = tuple(FEATURES.index(name) for name in COHESION)
#: A key is one of a side's own when at least this share of its members carry it.
DOMINANT = 0.5
#: Years and dates count for a conflict when at least this share of members carry them.
DATED = 0.3


@dataclass(frozen=True, slots=True, eq=False)
class Side:
    """One side of a comparison: an article (``n = 1``) or a story."""

    keys: Keys
    counts: npt.NDArray[np.int32]
    n: int
    idf: Floats
    centroid: Floats
    title: Floats
    members: Floats
    first_us: int
    last_us: int
    cohesion: Floats | None = None  # mean join features of the members (None: not known)


def _kind_of_names(kinds: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.where(kinds == ENTITY, NAME, kinds)


def _match(keys: Keys, sorted_keys: Keys) -> npt.NDArray[np.intp]:
    """For each of ``keys``, its index in ``sorted_keys``, or -1 when absent."""
    if not len(sorted_keys):
        return np.full(len(keys), -1, dtype=np.intp)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.where(sorted_keys[pos] == keys, pos, -1)


def _cover(own: npt.NDArray[np.bool_], present: Floats, idf: Floats) -> float:
    """Of the ``own`` keys' IDF mass, the share the other side carries (``present``: 0..1 each)."""
    total = float(idf[own].sum())
    return float((idf * present)[own].sum()) / total if total > 0 else 1.0


def _head_missing(
    a: Side, kinds_a: npt.NDArray[np.int64], b: Side, idf_of: IdfOf, head_kind: int = HEAD, kind: int = NAME
) -> float:
    head = a.keys[(kinds_a == head_kind) & (a.counts >= DOMINANT * a.n)]
    if not len(head):
        return 0.0
    names = as_kind(head, kind)
    idf = idf_of(names)
    total = float(idf.sum())
    missing = _match(names, b.keys) < 0
    return float(idf[missing].sum()) / total if total > 0 else 0.0


def _conflict(
    kind: int,
    a: Side,
    kinds_a: npt.NDArray[np.int64],
    shared_a: npt.NDArray[np.bool_],
    b: Side,
    kinds_b: npt.NDArray[np.int64],
    shared_b: npt.NDArray[np.bool_],
) -> float:
    dated_a = (kinds_a == kind) & (a.counts >= DATED * a.n)
    dated_b = (kinds_b == kind) & (b.counts >= DATED * b.n)
    if not dated_a.any() or not dated_b.any():
        return 0.0
    return 0.0 if (dated_a & shared_a).any() or (dated_b & shared_b).any() else 1.0


def _member_cosine(a: Floats, b: Floats) -> float:
    """Mean of the two best cosines between recent members (one stray member cannot carry it)."""
    if not len(a) or not len(b):
        return 0.0
    best = np.sort((a @ b.T).ravel())[-2:]
    return float(best.mean())


def side_features(a: Side, b: Side, idf_of: IdfOf) -> npt.NDArray[np.float64]:
    """One row of ``FEATURES`` for two sides (symmetric up to float rounding)."""
    raw_a, raw_b = kinds_of(a.keys), kinds_of(b.keys)
    kinds_a, kinds_b = _kind_of_names(raw_a), _kind_of_names(raw_b)
    where = _match(a.keys, b.keys)
    shared_a = where >= 0
    ia = np.flatnonzero(shared_a)
    ib = where[ia]
    shared_b = np.zeros(len(b.keys), dtype=bool)
    shared_b[ib] = True
    wa = a.counts.astype(np.float32) / a.n * a.idf
    wb = b.counts.astype(np.float32) / b.n * b.idf
    norm_a = np.sqrt(np.bincount(kinds_a, wa * wa, minlength=N_KINDS))
    norm_b = np.sqrt(np.bincount(kinds_b, wb * wb, minlength=N_KINDS))
    dot = np.bincount(kinds_a[ia], wa[ia] * wb[ib], minlength=N_KINDS)
    denominator = norm_a * norm_b
    cosines = np.divide(dot, denominator, out=np.zeros(N_KINDS), where=denominator > 0)
    own_a = (kinds_a == NAME) & (a.counts >= DOMINANT * a.n)
    own_b = (kinds_b == NAME) & (b.counts >= DOMINANT * b.n)
    # how firmly the other side carries each shared key: fully once half its members do
    carried_a = np.zeros(len(a.keys), dtype=np.float32)
    carried_a[ia] = np.minimum(1.0, b.counts[ib] / (DOMINANT * b.n))
    carried_b = np.zeros(len(b.keys), dtype=np.float32)
    carried_b[ib] = np.minimum(1.0, a.counts[ia] / (DOMINANT * a.n))
    cover_a, cover_b = _cover(own_a, carried_a, a.idf), _cover(own_b, carried_b, b.idf)
    row = np.array(
        [
            float(a.centroid @ b.centroid),
            _member_cosine(a.members, b.members),
            float(a.title @ b.title),
            cosines[NAME],
            cosines[PLACE],
            cosines[NUMBER],
            cosines[WORD],
            min(cover_a, cover_b),
            max(cover_a, cover_b),
            max(_head_missing(a, raw_a, b, idf_of), _head_missing(b, raw_b, a, idf_of)),
            _conflict(YEAR, a, raw_a, shared_a, b, raw_b, shared_b),
            _conflict(DATE, a, raw_a, shared_a, b, raw_b, shared_b),
            math.log(a.n * b.n),
            cosines[SHINGLE],
            max(
                _head_missing(a, raw_a, b, idf_of, HEAD_NUMBER, NUMBER),
                _head_missing(b, raw_b, a, idf_of, HEAD_NUMBER, NUMBER),
            ),
            cosines[WEEKDAY],
            _conflict(WEEKDAY, a, raw_a, shared_a, b, raw_b, shared_b),
        ],
        dtype=np.float64,
    )
    known = [side.cohesion for side in (a, b) if side.cohesion is not None]
    if known:
        values = row[list(_COHESION_AT)]
        relative = np.min([values - c for c in known], axis=0)
    else:
        relative = np.zeros(len(COHESION))
    return np.concatenate([row, relative])


class Span(Protocol):
    """What ``gap_days`` reads of a side (a ``Side`` or a ``_batch.Profile``)."""

    @property
    def first_us(self) -> int: ...

    @property
    def last_us(self) -> int: ...


def gap_days(a: Span, b: Span, no_time: int) -> float:
    """Days between the two sides' time spans (0 when they overlap or a time is unknown)."""
    if no_time in (a.first_us, a.last_us, b.first_us, b.last_us):
        return 0.0
    gap_us = max(0, a.first_us - b.last_us, b.first_us - a.last_us)
    return gap_us / 86_400e6


@dataclass(frozen=True, slots=True)
class LinearScore:
    """``weights · features + bias``; a decision passes at ``threshold`` or above."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def __call__(self, row: npt.NDArray[np.float64]) -> float:
        return float(np.dot(np.asarray(self.weights), row)) + self.bias

    def many(self, rows: npt.NDArray[np.float64]) -> list[float]:
        """The score of each row (one dot product a row: a matrix product may add in another order)."""
        weights = np.asarray(self.weights)
        return [float(np.dot(weights, row)) + self.bias for row in rows]


@dataclass(frozen=True, slots=True, eq=False)
class TreeScore:
    """A boosted sum of regression trees over ``FEATURES`` (log-odds); passes at ``threshold`` or above.

    The trees are flat arrays, all trees' nodes one after the other: ``feature`` (-1 at a leaf),
    ``cut`` (a row goes left when ``row[feature] <= cut``, compared in float32 as the fitting
    library does), ``left``/``right`` (node indexes), ``value`` (a leaf's output) and ``roots``.
    The score is ``bias + scale * sum(leaf values)``, evaluated for all trees at once.
    """

    feature: npt.NDArray[np.int64]
    cut: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    roots: npt.NDArray[np.int64]
    depth: int
    bias: float
    scale: float
    threshold: float

    def __call__(self, row: npt.NDArray[np.float64]) -> float:
        x = np.append(row.astype(np.float32).astype(np.float64), 0.0)  # a leaf's feature -1 reads the pad
        node = self.roots
        for _ in range(self.depth):
            at = self.feature[node]
            step = np.where(x[at] <= self.cut[node], self.left[node], self.right[node])
            node = np.where(at >= 0, step, node)
        return self.bias + self.scale * float(self.value[node].sum())

    def many(self, rows: npt.NDArray[np.float64]) -> list[float]:
        """The score of each row, all rows and trees at once (each row's leaves summed as above)."""
        m = len(rows)
        x = np.zeros((m, rows.shape[1] + 1), dtype=np.float64)  # the last column is the pad
        x[:, :-1] = rows.astype(np.float32)
        node = np.broadcast_to(self.roots, (m, len(self.roots)))
        row_of = np.arange(m)[:, None]
        for _ in range(self.depth):
            at = self.feature[node]
            step = np.where(x[row_of, at] <= self.cut[node], self.left[node], self.right[node])
            node = np.where(at >= 0, step, node)
        sums = self.value[node].sum(axis=1)  # a row's leaf values summed as one 1-D sum would
        return [self.bias + self.scale * float(total) for total in sums]


Score = LinearScore | TreeScore


@dataclass(frozen=True, slots=True)
class AssignModel:
    """The decisions: ``join`` (article -> story), ``merge`` (story + story), both fitted, and
    ``link`` (story + story into one storyline, hand set)."""

    version: str
    join: Score
    merge: Score
    link: LinearScore
    time_penalty: float
    min_cosine: float
    short_chars: int
    short_threshold: float
    idf_prior: float
    n_candidates: int
    n_members: int
    meta: dict[str, Any]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> AssignModel:
        """Read a model file; ``ConfigError`` when it is missing or names other features."""
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
            if tuple(obj["features"]) != FEATURES:
                raise ConfigError(
                    f"{path}: model features {obj['features']} differ from this version's {list(FEATURES)};"
                    " re-fit with scripts/train_assign.py"
                )
            return cls(
                version=str(obj["version"]),
                join=load_score(obj["join"]),
                merge=load_score(obj["merge"]),
                link=_linear(obj["link"]),
                time_penalty=float(obj["time_penalty"]),
                min_cosine=float(obj.get("min_cosine", 0.0)),
                short_chars=int(obj.get("short_chars", 0)),
                short_threshold=float(obj.get("short_threshold", 0.0)),
                idf_prior=float(obj["idf_prior"]),
                n_candidates=int(obj["n_candidates"]),
                n_members=int(obj["n_members"]),
                meta=dict(obj.get("meta", {})),
            )
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ConfigError(f"{path}: cannot read the story assignment model: {e}") from e


def _linear(obj: dict[str, Any]) -> LinearScore:
    weights = tuple(float(w) for w in obj["weights"])
    if len(weights) != len(FEATURES):
        raise ValueError(f"expected {len(FEATURES)} weights, got {len(weights)}")
    return LinearScore(weights=weights, bias=float(obj["bias"]), threshold=float(obj["threshold"]))


def load_score(obj: dict[str, Any]) -> Score:
    if "trees" not in obj:
        return _linear(obj)
    trees = obj["trees"]
    feature = np.asarray(trees["feature"], dtype=np.int64)
    n = len(feature)
    arrays = [np.asarray(trees[k], dtype=np.int64) for k in ("left", "right", "roots")]
    if feature.max(initial=-1) >= len(FEATURES) or any(
        a.min(initial=0) < 0 or a.max(initial=0) >= n for a in arrays
    ):
        raise ValueError("tree arrays point outside the features or the nodes")
    return TreeScore(
        feature=feature,
        cut=np.asarray(trees["cut"], dtype=np.float64),
        left=arrays[0],
        right=arrays[1],
        value=np.asarray(trees["value"], dtype=np.float64),
        roots=arrays[2],
        depth=int(trees["depth"]),
        bias=float(obj["bias"]),
        scale=float(obj["scale"]),
        threshold=float(obj["threshold"]),
    )
