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
_COSINE_COLUMNS = [FEATURES.index(name) for name in ("names", "places", "numbers", "words", "shingles", "weekdays")]
_NO_FLOATS = np.zeros(0, dtype=np.float32)
_NO_INDEX = np.zeros(0, dtype=np.intp)


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
    for that segment alone (``seg``: each value's segment, non-decreasing)."""
    out = np.zeros(m, dtype=np.float32)
    if not len(values):
        return out
    lengths = np.bincount(seg, minlength=m)
    starts = np.cumsum(lengths) - lengths
    small = lengths <= _PAIRWISE_BLOCK
    big = np.flatnonzero(~small)
    if len(big):  # rare: numpy splits these in halves; let it
        for j in big:
            out[j] = values[starts[j] : starts[j] + lengths[j]].sum()
        keep = lengths[seg] <= _PAIRWISE_BLOCK
        values, seg = values[keep], seg[keep]
        lengths = np.where(lengths > _PAIRWISE_BLOCK, 0, lengths)
        starts = np.cumsum(lengths) - lengths
    pos = np.arange(len(values)) - starts[seg]
    body = lengths - lengths % _UNROLL  # the values the eight running sums take (none below 8)
    in_body = pos < body[seg]
    width = int(body.max(initial=0))
    res = np.zeros(m, dtype=np.float32)
    if width:
        block = np.zeros((m, width), dtype=np.float32)
        block[seg[in_body], pos[in_body]] = values[in_body]
        r = block[:, :_UNROLL].copy()
        for at in range(_UNROLL, width, _UNROLL):
            r += block[:, at : at + _UNROLL]
        res = ((r[:, 0] + r[:, 1]) + (r[:, 2] + r[:, 3])) + ((r[:, 4] + r[:, 5]) + (r[:, 6] + r[:, 7]))
    rest = ~in_body
    if rest.any():
        tail = np.zeros((m, _UNROLL - 1), dtype=np.float32)
        tail[seg[rest], (pos - body[seg])[rest]] = values[rest]
        for at in range(int((lengths - body).max())):
            res = res + tail[:, at]
    out[small] = np.float32(0.0) + res[small]  # the reduction starts from 0, as numpy's does
    return out


def _ratio(part: Floats, total: Floats, empty: float) -> Rows:
    """``float(part) / float(total)`` per segment, ``empty`` where the total is not positive."""
    num, den = part.astype(np.float64), total.astype(np.float64)
    return np.divide(num, den, out=np.full(len(num), empty), where=den > 0)


def _member_cosines(one: Floats, others: Sequence[Profile]) -> Rows:
    """``_member_cosine`` per candidate: the mean of the two best member cosines (one product a pair)."""
    m = len(others)
    # a side against itself would be ``x @ x.T``, which numpy computes otherwise (syrk): use a copy
    products = [
        (one @ (o.members if o.members is not one else o.members.copy()).T).ravel()
        if len(one) and len(o.members)
        else None
        for o in others
    ]
    width = max((len(p) for p in products if p is not None), default=0)
    out = np.zeros(m, dtype=np.float64)
    if not width:
        return out
    table = np.full((m, max(width, 2)), -np.inf, dtype=np.float32)
    count = np.zeros(m, dtype=np.intp)
    for j, p in enumerate(products):
        if p is not None:
            table[j, : len(p)] = p
            count[j] = len(p)
    table.sort(axis=1)
    top, second = table[:, -1], table[:, -2]
    pair = (second + top) / np.float32(2)  # np.mean of the two: (0 + a + b) / 2 in float32
    value = np.where(count >= 2, pair, top)
    return np.where(count > 0, value.astype(np.float64), 0.0)


def _strictly_sorted(keys: Keys) -> bool:
    return bool(len(keys) < 2 or (keys[1:] > keys[:-1]).all())


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
    rows[:, 1] = _member_cosines(one.members, others)
    rows[:, 2] = [float(one.title @ o.title) for o in others]
    rows[:, 12] = [math.log(one.n * o.n) for o in others]

    # the candidates' keys end to end (segment j: candidate j), with their member counts
    lengths = [len(o.keys) for o in others]
    seg = np.repeat(np.arange(m), lengths)
    keys_b = np.concatenate([o.keys for o in others])
    counts_b = np.concatenate([o.counts for o in others])
    n_of = np.repeat(np.array([o.n for o in others], dtype=np.float64), lengths)
    raw_a, raw_b = kinds_of(one.keys), kinds_of(keys_b)
    kinds_a = np.where(raw_a == ENTITY, NAME, raw_a)
    kinds_b = np.where(raw_b == ENTITY, NAME, raw_b)
    firm_a = one.counts >= DOMINANT * one.n
    firm_b = counts_b >= DOMINANT * n_of
    head_a = (raw_a == HEAD) & firm_a, (raw_a == HEAD_NUMBER) & firm_a
    head_b = np.flatnonzero((raw_b == HEAD) & firm_b), np.flatnonzero((raw_b == HEAD_NUMBER) & firm_b)
    names_a = as_kind(one.keys[head_a[0]], NAME), as_kind(one.keys[head_a[1]], NUMBER)
    names_b = as_kind(keys_b[head_b[0]], NAME), as_kind(keys_b[head_b[1]], NUMBER)
    seg_h = seg[head_b[0]], seg[head_b[1]]

    # every IDF in one call (elementwise: the same values as one call per side)
    parts = (one.keys, keys_b, *names_a, *names_b)
    idf = idf_of(np.concatenate(parts))
    bounds = np.cumsum([0, *(len(p) for p in parts)]).tolist()
    idf_a, idf_b, idf_na0, idf_na1, idf_nb0, idf_nb1 = (idf[bounds[i] : bounds[i + 1]] for i in range(6))
    idf_na, idf_nb = (idf_na0, idf_na1), (idf_nb0, idf_nb1)

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

    # the sums over parts of a side (numpy's pairwise float32 sums): gathered, then done at once
    sums: list[tuple[Floats, Index]] = []
    # name cover: of each side's own names, the IDF share the other carries
    own_a = np.flatnonzero((kinds_a == NAME) & firm_a)
    column_of = np.full(len(one.keys), -1, dtype=np.intp)
    column_of[own_a] = np.arange(len(own_a))
    carried_a = np.zeros((m, len(own_a)), dtype=np.float32)
    hit = column_of[ia] >= 0
    by_b = np.minimum(1.0, counts_b[ib[hit]] / (DOMINANT * n_of[ib[hit]]))
    carried_a[sseg[hit], column_of[ia[hit]]] = by_b
    own_b = np.flatnonzero((kinds_b == NAME) & firm_b)
    carried_b = np.zeros(len(keys_b), dtype=np.float32)
    carried_b[ib] = np.minimum(1.0, one.counts[ia] / (DOMINANT * one.n))
    sums.append(((idf_b * carried_b)[own_b], seg[own_b]))
    sums.append((idf_b[own_b], seg[own_b]))
    # head names (numbers) one side carries that the other never mentions
    for h in (0, 1):
        if len(names_a[h]):
            found = np.zeros((m, len(names_a[h])), dtype=bool)
            at = np.minimum(np.searchsorted(names_a[h], keys_b), len(names_a[h]) - 1)
            there = names_a[h][at] == keys_b
            found[seg[there], at[there]] = True
            lost = np.flatnonzero(~found.ravel())
            sums.append((np.tile(idf_na[h], m)[lost], lost // len(names_a[h])))
        else:
            sums.append((_NO_FLOATS, _NO_INDEX))
        if len(one.keys):
            at = np.minimum(np.searchsorted(one.keys, names_b[h]), len(one.keys) - 1)
            absent = one.keys[at] != names_b[h]
        else:
            absent = np.ones(len(names_b[h]), dtype=bool)
        sums.append((idf_nb[h][absent], seg_h[h][absent]))
        sums.append((idf_nb[h], seg_h[h]))
    summed = segment_sums(
        np.concatenate([v for v, _ in sums]),
        np.concatenate([g + i * m for i, (_, g) in enumerate(sums)]),
        len(sums) * m,
    ).reshape(len(sums), m)

    total_a = np.full(m, idf_a[own_a].sum(), dtype=np.float32)
    cover_a = _ratio((idf_a[own_a][None, :] * carried_a).sum(axis=1), total_a, 1.0)
    cover_b = _ratio(summed[0], summed[1], 1.0)
    rows[:, 7], rows[:, 8] = np.minimum(cover_a, cover_b), np.maximum(cover_a, cover_b)
    for h, column in ((0, 9), (1, 14)):
        lost_ab, lost_ba, total_b = summed[2 + 3 * h : 5 + 3 * h]
        total = np.full(m, idf_na[h].sum(), dtype=np.float32)
        rows[:, column] = np.maximum(_ratio(lost_ab, total, 0.0), _ratio(lost_ba, total_b, 0.0))

    # years, dates, weekdays: both sides name some and share none
    for column, kind in ((10, YEAR), (11, DATE), (16, WEEKDAY)):
        dated_a = (raw_a == kind) & (one.counts >= DATED * one.n)
        if not dated_a.any():
            continue  # 0.0
        dated_b = (raw_b == kind) & (counts_b >= DATED * n_of)
        has_b = np.bincount(seg[dated_b], minlength=m) > 0
        shared_dated = np.bincount(sseg[dated_a[ia] | dated_b[ib]], minlength=m) > 0
        rows[:, column] = np.where(has_b & ~shared_dated, 1.0, 0.0)

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
