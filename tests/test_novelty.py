"""Novelty: copies and translations are carried, unrelated sentences are new, and on SemEval pairs
the share new separates same-story pairs from unrelated ones (issue 6, "what must be shown" 2)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storyline.digest import CARRIED_THRESHOLD, carried_scores, stems
from storyline.embed.use import UseEmbedder
from storyline.evaluate.novelty import auc, evaluate_novelty

EARLIER = [
    "NATO defence ministers will decide on the Afghanistan mission at a meeting in February.",
    "Stoltenberg warned that the alliance must keep investing in defence despite the pandemic.",
]


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    return UseEmbedder()


def _carried(embedder: UseEmbedder, new: list[str], old: list[str]) -> list[float]:
    scores = carried_scores(
        embedder.embed(new), [stems(s) for s in new], embedder.embed(old), [stems(s) for s in old]
    )
    return [c.score for c in scores]


def test_a_copy_is_carried_and_nothing_earlier_means_new(embedder: UseEmbedder) -> None:
    assert _carried(embedder, [EARLIER[0]], EARLIER) == [pytest.approx(1.0, abs=1e-5)]
    assert _carried(embedder, [EARLIER[0]], []) == [0.0]


def test_a_translation_is_carried(embedder: UseEmbedder) -> None:
    german = "Die NATO-Verteidigungsminister entscheiden im Februar über den Afghanistan-Einsatz."
    (score,) = _carried(embedder, [german], EARLIER)
    assert score >= CARRIED_THRESHOLD


def test_an_unrelated_sentence_is_new(embedder: UseEmbedder) -> None:
    (score,) = _carried(
        embedder, ["Heavy rain flooded roads across Queensland and closed 200 schools."], EARLIER
    )
    assert score < CARRIED_THRESHOLD


def test_rows_and_stems_must_align(embedder: UseEmbedder) -> None:
    with pytest.raises(ValueError, match="same length"):
        carried_scores(embedder.embed(["a b c"]), [], np.zeros((0, 512), np.float32), [])


def test_auc() -> None:
    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auc([0.5], [0.5]) == 0.5
    assert auc([], [0.1]) is None


def test_novelty_tracks_meaning_on_semeval_pairs(
    shared_data: Path, tmp_path: Path, embedder: UseEmbedder
) -> None:
    rows = [
        json.loads(line)
        for line in (shared_data / "similarity" / "semeval22_dev.jsonl").open(encoding="utf-8")
    ]
    same = [r for r in rows if r["overall"] <= 1.5][:40]
    unrelated = [r for r in rows if r["overall"] >= 3.5][:40]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(json.dumps(r) + "\n" for r in same + unrelated), encoding="utf-8")
    result = evaluate_novelty(sample, embedder=embedder)
    assert result["n_same"] == 40 and result["n_unrelated"] == 40
    assert result["mean_new_same"] < result["mean_new_unrelated"]
    assert result["auc"] > 0.75
