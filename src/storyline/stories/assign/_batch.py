"""One side against many: the rows of ``side_features`` for all of a side's candidates at once.

``side_features`` (``_model.py``) compares two sides with some forty small numpy calls; an article
has ten to thirty plausible candidates, and the changed story has as many again for the merge check.
``batch_features`` computes the same rows for one side (``Profile``: an article or a story) against
many with one set of calls over the candidates' keys laid end to end (the keys of candidate ``j``
are segment ``j``). The rows are **equal bit for bit** to ``side_features``, because every value is
computed by the same float operations in the same order:

- elementwise steps (weights, IDF, shares) are IEEE operations, the same wherever the element sits;
- per-kind norms and dot products are ``np.bincount`` sums, which add in input order, and the
  pairs come in the same order (a candidate's shared keys in key order);
- sums over a masked subset (name cover, head names missing) are numpy's pairwise float32 sums of
  arrays of different lengths: ``segment_sums`` repeats numpy's algorithm (eight running sums,
  combined as a tree, then the remainder) for all segments at once, and hands a segment over 128
  values to ``np.sum`` itself;
- dot products of vectors (centroid, title, recent members) are one BLAS call per pair, as there
  (a matrix product of all candidates at once may add in another order).

``tests/test_assign_batch.py`` checks the rows against ``side_features`` and the decisions of a
stream against the per-candidate scorer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.stories.assign._keys import (
    DATE,
    ENTITY,
    HEAD,
    HEAD_NUMBER,
    KIND_SHIFT,
    N_KINDS,
    NAME,
    NUMBER,
    PLACE,
    SHINGLE,
    WEEKDAY,
    WORD,
    YEAR,
    Keys,
    kinds_of,
)
from storyline.stories.assign._model import COHESION, DATED, DOMINANT, FEATURES, IdfOf, Side, side_features

__all__ = ["Profile", "batch_features", "segment_sums"]

Floats = npt.NDArray[np.float32]
Rows = npt.NDArray[np.float64]
Index = npt.NDArray[np.intp]

#: numpy's pairwise summation: blocks of 8 running sums up to this many values, halves above.
_PAIRWISE_BLOCK = 128
_UNROLL = 8
_COHESION_AT = [FEATURES.index(name) for name in COHESION]
_COSINE_KINDS = [NAME, PLACE, NUMBER, WORD, SHINGLE, WEEKDAY]
_COSINE_COLUMNS = [
    FEATURES.index(name) for name in ("names", "places", "numbers", "words", "shingles", "weekdays")
]
_HEADS = (HEAD, HEAD_NUMBER)
_DATED_KINDS = (YEAR, DATE, WEEKDAY)
_DATED_COLUMNS = [FEATURES.index(name) for name in ("years_conflict", "dates_conflict", "weekday_conflict")]
#: What a ratio is when its whole is not positive: the name covers 1, the missing shares 0.
_EMPTY_RATIO = np.array([[1.0], [1.0], [0.0], [0.0], [0.0], [0.0]])
_LOW = np.int64((1 << KIND_SHIFT) - 1)
_NAME_BITS, _NUMBER_BITS = np.int64(NAME << KIND_SHIFT), np.int64(NUMBER << KIND_SHIFT)


@dataclass(frozen=True, slots=True, eq=False)
class Profile:
    """A side without its IDF (which changes with every story): what a story keeps between calls.

    ``keys`` sorted and unique, ``counts`` members carrying each, ``n`` members; unit ``centroid``
    and ``title``; ``members`` the recent members' vectors (float32 rows); the time span and the
    mean join features of the members (``cohesion``, None when not known)."""

    keys: Keys
    counts: npt.NDArray[np.int32]
    n: int
    centroid: Floats
    title: Floats
    members: Floats
    first_us: int
    last_us: int
    cohesion: Floats | None = None

    def side(self, idf_of: IdfOf) -> Side:
        """The ``Side`` of this profile under the current key statistics."""
        return Side(
            keys=self.keys,
            counts=self.counts,
            n=self.n,
            idf=idf_of(self.keys),
            centroid=self.centroid,
            title=self.title,
            members=self.members,
            first_us=self.first_us,
            last_us=self.last_us,
            cohesion=self.cohesion,
        )


def segment_sums(values: Floats, seg: Index, m: int) -> Floats:
    """For each of ``m`` segments, the float32 sum of its ``values`` exactly as ``np.sum`` gives it
    for that segment's values alone, in the order they come (``seg``: each value's segment)."""
    out = np.zeros(m, dtype=np.float32)
    if not len(values):
        return out
    order = np.argsort(seg, kind="stable")  # grouped by segment, each in its own order
    values, seg = values[order], seg[order]
    lengths = np.bincount(seg, minlength=m)
    if lengths.max() > _PAIRWISE_BLOCK:  # rare: numpy splits these in halves; let it
        starts = np.cumsum(lengths) - lengths
        for j in np.flatnonzero(lengths > _PAIRWISE_BLOCK):
            out[j] = values[starts[j] : starts[j] + lengths[j]].sum()
        keep = lengths[seg] <= _PAIRWISE_BLOCK
        values, seg = values[keep], seg[keep]
        lengths = np.where(lengths > _PAIRWISE_BLOCK, 0, lengths)
    # one row per segment: the values the eight running sums take (a multiple of 8 of them, none
    # below 8) from column 0, the rest after them from column ``width``
    body = lengths - lengths % _UNROLL
    width = int(body.max())
    pos = np.arange(len(values)) - (np.cumsum(lengths) - lengths)[seg]
    past = pos - body[seg]
    table = np.zeros((m, width + _UNROLL), dtype=np.float32)
    table[seg, np.where(past < 0, pos, width + past)] = values
    res = np.zeros(m, dtype=np.float32)
    if width:
        r = table[:, :_UNROLL].copy()
        for at in range(_UNROLL, width, _UNROLL):
            r += table[:, at : at + _UNROLL]
        res = ((r[:, 0] + r[:, 1]) + (r[:, 2] + r[:, 3])) + ((r[:, 4] + r[:, 5]) + (r[:, 6] + r[:, 7]))
    for at in range(int((lengths - body).max())):
        res = res + table[:, width + at]
    small = lengths > 0
    out[small] = np.float32(0.0) + res[small]  # the reduction starts from 0, as numpy's does
    return out


def _member_cosine(one: Floats, other: Floats) -> float:
    """``_model._member_cosine``: the mean of the two best cosines between recent members."""
    if not len(one) or not len(other):
        return 0.0
    if other is one:  # ``x @ x.T`` is computed otherwise by numpy (syrk): use a copy
        other = other.copy()
    best = np.sort((one @ other.T).ravel())
    if len(best) == 1:
        return float(best[0])
    return float((best[-2] + best[-1]) / np.float32(2))  # np.mean of the two: (0 + a + b) / 2 in float32


def _strictly_sorted(keys: Keys) -> bool:
    return bool(len(keys) < 2 or (keys[1:] > keys[:-1]).all())


def _of_kinds(kinds: npt.NDArray[np.int64], wanted: tuple[int, ...]) -> npt.NDArray[np.bool_]:
    out: npt.NDArray[np.bool_] = np.equal(kinds, wanted[0])
    for kind in wanted[1:]:
        out |= kinds == kind
    return out


def batch_features(
    one: Profile, others: Sequence[Profile], idf_of: IdfOf, centroid_cos: Sequence[float] | None = None
) -> Rows:
    """``side_features(one, other)`` for every one of ``others``: a (len(others), FEATURES) matrix.

    ``centroid_cos``: ``float(one.centroid @ other.centroid)`` per candidate when the caller has it
    (the plausibility filter computes it)."""
    m = len(others)
    if not m:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    if not _strictly_sorted(one.keys):  # not a profile the assigner builds: take the long way
        side = one.side(idf_of)
        return np.stack([side_features(side, o.side(idf_of), idf_of) for o in others])
    rows = np.zeros((m, len(FEATURES)), dtype=np.float64)
    rows[:, 0] = (
        centroid_cos if centroid_cos is not None else [float(one.centroid @ o.centroid) for o in others]
    )
    rows[:, 1] = [_member_cosine(one.members, o.members) for o in others]
    rows[:, 2] = [float(one.title @ o.title) for o in others]
    rows[:, 12] = [math.log(one.n * o.n) for o in others]

    # the candidates' keys end to end (segment j: candidate j), with their member counts
    lengths = [len(o.keys) for o in others]
    seg = np.repeat(np.arange(m), lengths)
    keys_b = np.concatenate([o.keys for o in others])
    counts_b = np.concatenate([o.counts for o in others])
    n_of = np.repeat(np.array([o.n for o in others], dtype=np.float64), lengths)
    raw_a, raw_b = kinds_of(one.keys), kinds_of(keys_b)
    if raw_a.max(initial=0) >= N_KINDS or raw_b.max(initial=0) >= N_KINDS:  # no key the assigner makes
        side = one.side(idf_of)
        return np.stack([side_features(side, o.side(idf_of), idf_of) for o in others])
    kinds_a = np.where(raw_a == ENTITY, NAME, raw_a)
    kinds_b = np.where(raw_b == ENTITY, NAME, raw_b)
    firm_a = one.counts >= DOMINANT * one.n
    firm_b = counts_b >= DOMINANT * n_of
    # head names and numbers most members carry, re-typed as names and numbers (group 0 and 1);
    # still sorted: HEAD and HEAD_NUMBER keys become NAME and NUMBER keys, in the same order
    ha = np.flatnonzero(_of_kinds(raw_a, _HEADS) & firm_a)
    hb = np.flatnonzero(_of_kinds(raw_b, _HEADS) & firm_b)
    group_a, group_b = raw_a[ha] == HEAD_NUMBER, raw_b[hb] == HEAD_NUMBER
    names_a = (one.keys[ha] & _LOW) | np.where(group_a, _NUMBER_BITS, _NAME_BITS)
    names_b = (keys_b[hb] & _LOW) | np.where(group_b, _NUMBER_BITS, _NAME_BITS)
    seg_h = seg[hb]

    # every IDF in one call (elementwise: the same values as one call per side)
    idf = idf_of(np.concatenate((one.keys, keys_b, names_a, names_b)))
    at_b = len(one.keys)
    at_na = at_b + len(keys_b)
    at_nb = at_na + len(names_a)
    idf_a, idf_b, idf_na, idf_nb = idf[:at_b], idf[at_b:at_na], idf[at_na:at_nb], idf[at_nb:]

    # shared keys: each candidate key found among one's (sorted) keys, in key order
    if len(one.keys):
        pos = np.minimum(np.searchsorted(one.keys, keys_b), len(one.keys) - 1)
        ib = np.flatnonzero(one.keys[pos] == keys_b)
    else:
        pos, ib = np.zeros(len(keys_b), dtype=np.intp), np.zeros(0, dtype=np.intp)
    ia, sseg = pos[ib], seg[ib]

    # per-kind cosines of the IDF-weighted profiles
    wa = one.counts.astype(np.float32) / one.n * idf_a
    wb = counts_b.astype(np.float32) / n_of.astype(np.float32) * idf_b
    norm_a = np.sqrt(np.bincount(kinds_a, wa * wa, minlength=N_KINDS))
    norm_b = np.sqrt(np.bincount(seg * N_KINDS + kinds_b, wb * wb, minlength=m * N_KINDS))
    dot = np.bincount(sseg * N_KINDS + kinds_a[ia], wa[ia] * wb[ib], minlength=m * N_KINDS)
    denominator = np.tile(norm_a, m) * norm_b
    cosines = np.divide(dot, denominator, out=np.zeros(m * N_KINDS), where=denominator > 0)
    rows[:, _COSINE_COLUMNS] = cosines.reshape(m, N_KINDS)[:, _COSINE_KINDS]

    # sums over parts of a side, numpy's pairwise float32 sums, all in one call: segment
    # ``s * m + j`` is sum ``s`` (``_SUMS``) for candidate j; the last three are one's totals
    own_a = np.flatnonzero((kinds_a == NAME) & firm_a)
    column_of = np.full(len(one.keys), -1, dtype=np.intp)
    column_of[own_a] = np.arange(len(own_a))
    hit = np.flatnonzero(column_of[ia] >= 0)
    carried_a = np.zeros((m, len(own_a)), dtype=np.float32)
    carried_a[sseg[hit], column_of[ia[hit]]] = np.minimum(1.0, counts_b[ib[hit]] / (DOMINANT * n_of[ib[hit]]))
    own_b = np.flatnonzero((kinds_b == NAME) & firm_b)
    carried_b = np.zeros(len(keys_b), dtype=np.float32)
    carried_b[ib] = np.minimum(1.0, one.counts[ia] / (DOMINANT * one.n))
    found = np.zeros((m, len(names_a)), dtype=bool)
    if len(names_a):
        there = np.minimum(np.searchsorted(names_a, keys_b), len(names_a) - 1)
        hit = np.flatnonzero(names_a[there] == keys_b)
        found[seg[hit], there[hit]] = True
    lost_j, lost_i = np.nonzero(~found)
    if len(one.keys):
        there = np.minimum(np.searchsorted(one.keys, names_b), len(one.keys) - 1)
        absent = np.flatnonzero(one.keys[there] != names_b)
    else:
        absent = np.arange(len(names_b))
    parts = (  # part of a side (rows 0-5), then the whole it is a part of (rows 6-11)
        ((idf_a[own_a][None, :] * carried_a).ravel(), np.repeat(np.arange(m), len(own_a))),
        ((idf_b * carried_b)[own_b], m + seg[own_b]),
        (idf_na[lost_i], (2 + group_a[lost_i]) * m + lost_j),
        (idf_nb[absent], (4 + group_b[absent]) * m + seg_h[absent]),
        (idf_b[own_b], 7 * m + seg[own_b]),
        (idf_nb, (10 + group_b) * m + seg_h),
        (idf_a[own_a], np.full(len(own_a), 12 * m)),  # one's own totals, the same for every candidate
        (idf_na, 12 * m + 1 + group_a),
    )
    sums = segment_sums(
        np.concatenate([v for v, _ in parts]), np.concatenate([g for _, g in parts]), 12 * m + 3
    )
    sums[6 * m : 7 * m], sums[8 * m : 9 * m], sums[9 * m : 10 * m] = sums[12 * m :]
    part = sums[: 6 * m].astype(np.float64).reshape(6, m)
    whole = sums[6 * m : 12 * m].astype(np.float64).reshape(6, m)
    cover_a, cover_b, lost_names, lost_numbers, absent_names, absent_numbers = np.divide(
        part, whole, out=np.repeat(_EMPTY_RATIO, m, axis=1), where=whole > 0
    )
    rows[:, 7], rows[:, 8] = np.minimum(cover_a, cover_b), np.maximum(cover_a, cover_b)
    rows[:, 9] = np.maximum(lost_names, absent_names)
    rows[:, 14] = np.maximum(lost_numbers, absent_numbers)

    # years, dates, weekdays: both sides name some of the kind and share none
    dated_a = _of_kinds(raw_a, _DATED_KINDS) & (one.counts >= DATED * one.n)
    if dated_a.any():
        has_a = np.bincount(raw_a[dated_a], minlength=N_KINDS) > 0
        dated_b = _of_kinds(raw_b, _DATED_KINDS) & (counts_b >= DATED * n_of)
        has_b = np.bincount(seg[dated_b] * N_KINDS + raw_b[dated_b], minlength=m * N_KINDS) > 0
        both = np.flatnonzero(dated_a[ia] | dated_b[ib])
        shared = np.bincount(sseg[both] * N_KINDS + raw_a[ia[both]], minlength=m * N_KINDS) > 0
        conflict = has_a[None, :] & (has_b & ~shared).reshape(m, N_KINDS)
        rows[:, _DATED_COLUMNS] = conflict[:, _DATED_KINDS]

    # the cohesion features relative to each side's own (the lower of the two)
    values = rows[:, _COHESION_AT]
    relative = np.full((m, len(COHESION)), np.inf)
    known = np.zeros(m, dtype=bool)
    if one.cohesion is not None:
        relative = values - one.cohesion
        known[:] = True
    for j, other in enumerate(others):
        if other.cohesion is not None:
            relative[j] = np.minimum(relative[j], values[j] - other.cohesion)
            known[j] = True
    rows[:, len(FEATURES) - len(COHESION) :] = np.where(known[:, None], relative, 0.0)
    return rows
