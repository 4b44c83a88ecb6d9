"""The assigner's indexes over live stories: key statistics, a name index and a vector index.

- ``KeyStats``: for every key, how many live stories carry it (a hashed count table, so memory is
  fixed), hence its IDF ``log((stories + prior) / (count + 1))``; and an inverted index from
  the names, entities and places most members of a story carry to the story's slot.
- ``VectorIndex``: unit centroids by slot. Exact (one matrix product) up to ``exact_max`` live
  stories, then an HNSW graph (``usearch``). Exact search makes restored runs decide exactly as
  uninterrupted ones; HNSW results depend on insertion order (and a bulk load inserts in parallel
  threads, so two loads of the same stories give different graphs), so above ``exact_max`` a
  restored run can differ where the graph misses a candidate (its recall is measured in the
  benchmark).
  A big story's centroid is re-inserted in the graph only when the story has grown by a quarter
  (it barely moves in between); candidates are always re-scored exactly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.stories.assign._keys import ENTITY, HEAD, NAME, PLACE, Keys, as_kind, kinds_of

__all__ = ["KeyStats", "VectorIndex"]

LOGGER = logging.getLogger(__name__)

Floats = npt.NDArray[np.float32]
#: log2 of the buckets of the key count table (64 MB of int32).
TABLE_BITS = 24
#: Keys of these kinds index the stories that carry them.
POSTED_KINDS = (NAME, ENTITY, PLACE)
#: Keys a story posts at most, and keys an article looks up at most.
MAX_POSTED = 8
MAX_LOOKUP = 8
#: A key carried by more live stories than this is too common to find candidates by.
RARE_COUNT = 30
#: Live stories up to which vector search is exact.
EXACT_MAX = 5_000
#: In graph mode a story's centroid is re-inserted once it has grown by this factor (always below
#: ``REINDEX_BELOW`` members).
REINDEX_GROWTH = 1.25
REINDEX_BELOW = 8
GRAPH_CONNECTIVITY = 16
GRAPH_EXPANSION = 64
#: Vectors handed to the graph at a time when it is rebuilt. (A graph built with the library's
#: default threads differs from build to build anyway: insertions run in parallel.)
RELOAD_CHUNK = 16_384


class KeyStats:
    """Story counts per key (for IDF) and the inverted index of posted keys."""

    def __init__(self, *, prior: float, bits: int = TABLE_BITS) -> None:
        self.prior = prior
        self.mask = np.int64((1 << bits) - 1)
        self.counts = np.zeros(1 << bits, dtype=np.int32)
        self.n_stories = 0
        self.postings: dict[int, set[int]] = {}

    def add(self, keys: Keys, sign: int = 1) -> None:
        """Count (``sign=-1``: uncount) one story's profile keys."""
        np.add.at(self.counts, keys & self.mask, sign)
        self.n_stories += sign

    def idf(self, keys: Keys) -> Floats:
        out: Floats = np.log((self.n_stories + self.prior) / (self.counts[keys & self.mask] + 1.0)).astype(
            np.float32
        )
        return out

    def count(self, keys: Keys) -> npt.NDArray[np.int32]:
        out: npt.NDArray[np.int32] = self.counts[keys & self.mask]
        return out

    @staticmethod
    def posted(keys: Keys, counts: npt.NDArray[np.int32], n: int) -> Keys:
        """The keys a story posts: names, entities and places most members carry, those in the
        members' headlines and openings first, then the most carried (an array: a story holds one)."""
        kinds = kinds_of(keys)
        own = _posted_kind(kinds) & (counts * 2 >= n)
        chosen, chosen_counts = keys[own], counts[own]
        heads = as_kind(keys[(kinds == HEAD) & (counts * 2 >= n)], NAME)  # sorted, as ``keys`` are
        in_head = _among(chosen, heads)
        order = np.lexsort((chosen, -chosen_counts, ~in_head))[:MAX_POSTED]
        out: Keys = chosen[order]
        return out

    def post(self, slot: int, old: Keys | Iterable[int], new: Keys | Iterable[int]) -> None:
        """Move ``slot``'s postings from the keys ``old`` to the keys ``new``."""
        old_set, new_set = set(_ints(old)), set(_ints(new))
        for key in old_set - new_set:
            holders = self.postings.get(key)
            if holders is not None:
                holders.discard(slot)
                if not holders:
                    del self.postings[key]
        for key in new_set - old_set:
            self.postings.setdefault(key, set()).add(slot)

    def lookup(self, keys: Keys) -> list[int]:
        """Slots of stories posting one of the rarest names/entities/places among ``keys``."""
        mine = keys[_posted_kind(kinds_of(keys))]
        if not len(mine):
            return []
        counts = self.count(mine)
        rare = counts <= RARE_COUNT
        mine, counts = mine[rare], counts[rare]
        order = np.lexsort((mine, counts))[:MAX_LOOKUP]
        found: set[int] = set()
        for key in mine[order]:
            found.update(self.postings.get(int(key), ()))
        return sorted(found)


def _ints(keys: Keys | Iterable[int]) -> Iterable[int]:
    return keys.tolist() if isinstance(keys, np.ndarray) else keys


def _posted_kind(kinds: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """``np.isin(kinds, POSTED_KINDS)`` without its set-up cost on small arrays."""
    out: npt.NDArray[np.bool_] = np.equal(kinds, POSTED_KINDS[0])
    for kind in POSTED_KINDS[1:]:
        out |= kinds == kind
    return out


def _among(keys: Keys, sorted_keys: Keys) -> npt.NDArray[np.bool_]:
    """``np.isin(keys, sorted_keys)`` for sorted ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    out: npt.NDArray[np.bool_] = np.equal(sorted_keys[at], keys)
    return out


def _rows_of(matrix: Floats) -> Callable[[int, int], Floats]:
    return lambda start, stop: matrix[start:stop]


class VectorIndex:
    """Unit vectors by slot; ``search`` gives the slots of the closest ones.

    Exact mode keeps a float32 matrix; graph mode keeps only the HNSW graph (int8 vectors). The
    owner calls ``reload`` with every live vector when ``wants_reload`` says the mode should change
    (and to bulk-load).
    """

    def __init__(self, dim: int, *, exact_max: int = EXACT_MAX) -> None:
        self.dim = dim
        self.exact_max = exact_max
        self.matrix = np.zeros((64, dim), dtype=np.float32)
        self.used = np.zeros(64, dtype=bool)
        self.n_used = 0
        self._graph: Any = None
        self._indexed_n: dict[int, int] = {}

    @property
    def exact(self) -> bool:
        return self._graph is None

    @property
    def wants_reload(self) -> bool:
        """True when the number of live vectors calls for the other mode."""
        if self._graph is None:
            return self.n_used > self.exact_max
        return self.n_used <= self.exact_max // 2

    def reload(self, slots: npt.NDArray[np.int64], vectors: Floats | Callable[[int, int], Floats]) -> None:
        """Replace the whole index with one vector per slot (rows of ``vectors``, or ``vectors(i, j)``:
        the rows of ``slots[i:j]``), in the mode their count calls for. A graph takes them
        ``RELOAD_CHUNK`` at a time, so the owner need not build a matrix of every live vector (320 MB
        for 156,000 stories)."""
        rows = vectors if callable(vectors) else _rows_of(vectors)
        self.n_used = len(slots)
        self._indexed_n = {}
        size = 64
        while size <= (int(slots.max()) if len(slots) else 0):
            size *= 2
        self.used = np.zeros(size, dtype=bool)
        self.used[slots] = True
        if self.n_used <= self.exact_max:
            self._graph = None
            self.matrix = np.zeros((size, self.dim), dtype=np.float32)
            self.matrix[slots] = rows(0, len(slots))
            return
        from usearch.index import Index

        LOGGER.info("assign: %d live stories, using the HNSW vector index", self.n_used)
        self.matrix = np.zeros((0, self.dim), dtype=np.float32)
        self._graph = Index(
            ndim=self.dim,
            metric="ip",
            dtype="i8",
            connectivity=GRAPH_CONNECTIVITY,
            expansion_add=GRAPH_EXPANSION,
            expansion_search=GRAPH_EXPANSION,
        )
        for start in range(0, len(slots), RELOAD_CHUNK):
            stop = min(start + RELOAD_CHUNK, len(slots))
            self._graph.add(slots[start:stop].astype(np.uint64), np.ascontiguousarray(rows(start, stop)))

    def _grow(self, slot: int) -> None:
        size = len(self.used)
        while slot >= size:
            size *= 2
        if size == len(self.used):
            return
        used = np.zeros(size, dtype=bool)
        used[: len(self.used)] = self.used
        self.used = used
        if self._graph is None:
            matrix = np.zeros((size, self.dim), dtype=np.float32)
            matrix[: len(self.matrix)] = self.matrix
            self.matrix = matrix

    def put(self, slot: int, vector: Floats, n: int = 1) -> None:
        """Set the vector of ``slot`` (new or moved) for a story of ``n`` members."""
        self._grow(slot)
        fresh = not self.used[slot]
        if fresh:
            self.used[slot] = True
            self.n_used += 1
        if self._graph is None:
            self.matrix[slot] = vector
            return
        last = self._indexed_n.get(slot)
        if not fresh and last is not None and n < REINDEX_GROWTH * last and n > REINDEX_BELOW:
            return  # a big story's centroid barely moves with one more member
        if not fresh:
            self._graph.remove(slot)
        self._graph.add(slot, vector)
        self._indexed_n[slot] = n

    def drop(self, slot: int) -> None:
        if slot < len(self.used) and self.used[slot]:
            self.used[slot] = False
            self.n_used -= 1
            if self._graph is None:
                self.matrix[slot] = 0.0
            else:
                self._graph.remove(slot)
                self._indexed_n.pop(slot, None)

    def search(self, vector: Floats, k: int) -> list[int]:
        """Up to ``k`` used slots closest to ``vector`` (cosine), closest first, ties by slot."""
        if self.n_used == 0 or k <= 0:
            return []
        if self._graph is not None:
            found = self._graph.search(vector, k)
            return [int(s) for s in found.keys]
        high = int(np.flatnonzero(self.used)[-1]) + 1
        scores = self.matrix[:high] @ vector
        scores[~self.used[:high]] = -np.inf
        k = min(k, self.n_used)
        top = np.argpartition(-scores, k - 1)[:k] if k < high else np.arange(high)
        top = top[np.isfinite(scores[top])]
        order = np.lexsort((top, -scores[top]))
        return [int(s) for s in top[order]]
