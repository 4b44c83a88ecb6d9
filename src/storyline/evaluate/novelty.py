"""Does novelty track meaning? The share of a text's sentences reported new against another text.

On SemEval 2022 task 8 pairs (``../shared/data/similarity/*.jsonl``; ``overall`` 1 = same story,
4 = unrelated): for each pair, the sentences of ``text2`` are scored against those of ``text1``
exactly as "what's new" scores a new article against earlier coverage
(``stories.digest_novelty.carried_scores``, multilingual rows plus word overlap; facts are not
used here). A good novelty measure reports few sentences new for pairs about the same story and
most for unrelated pairs, whatever the languages.

Returns ``n``, ``n_same`` and ``n_unrelated`` (pairs with ``overall <= 1.5`` / ``>= 3.5``),
``mean_new_same``, ``mean_new_unrelated`` (mean share of new sentences), ``auc`` (the chance that an
unrelated pair has a larger share new than a same-story pair; ties count half), ``auc_cross_lingual``
(pairs whose two texts differ in language), ``spearman`` (share new against ``overall``, all pairs),
``seconds_per_pair``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.digest import article_sentences, carried_scores, stems
from storyline.embed import Embedder
from storyline.evaluate.metrics import spearman
from storyline.evaluate.similarity import GoldPair, read_pairs
from storyline.model import Article

__all__ = ["auc", "evaluate_novelty", "share_new"]

LOGGER = logging.getLogger(__name__)

SAME_MAX = 1.5
UNRELATED_MIN = 3.5
MAX_SENTENCES = 40
BATCH_PAIRS = 32


def auc(positive: Sequence[float], negative: Sequence[float]) -> float | None:
    """P(a positive scores above a negative), ties half (Mann-Whitney); None if either is empty."""
    if not positive or not negative:
        return None
    pos, neg = np.asarray(positive, float), np.asarray(negative, float)
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def _sentences(text: str, language: str) -> list[str]:
    found = article_sentences(Article(id="x", text=text, language=language))
    return [s.text for s in found[:MAX_SENTENCES]]


def share_new(pairs: Sequence[GoldPair], embedder: Embedder) -> list[float | None]:
    """For each pair, the share of ``text2``'s sentences new against ``text1`` (None: no sentences)."""
    firsts = [_sentences(p.text1, p.lang1) for p in pairs]
    seconds = [_sentences(p.text2, p.lang2) for p in pairs]
    rows = embedder.embed([s for group in (*firsts, *seconds) for s in group])
    out: list[float | None] = []
    at = 0
    spans = []
    for group in (*firsts, *seconds):
        spans.append((at, at + len(group)))
        at += len(group)
    n = len(pairs)
    for i in range(n):
        (a0, a1), (b0, b1) = spans[i], spans[n + i]
        if b1 == b0:
            out.append(None)
            continue
        scores = carried_scores(
            rows[b0:b1], [stems(s) for s in seconds[i]], rows[a0:a1], [stems(s) for s in firsts[i]]
        )
        out.append(sum(c.is_new for c in scores) / len(scores))
    return out


def evaluate_novelty(
    path: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    embedder: Embedder,
) -> dict[str, Any]:
    """Score every pair of ``path`` (see the module docstring)."""
    pairs = list(read_pairs(path))
    started = time.perf_counter()
    shares: list[float | None] = []
    for lo in range(0, len(pairs), BATCH_PAIRS):
        shares.extend(share_new(pairs[lo : lo + BATCH_PAIRS], embedder))
        if progress is not None:
            progress(len(shares), len(pairs))
    elapsed = time.perf_counter() - started
    scored = [(p, s) for p, s in zip(pairs, shares, strict=True) if s is not None]
    same = [s for p, s in scored if p.overall <= SAME_MAX]
    unrelated = [s for p, s in scored if p.overall >= UNRELATED_MIN]
    cross_same = [s for p, s in scored if p.overall <= SAME_MAX and p.lang1 != p.lang2]
    cross_unrelated = [s for p, s in scored if p.overall >= UNRELATED_MIN and p.lang1 != p.lang2]
    LOGGER.info("eval novelty: %d pairs in %.1f s", len(pairs), elapsed)
    return {
        "n": len(scored),
        "n_same": len(same),
        "n_unrelated": len(unrelated),
        "mean_new_same": _round(float(np.mean(same)) if same else None),
        "mean_new_unrelated": _round(float(np.mean(unrelated)) if unrelated else None),
        "auc": _round(auc(unrelated, same)),
        "auc_cross_lingual": _round(auc(cross_unrelated, cross_same)),
        "n_cross_lingual": len(cross_same) + len(cross_unrelated),
        "spearman": _round(
            spearman([s for _, s in scored], [p.overall for p, _ in scored]) if scored else None
        ),
        "seconds_per_pair": round(elapsed / len(pairs), 4) if pairs else None,
    }


def _round(x: float | None) -> float | None:
    return None if x is None or x != x else round(x, 4)
