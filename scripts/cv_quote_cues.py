"""Out-of-fold attribution figures for the learned English cue table (issue 16, honest evaluation).

    PYTHONPATH=src python scripts/cv_quote_cues.py ../shared/data/quotes/polnear_dev.jsonl \
        [--folds 5] [--grid] [--json]

The shipped table (``understand/cues.json``) is learned by ``scripts/learn_quote_cues.py`` on
PolNeAR's ``tune`` articles and scored on ``heldout``: one split. This script scores the learning
*procedure* by cross-validation grouped by article: every article of the file falls in one of
``--folds`` folds (sha256 of its id), the table is learned from the other folds' counts, and the
fold's articles are scored with that table. The pooled out-of-fold predictions of all 924 articles
give the figures (``storyline eval quotes`` metrics). ``--grid`` does this for a few thresholds and
minimum counts, so the shipped setting (0.25, 3) is compared with its neighbours on out-of-fold
figures, never on the articles it was learned from. It also learns the table from the ``tune``
articles as ``learn_quote_cues.py`` does and lists the (part of speech, lemma, frame) keys where it
differs from the shipped one (parses move slightly between spaCy and thinc versions).

Each article is parsed once for counting; each setting then costs one pass of ``find_attributions``
(about 3-5 minutes on the 2-core machine). The quote finder reads the table through
``understand.quotes._parse.cue_table``, which this script replaces per fold (an evaluation harness:
the product has one shipped table).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any
from unittest import mock

from learn_quote_cues import article_frames, learn_table

from storyline.evaluate.quotes import GoldArticle, Prediction, read_articles, score_quotes, split_of
from storyline.understand import cues
from storyline.understand.quotes import _parse, find_attributions

SHIPPED = (0.25, 3)
GRID = [(0.2, 3), (0.25, 2), (0.25, 3), (0.25, 5), (0.3, 3)]


def fold_of(article_id: str, folds: int) -> int:
    return int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[8:16], 16) % folds


def predictions(article: GoldArticle) -> list[Prediction]:
    """What ``evaluate.quotes.evaluate_quotes`` scores for one article."""
    out = []
    for a in find_attributions(article.text, article_id=article.id, language="en"):
        speaker = tuple((m.start, m.end) for m in a.mentions)
        if not speaker and a.quote.speaker_start is not None and a.quote.speaker_end is not None:
            speaker = ((a.quote.speaker_start, a.quote.speaker_end),)
        out.append(Prediction(a.quote.start, a.quote.end, speaker))
    return out


def out_of_fold(
    articles: list[GoldArticle], counts: list[Any], *, folds: int, threshold: float, min_count: int
) -> dict[str, Any]:
    scored: list[tuple[GoldArticle, list[Prediction]]] = []
    sizes = []
    for k in range(folds):
        train = [c for a, c in zip(articles, counts, strict=True) if fold_of(a.id, folds) != k]
        table = learn_table(train, threshold=threshold, min_count=min_count)
        sizes.append(sum(len(v) for v in table.values()))
        with mock.patch.object(_parse, "cue_table", lambda language, t=table: t if language == "en" else {}):
            scored += [(a, predictions(a)) for a in articles if fold_of(a.id, folds) == k]
    result = score_quotes(scored)
    result["table_lemmas_per_fold"] = sizes
    return result


def _keys(table: dict[str, dict[str, list[str]]]) -> set[tuple[str, str, str]]:
    return {
        (pos, lemma, frame)
        for pos, lemmas in table.items()
        for lemma, frames in lemmas.items()
        for frame in frames
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args(argv)
    articles = list(read_articles(args.path))
    counts = article_frames(articles)
    tune = [c for a, c in zip(articles, counts, strict=True) if split_of(a.id) == "tune"]
    learned = _keys(learn_table(tune, threshold=SHIPPED[0], min_count=SHIPPED[1]))
    shipped = _keys(cues.cue_table("en"))
    settings = GRID if args.grid else [SHIPPED]
    report: dict[str, Any] = {
        "folds": args.folds,
        "grouped_by": "article",
        "n_articles": len(articles),
        "shipped_setting": {"threshold": SHIPPED[0], "min_count": SHIPPED[1]},
        "shipped_table_from_tune": {
            "learned_keys": len(learned),
            "shipped_keys": len(shipped),
            "only_learned": sorted("/".join(k) for k in learned - shipped),
            "only_shipped": sorted("/".join(k) for k in shipped - learned),
        },
        "settings": {},
    }
    keys = ("precision_overlap", "recall_overlap", "f1_overlap", "f1_exact", "speaker_accuracy", "n_pred")
    for threshold, min_count in settings:
        result = out_of_fold(articles, counts, folds=args.folds, threshold=threshold, min_count=min_count)
        report["settings"][f"threshold={threshold} min_count={min_count}"] = {
            **{k: result[k] for k in keys},
            "table_lemmas_per_fold": result["table_lemmas_per_fold"],
        }
        print(json.dumps({f"{threshold}/{min_count}": {k: result[k] for k in keys}}), file=sys.stderr)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
