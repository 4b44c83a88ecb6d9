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
import logging
import struct
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.model import Article, normalise_text

LOGGER = logging.getLogger(__name__)

_SIZE = struct.Struct("<I")
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


def make_signature(text: str, *, shingle_words: int, num_perm: int) -> Signature:
    """MinHash of ``text``'s word shingles (a text shorter than one shingle is one shingle)."""
    words = normalise_text(text).split()
    k = shingle_words
    shingles = {" ".join(words[i : i + k]).encode() for i in range(max(1, len(words) - k + 1))}
    mh = MinHash(num_perm=num_perm, scheme=SCHEME)
    mh.update_batch(list(shingles))
    return Signature(mh.hashvalues.copy(), len(shingles))


class Deduplicator:
    """Online exact and near-copy detection. ``check`` decides; ``add`` remembers an original."""

    def __init__(
        self, *, shingle_words: int = 5, num_perm: int = 128, threshold: float = 0.7, containment: float = 0.8
    ) -> None:
        self.shingle_words = shingle_words
        self.num_perm = num_perm
        self.threshold = threshold
        self.containment = containment
        self._by_hash: dict[str, str] = {}
        self._signatures: dict[str, Signature] = {}
        self._lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=num_perm)

    def __repr__(self) -> str:
        return (
            f"Deduplicator(shingle_words={self.shingle_words}, num_perm={self.num_perm}, "
            f"threshold={self.threshold}, containment={self.containment})"
        )

    def __len__(self) -> int:
        return len(self._by_hash)

    def signature(self, text: str) -> Signature:
        """MinHash signature of ``text`` with this index's settings."""
        return make_signature(text, shingle_words=self.shingle_words, num_perm=self.num_perm)

    def check(self, article: Article, signature: Signature) -> str | None:
        """The id of the original ``article`` copies, or None when it is new."""
        exact = self._by_hash.get(article.content_hash)
        if exact is not None and exact != article.id:
            return exact
        query = MinHash(num_perm=self.num_perm, hashvalues=signature.hashvalues, scheme=SCHEME)
        best: tuple[float, str] | None = None
        for key in self._lsh.query(query):
            if key == article.id:
                continue
            other = self._signatures[key]
            jaccard = float(np.mean(other.hashvalues == signature.hashvalues))
            shared = jaccard * (other.n_shingles + signature.n_shingles) / (1.0 + jaccard)
            contained = shared / max(1, signature.n_shingles)
            if jaccard >= self.threshold or contained >= self.containment:
                score = max(jaccard, contained)
                if best is None or (score, key) > best:
                    best = (score, key)
        return best[1] if best else None

    def add(self, article_id: str, content_hash: str, signature: Signature) -> None:
        """Remember an original (idempotent)."""
        self._by_hash.setdefault(content_hash, article_id)
        if article_id in self._signatures:
            return
        self._signatures[article_id] = signature
        self._lsh.insert(article_id, MinHash(num_perm=self.num_perm, hashvalues=signature.hashvalues, scheme=SCHEME))

    def load(self, entries: Iterable[tuple[str, str, bytes]]) -> int:
        """Fill the index from stored ``(article_id, content_hash, signature bytes)``; returns the count."""
        n = 0
        for article_id, content_hash, data in entries:
            sig = Signature.from_bytes(data)
            if len(sig.hashvalues) != self.num_perm:
                continue  # stored with other settings: exact-hash dedup still applies
            self.add(article_id, content_hash, sig)
            n += 1
        LOGGER.info("dedup: loaded %d stored signatures", n)
        return n

    def mark(self, article: Article, signature: Signature | None = None) -> Article:
        """``check`` then ``add``: the article with ``duplicate_of`` set when it is a copy."""
        sig = signature if signature is not None else self.signature(article.text)
        original = self.check(article, sig)
        if original is None:
            self.add(article.id, article.content_hash, sig)
            return article
        return dataclasses.replace(article, duplicate_of=original)
