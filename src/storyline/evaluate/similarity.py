"""Evaluate the pair scorer on SemEval-2022 Task 8 style pairs (``../shared/data/similarity``).

Each line: ``{"pair_id", "lang1", "lang2", "text1", "text2", "overall", ...}`` with ``overall`` on
the gold scale (1 = same story, 4 = unrelated). Predictions are on the same scale, so Pearson is
positive when the scorer agrees with the annotators.

Split: a pair is in ``fit`` when ``int(sha256(pair_id), 16) % 10 < 7`` (about 70 %), else in
``heldout``. ``scripts/train_similarity.py`` fits the packaged model on ``fit`` only.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.embed import Embedder
from storyline.evaluate.jsonl import read_records
from storyline.evaluate.metrics import pearson, spearman
from storyline.stories.similarity import PairInput, PairScorer, default_scorer

__all__ = ["GoldPair", "article_groups", "evaluate_similarity", "read_pairs", "split_of"]

LOGGER = logging.getLogger(__name__)

SPLITS = ("all", "fit", "heldout")
FIT_SHARE_TENTHS = 7
BATCH_PAIRS = 64


@dataclass(frozen=True, slots=True)
class GoldPair:
    pair_id: str
    lang1: str
    lang2: str
    text1: str
    text2: str
    overall: float
    official: bool | None = None

    @property
    def lang_pair(self) -> str:
        return f"{self.lang1}-{self.lang2}"


def split_of(pair_id: str) -> str:
    """``"fit"`` or ``"heldout"``: a deterministic 70/30 split by the hash of the pair id."""
    bucket = int(hashlib.sha256(pair_id.encode("utf-8")).hexdigest(), 16) % 10
    return "fit" if bucket < FIT_SHARE_TENTHS else "heldout"


def read_pairs(path: Path, *, split: str = "all") -> Iterator[GoldPair]:
    """The gold pairs of ``path`` in the given split, in file order."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    pairs = read_records(
        path,
        _parse_pair,
        expected="a JSON object with pair_id, lang1, lang2, text1, text2 and a numeric overall",
    )
    for pair in pairs:
        if split == "all" or split_of(pair.pair_id) == split:
            yield pair


def article_groups(pairs: Sequence[GoldPair]) -> list[int]:
    """A group number per pair, for cross-validation grouped by article: pairs that share an article
    (the same article id in their ``pair_id``s, ``<id1>_<id2>``, or the same text) get one group,
    transitively, so no article is on both sides of a fold."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def keys(pair: GoldPair) -> list[str]:
        ids = pair.pair_id.split("_", 1)
        texts = (
            hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest() for t in (pair.text1, pair.text2)
        )
        return [f"id:{i}" for i in ids] + [f"text:{h}" for h in texts]

    for pair in pairs:
        first, *rest = keys(pair)
        for other in rest:
            parent[find(other)] = find(first)
    roots: dict[str, int] = {}
    return [roots.setdefault(find(keys(p)[0]), len(roots)) for p in pairs]


def _parse_pair(obj: Any) -> GoldPair:
    return GoldPair(
        pair_id=str(obj["pair_id"]),
        lang1=str(obj["lang1"]),
        lang2=str(obj["lang2"]),
        text1=str(obj["text1"]),
        text2=str(obj["text2"]),
        overall=float(obj["overall"]),
        official=obj.get("in_official_labels"),
    )


def _inputs(pair: GoldPair) -> tuple[PairInput, PairInput]:
    return PairInput(text=pair.text1, language=pair.lang1), PairInput(text=pair.text2, language=pair.lang2)


def evaluate_similarity(
    path: Path,
    *,
    split: str = "all",
    progress: Callable[[int, int], None] | None = None,
    scorer: PairScorer | None = None,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """Score every pair of ``path`` in ``split`` and compare with the gold ``overall``.

    Returns ``n``, ``pearson``, ``spearman``, ``by_lang_pair`` (Pearson per ``"l1-l2"``), and
    ``n_by_lang_pair``, ``official_subset_pearson`` (rows marked ``in_official_labels``),
    ``split``, ``model``, ``seconds_per_pair`` (embedding included). ``progress(done, total)`` is
    called after each batch. ``embedder`` (``settings.embedder`` from the CLI) embeds the texts; it
    must be in the space the model was fitted in (None: the model's own).
    """
    pairs = list(read_pairs(path, split=split))
    scorer = scorer or default_scorer(embedder)
    started = time.perf_counter()
    predicted: list[float] = []
    for lo in range(0, len(pairs), BATCH_PAIRS):
        batch = pairs[lo : lo + BATCH_PAIRS]
        predicted.extend(s.overall for s in scorer.score_pairs([_inputs(p) for p in batch]))
        if progress is not None:
            progress(len(predicted), len(pairs))
    elapsed = time.perf_counter() - started
    gold = [p.overall for p in pairs]
    by_pair: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_pair[p.lang_pair].append(i)
    official = [i for i, p in enumerate(pairs) if p.official]
    LOGGER.info("eval similarity: %d pairs (%s) in %.1f s", len(pairs), split, elapsed)
    return {
        "n": len(pairs),
        "pearson": _round(pearson(predicted, gold)),
        "spearman": _round(spearman(predicted, gold)),
        "by_lang_pair": {
            lp: _round(pearson([predicted[i] for i in idx], [gold[i] for i in idx]))
            for lp, idx in sorted(by_pair.items())
        },
        "n_by_lang_pair": {lp: len(idx) for lp, idx in sorted(by_pair.items())},
        "official_subset_pearson": _round(
            pearson([predicted[i] for i in official], [gold[i] for i in official])
        ),
        "split": split,
        "model": scorer.model.version,
        "seconds_per_pair": round(elapsed / len(pairs), 4) if pairs else None,
    }


def _round(x: float) -> float | None:
    return None if x != x else round(x, 4)
