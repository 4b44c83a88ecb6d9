"""Matching stored articles against many watchlists at once.

``Matcher(watchlists)`` compiles the watchlists once: entity names and keywords into an index
keyed on their first word, example rows into one matrix. ``match(article, names, row)`` then costs
one pass over the article's words, one dictionary look-up per word, a phrase check only for the
terms whose first word occurs, and one matrix-vector product for the meanings, so 1,000 watchlists
add well under a millisecond per article.

An entity term matches when it names (case-folded) an entity mentioned in the article, canonical
name or alias, or occurs in its title or text as a whole phrase; a keyword matches when it occurs
as a whole phrase. The meaning matches when the cosine of the article's row to the example's row
reaches the watchlist's ``threshold``. Each kind a watchlist gives must match; any term of a kind
will do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.model import Watchlist

__all__ = ["Match", "Matcher", "fold"]

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Case-folded, accent-free words joined by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(_WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c))))


@dataclass(frozen=True, slots=True)
class Match:
    """One watchlist an article matched, with a score in [0, 1] and what matched."""

    watchlist: Watchlist
    score: float
    reasons: tuple[str, ...]


class Matcher:
    """Watchlists compiled for matching (see the module docstring)."""

    def __init__(self, watchlists: Sequence[Watchlist], *, dim: int = 512) -> None:
        self.watchlists = list(watchlists)
        self._terms: dict[str, list[tuple[str, int, str]]] = {}  # first word -> (phrase, index, kind)
        for i, w in enumerate(self.watchlists):
            for kind, terms in (("entity", w.entities), ("keyword", w.keywords)):
                for term in terms:
                    folded = fold(term)
                    if folded:
                        self._terms.setdefault(folded.split(" ")[0], []).append((folded, i, kind))
        self._meaning = [i for i, w in enumerate(self.watchlists) if w.example_vector]
        rows = [np.frombuffer(self.watchlists[i].example_vector or b"", np.float32) for i in self._meaning]
        self._rows = np.vstack(rows) if rows else np.zeros((0, dim), np.float32)
        self._thresholds = np.array([self.watchlists[i].threshold for i in self._meaning], np.float32)

    def __len__(self) -> int:
        return len(self.watchlists)

    def match(
        self, title: str, text: str, names: Iterable[str] = (), row: npt.NDArray[np.float32] | None = None
    ) -> list[Match]:
        """The watchlists an article (title, text, entity names, embedder row) matches."""
        folded = f" {fold(title)} {fold(text)} "
        known = {fold(n) for n in names}
        hits: dict[int, set[str]] = {}
        words = set(folded.split()).union(*(n.split() for n in known))
        for word in words:
            for phrase, i, kind in self._terms.get(word, ()):
                if (kind == "entity" and phrase in known) or f" {phrase} " in folded:
                    hits.setdefault(i, set()).add(kind)
        cosines: dict[int, float] = {}
        if row is not None and len(self._meaning) and np.any(row):
            sims = self._rows @ row.astype(np.float32)
            for j in np.flatnonzero(sims >= self._thresholds):
                cosines[self._meaning[j]] = float(sims[j])
        found: list[Match] = []
        for i in sorted(set(hits) | set(cosines)):
            w = self.watchlists[i]
            kinds = hits.get(i, set())
            if (w.entities and "entity" not in kinds) or (w.keywords and "keyword" not in kinds):
                continue
            if w.example_vector and i not in cosines:
                continue
            reasons = tuple(sorted(kinds)) + (("meaning",) if i in cosines else ())
            found.append(Match(w, round(cosines.get(i, 1.0), 4), reasons))
        return found
