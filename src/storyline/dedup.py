"""Dedup stage: exact copies (normalised-text hash) and near-copies (MinHash LSH over word shingles).

A copy is kept and marked ``duplicate_of`` its original: it counts as coverage, not as a new article.
Only originals go into the index, so ``duplicate_of`` always names an original.

A near-copy is an article whose estimated Jaccard similarity with an original reaches
``threshold``, or most of whose shingles the original already holds (an excerpt or a trimmed wire
copy: containment >= ``containment``). Containment is derived from the MinHash Jaccard estimate and
the two shingle-set sizes: |A ∩ B| = J (|A| + |B|) / (1 + J).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import struct
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.model import Article, normalise_text

LOGGER = logging.getLogger(__name__)

_SIZE = struct.Struct("<I")
NO_TIME = np.iinfo(np.int64).min  # an undated original: always a near-copy candidate
SCHEME = "affine32"  # datasketch 2.x: 32-bit hash values; pinned so stored signatures keep their meaning
CANDIDATE_THRESHOLD = 0.3


@dataclass(frozen=True, slots=True)
class Signature:
    """A MinHash over an article's shingles, with the shingle-set size (for containment)."""

    hashvalues: np.ndarray
    n_shingles: int

    def to_bytes(self) -> bytes:
        return _SIZE.pack(self.n_shingles) + self.hashvalues.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        (n,) = _SIZE.unpack_from(data)
        return cls(np.frombuffer(data, dtype="<u4", offset=_SIZE.size).astype(np.uint32), n)


@functools.lru_cache(maxsize=8)
def _permutations(num_perm: int) -> np.ndarray:
    """datasketch's permutation parameters for ``num_perm``, built once: building them costs
    ~0.4 ms, more than hashing a whole article."""
    perms: np.ndarray = MinHash(num_perm=num_perm, scheme=SCHEME).permutations
    return perms


def _minhash(num_perm: int) -> MinHash:
    # crc32 (C) instead of datasketch's default per-shingle sha1 (a Python-level call, ~1 µs each):
    # datasketch mixes every input hash with a murmur finaliser before permuting, so crc32's
    # linearity does not leak into the signature.
    return MinHash(
        num_perm=num_perm,
        hashfunc=zlib.crc32,
        permutations=_permutations(num_perm),
        scheme=SCHEME,
    )


def make_signature(text: str, *, shingle_words: int, num_perm: int) -> Signature:
    """MinHash of ``text``'s word shingles (a text shorter than one shingle is one shingle)."""
    words = normalise_text(text).split()
    k = shingle_words
    shingles = {" ".join(words[i : i + k]).encode() for i in range(max(1, len(words) - k + 1))}
    mh = _minhash(num_perm)
    mh.update_batch(list(shingles))
    return Signature(mh.hashvalues.copy(), len(shingles))


class BandIndex:
    """LSH banding over MinHash signatures, kept as one numpy matrix.

    Hand-written rather than datasketch's ``MinHashLSH`` because that index takes one MinHash
    object at a time (about 0.2 ms each), so re-opening a store of 50k articles cost ~10 s. Here the
    stored signatures are loaded in bulk: band keys computed for all rows at once and sorted per
    band (lookups by binary search); articles added during a run go to small per-band dicts.
    The band layout (``b`` bands of ``r`` rows) is datasketch's optimum for the threshold.
    """

    def __init__(self, *, num_perm: int, threshold: float) -> None:
        layout = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.bands, self.rows = int(layout.b), int(layout.r)
        self._matrix = np.zeros((1024, num_perm), dtype=np.uint32)
        self._sizes = np.zeros(1024, dtype=np.int64)
        self._times = np.zeros(1024, dtype=np.int64)  # published, µs since the epoch; NO_TIME: undated
        self.ids: list[str] = []
        empty_keys, empty_rows = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        self._sorted: list[tuple[np.ndarray, np.ndarray]] = [(empty_keys, empty_rows)] * self.bands
        self._recent: list[dict[int, list[int]]] = [{} for _ in range(self.bands)]

    def __len__(self) -> int:
        return len(self.ids)

    def _keys(self, matrix: np.ndarray) -> np.ndarray:
        """``(n, bands)`` uint64 keys: each band's ``rows`` hash values mixed into one integer."""
        used = (
            matrix[:, : self.bands * self.rows].astype(np.uint64).reshape(len(matrix), self.bands, self.rows)
        )
        keys = np.zeros((len(matrix), self.bands), dtype=np.uint64)
        for j in range(self.rows):
            keys = keys * np.uint64(0x9E3779B97F4A7C15) + used[:, :, j]
        return keys

    def _append(self, ids: list[str], matrix: np.ndarray, sizes: np.ndarray, times: np.ndarray) -> int:
        first, n = len(self.ids), len(ids)
        capacity = len(self._matrix)
        while first + n > capacity:
            capacity *= 2
        if capacity > len(self._matrix):
            self._matrix = np.resize(self._matrix, (capacity, self._matrix.shape[1]))
            self._sizes = np.resize(self._sizes, capacity)
            self._times = np.resize(self._times, capacity)
        self._matrix[first : first + n] = matrix
        self._sizes[first : first + n] = sizes
        self._times[first : first + n] = times
        self.ids.extend(ids)
        return first

    def add_bulk(self, ids: list[str], matrix: np.ndarray, sizes: np.ndarray, times: np.ndarray) -> None:
        """Add many signatures at once (loading a store): merged into the sorted band arrays."""
        first = self._append(ids, matrix, sizes, times)
        rows = np.arange(first, first + len(ids), dtype=np.int64)
        for band, column in enumerate(self._keys(matrix).T):
            keys = np.concatenate([self._sorted[band][0], column])
            all_rows = np.concatenate([self._sorted[band][1], rows])
            order = np.argsort(keys)
            self._sorted[band] = (keys[order], all_rows[order])

    def add(self, article_id: str, hashvalues: np.ndarray, n_shingles: int, at_us: int = NO_TIME) -> None:
        """Add one signature (during a run)."""
        row = self._append([article_id], hashvalues[None, :], np.array([n_shingles]), np.array([at_us]))
        for band, key in enumerate(self._keys(hashvalues[None, :])[0].tolist()):
            self._recent[band].setdefault(key, []).append(row)

    def candidates(
        self, signature: Signature, not_before_us: int = NO_TIME
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows sharing a band with ``signature``: (row numbers, Jaccard estimates, shingle sizes).

        Rows published before ``not_before_us`` are left out (undated rows never are)."""
        keys = self._keys(signature.hashvalues[None, :])[0]
        found: set[int] = set()
        for band, key in enumerate(keys.tolist()):
            sorted_keys, sorted_rows = self._sorted[band]
            lo = int(np.searchsorted(sorted_keys, keys[band], side="left"))
            hi = int(np.searchsorted(sorted_keys, keys[band], side="right"))
            found.update(sorted_rows[lo:hi].tolist())
            found.update(self._recent[band].get(key, ()))
        rows = np.fromiter(sorted(found), dtype=np.int64, count=len(found))
        if not_before_us != NO_TIME and len(rows):
            times = self._times[rows]
            rows = rows[(times == NO_TIME) | (times >= not_before_us)]
        jaccard = (self._matrix[rows] == signature.hashvalues).mean(axis=1)
        return rows, jaccard, self._sizes[rows]


class Deduplicator:
    """Online exact and near-copy detection. ``check`` decides; ``add`` remembers an original.

    Exact copies are found over every original ever stored: those of this run in memory, older ones
    through ``lookup`` (the store's content-hash index), so memory does not grow with the store.
    Near-copies are looked for among originals published within ``window_days`` before the stream's
    clock (the latest publication time seen; 0 = no window) and undated ones. The rule depends only
    on the originals' times and the clock, so an index restored with ``load`` (which needs only the
    window) decides exactly as one that saw the whole stream.
    """

    def __init__(
        self,
        *,
        shingle_words: int = 5,
        num_perm: int = 128,
        threshold: float = 0.7,
        containment: float = 0.8,
        window_days: float = 0.0,
        lookup: Callable[[str], str | None] | None = None,
    ) -> None:
        self.shingle_words = shingle_words
        self.num_perm = num_perm
        self.threshold = threshold
        self.containment = containment
        self.window_us = int(window_days * DAY_US)
        self.lookup = lookup
        self.now_us = NO_TIME
        self._by_hash: dict[str, str] = {}
        self._known: set[str] = set()
        self._index = BandIndex(num_perm=num_perm, threshold=CANDIDATE_THRESHOLD)

    def __repr__(self) -> str:
        return (
            f"Deduplicator(shingle_words={self.shingle_words}, num_perm={self.num_perm}, "
            f"threshold={self.threshold}, containment={self.containment}, "
            f"window_days={self.window_us / DAY_US:g})"
        )

    def __len__(self) -> int:
        return len(self._index)

    def signature(self, text: str) -> Signature:
        """MinHash signature of ``text`` with this index's settings."""
        return make_signature(text, shingle_words=self.shingle_words, num_perm=self.num_perm)

    def since(self) -> datetime | None:
        """The earliest publication time a near-copy original can have now (None: any)."""
        if self.window_us == 0 or self.now_us == NO_TIME:
            return None
        return _EPOCH + timedelta(microseconds=self.now_us - self.window_us)

    def tick(self, published: datetime | None) -> None:
        """Advance the clock to ``published`` (later than now: the stream's clock never goes back)."""
        if published is not None:
            self.now_us = max(self.now_us, time_us(published))

    def check(self, article: Article, signature: Signature) -> str | None:
        """The id of the original ``article`` copies, or None when it is new."""
        exact = self._by_hash.get(article.content_hash)
        if exact is None and self.lookup is not None:
            exact = self.lookup(article.content_hash)
        if exact is not None and exact != article.id:
            return exact
        not_before = (
            NO_TIME if self.window_us == 0 or self.now_us == NO_TIME else self.now_us - self.window_us
        )
        rows, jaccard, sizes = self._index.candidates(signature, not_before)
        if not len(rows):
            return None
        shared = jaccard * (sizes + signature.n_shingles) / (1.0 + jaccard)
        contained = shared / max(1, signature.n_shingles)
        score = np.maximum(jaccard, contained)
        score[(jaccard < self.threshold) & (contained < self.containment)] = -1.0
        ids = self._index.ids
        best = max(
            ((float(score[i]), ids[row]) for i, row in enumerate(rows.tolist()) if ids[row] != article.id),
            default=(-1.0, ""),
        )
        return best[1] if best[0] >= 0 else None

    def add(
        self, article_id: str, content_hash: str, signature: Signature, published: datetime | None = None
    ) -> None:
        """Remember an original (idempotent)."""
        self._by_hash.setdefault(content_hash, article_id)
        if article_id not in self._known:
            self._known.add(article_id)
            at_us = NO_TIME if published is None else time_us(published)
            self._index.add(article_id, signature.hashvalues, signature.n_shingles, at_us)

    def load(
        self,
        entries: Iterable[tuple[str, str, bytes] | tuple[str, str, bytes, datetime | None]],
        *,
        now: datetime | None = None,
    ) -> int:
        """Fill the index from stored ``(article_id, content_hash, signature bytes[, published])``;
        ``now`` restores the clock (the latest publication time stored). Returns the count."""
        self.tick(now)
        rows = [(*entry, None)[:4] for entry in entries]
        if not rows:
            return 0
        ids, hashes, blobs, published = zip(*rows, strict=True)
        known = dict(zip(reversed(hashes), reversed(ids), strict=True))  # the first original wins
        known.update(self._by_hash)
        self._by_hash = known
        width = _SIZE.size + 4 * self.num_perm
        fresh = set(ids) - self._known
        keep = [k for k, blob in enumerate(blobs) if len(blob) == width and ids[k] in fresh]
        ids = tuple(ids[k] for k in keep)  # other widths: stored with other settings (exact dedup only)
        self._known.update(ids)
        if ids:
            packed = np.frombuffer(b"".join(blobs[k] for k in keep), dtype="<u4").reshape(len(ids), -1)
            times = np.asarray(
                [NO_TIME if published[k] is None else time_us(published[k]) for k in keep], dtype=np.int64
            )
            self._index.add_bulk(
                list(ids), packed[:, 1:].astype(np.uint32), packed[:, 0].astype(np.int64), times
            )
        LOGGER.info("dedup: loaded %d stored signatures", len(ids))
        return len(ids)

    def mark(self, article: Article, signature: Signature | None = None) -> Article:
        """``tick``, ``check`` then ``add``: the article with ``duplicate_of`` set when it is a copy."""
        sig = signature if signature is not None else self.signature(article.text)
        self.tick(article.published_at)
        original = self.check(article, sig)
        if original is None:
            self.add(article.id, article.content_hash, sig, article.published_at)
            return article
        return dataclasses.replace(article, duplicate_of=original)


def time_us(moment: datetime) -> int:
    """Microseconds since the epoch (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


_EPOCH = datetime.fromtimestamp(0, UTC)
DAY_US = 86_400_000_000
