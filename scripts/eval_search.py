"""Search quality across languages: words vs meaning vs both (issue #14, "what must be shown" 3).

On ``../shared/data/similarity/semeval22_dev.jsonl`` (SemEval-2022 Task 8 article pairs, 1 = most
similar ... 4 = least), every pair rated the same story (``overall <= --same``, default 1.5) gives two
queries: the title of one article (the headline at the start of its text, ``embed.article_title``)
searched over a store holding every article of the file; a query is a hit when its partner (or the
original the partner was stored as a copy of) is among the first ``--k`` (10) results. Each mode
(``words``: the store's full-text index; ``meaning``: the stored multilingual vectors; ``both``:
reciprocal rank fusion) is scored per language pair (``de-en`` counts both directions) and overall.

    python scripts/eval_search.py [--data PATH] [--same 1.5] [--k 10] [--json]

The store is built once per run (default settings, ``understand`` off: search needs only the text
and the vectors) in a temporary directory; nothing is written to the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "similarity" / "semeval22_dev.jsonl"
MODES = ("words", "meaning", "both")


def _articles(rows: list[dict[str, object]]) -> dict[str, tuple[str, str]]:
    """``id -> (language, text)`` of every article of the pairs (the first text of an id wins)."""
    out: dict[str, tuple[str, str]] = {}
    for row in rows:
        first, second = str(row["pair_id"]).split("_", 1)
        out.setdefault(first, (str(row["lang1"]), str(row["text1"])))
        out.setdefault(second, (str(row["lang2"]), str(row["text2"])))
    return out


def evaluate(data: Path, *, same: float, k: int) -> dict[str, object]:
    from storyline.embed import article_title
    from storyline.ingest import iter_inputs
    from storyline.pipeline import Components, run
    from storyline.settings import Settings
    from storyline.store import ArticleFilter
    from storyline.store.factory import create_store
    from storyline.web import meaning

    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = _articles(rows)
    settings = dataclasses.replace(Settings(), understand=False)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for article_id, (language, text) in articles.items():
                fh.write(json.dumps({"id": article_id, "text": text, "language": language}) + "\n")
        store = create_store("sqlite.v1", path=Path(tmp) / "search.db")
        started = time.perf_counter()
        run(iter_inputs([str(corpus)], settings), Components.for_store(settings, store), store)
        ingest_s = time.perf_counter() - started
        stored = {
            a.origin: a for a in store.list_articles(ArticleFilter(include_duplicates=True), limit=100_000)
        }
        by_given = _by_given_id(stored, corpus)
        index = meaning.MeaningIndex(store, settings.embedder)
        hits: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MODES, 0))
        queries: dict[str, int] = defaultdict(int)
        started = time.perf_counter()
        for row in rows:
            if float(row["overall"]) > same:
                continue
            ids = str(row["pair_id"]).split("_", 1)
            pair = "-".join(sorted((str(row["lang1"]), str(row["lang2"]))))
            for query_id, partner_id in (ids, ids[::-1]):
                query_article, partner = by_given.get(query_id), by_given.get(partner_id)
                if query_article is None or partner is None:
                    continue
                title = article_title("", query_article.text)
                wanted = {partner.id, partner.duplicate_of} - {None, query_article.id}
                queries[pair] += 1
                for mode in MODES:
                    found = meaning.search(
                        index, store, title, ArticleFilter(), mode=mode, limit=k + 1, offset=0
                    )
                    ranked = [h.article.id for h in found if h.article.id != query_article.id][:k]
                    hits[pair][mode] += bool(wanted & set(ranked))
        search_s = time.perf_counter() - started
    per_pair = {
        pair: {"queries": n, **{f"{mode}_hit_at_{k}": round(hits[pair][mode] / n, 4) for mode in MODES}}
        for pair, n in sorted(queries.items(), key=lambda p: -p[1])
    }
    total = sum(queries.values())
    overall = {
        f"{mode}_hit_at_{k}": round(sum(h[mode] for h in hits.values()) / max(1, total), 4) for mode in MODES
    }
    cross = [p for p in queries if p.split("-")[0] != p.split("-")[1]]
    n_cross = sum(queries[p] for p in cross)
    cross_lingual = {
        f"{mode}_hit_at_{k}": round(sum(hits[p][mode] for p in cross) / max(1, n_cross), 4) for mode in MODES
    }
    return {
        "data": str(data),
        "same_story_overall_at_most": same,
        "k": k,
        "articles": len(articles),
        "queries": total,
        "overall": overall,
        "cross_lingual": {"queries": n_cross, **cross_lingual},
        "per_language_pair": per_pair,
        "ingest_seconds": round(ingest_s, 1),
        "seconds_per_query": round(search_s / max(1, total * len(MODES)), 4),
    }


def _by_given_id(stored: dict[str, object], corpus: Path) -> dict[str, object]:
    """The stored article of each given id (JSONL rows are stored with their line as the origin)."""
    out: dict[str, object] = {}
    for n, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), 1):
        origin = f"{corpus}:{n}"
        if origin in stored:
            out[json.loads(line)["id"]] = stored[origin]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--same", type=float, default=1.5, help="pairs with overall <= this are the same story"
    )
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the JSON only")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"eval_search: {args.data} not found (../shared/data is needed)", file=sys.stderr)
        return 2
    result = evaluate(args.data, same=args.same, k=args.k)
    if not args.json:
        print(f"{'pair':<8}{'queries':>8}" + "".join(f"{m:>10}" for m in MODES), file=sys.stderr)
        for pair, row in result["per_language_pair"].items():  # type: ignore[union-attr]
            print(
                f"{pair:<8}{row['queries']:>8}"
                + "".join(f"{row[f'{m}_hit_at_{args.k}']:>10.3f}" for m in MODES),
                file=sys.stderr,
            )
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
