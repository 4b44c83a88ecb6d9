"""Digest time for a 1,000-article story, and alert matching overhead per article with 1,000 watchlists.

Digest: 1,000 articles (the shared texts, perturbed by ``benchmarks.corpus.synthetic_articles``) are
written to a SQLite store as one story, with the dates and figures the understanding functions find
in them (so the digest reads stored facts, as after a real ingest), and the sentence rows an ingest
with stories on keeps (``embed_articles``, as the assigner embeds them, then
``cached_rows_from_ingest``; not timed). ``digest_first_seconds_1k`` is the story's first digest
after that ingest (it still embeds the sentences of articles longer than the rows ingest keeps);
``digest_seconds_1k`` is the median of the next runs (target under 1 s).

Alerts: 1,000 watchlists (a third on two-word names found in the corpus, a third on two-word
keyword phrases, a third on the meaning of an example text taken from the corpus, threshold 0.7)
over the same store; ``alert_ms_per_article_1k_watchlists``
is the wall time of ``alerts.evaluate`` per article (reads, matching and writing the alerts) over
300 articles whose rows the store holds (target under 5 ms).
"""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from benchmarks.corpus import synthetic_articles
from storyline.alerts.engine import evaluate, example_row
from storyline.digest import build_digest
from storyline.embed import HEAD_CHARS, embed_articles
from storyline.embed.sentence_rows import cached_rows_from_ingest, sentence_key
from storyline.embed.use import UseEmbedder
from storyline.model import Article, Assignment, Batch, Story, Watchlist, fingerprint, stable_id
from storyline.store import SqliteStore
from storyline.understand.figures import find_figures
from storyline.understand.timex import find_time_mentions

N_ARTICLES = 1_000
N_WATCHLISTS = 1_000
N_ALERT_ARTICLES = 300
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+ [A-Z][a-z]+")  # two capitalised words inside a sentence
WORDS = [
    "minister",
    "police",
    "election",
    "agreement",
    "Taliban",
    "protest",
    "economy",
    "court",
    "vaccine",
    "parliament",
    "earthquake",
    "president",
    "bank",
    "strike",
    "border",
    "talks",
]


def _articles(n: int) -> list[Article]:
    out = []
    for i, row in enumerate(synthetic_articles(n)):
        text = row["text"]
        out.append(
            Article(
                id=stable_id(row["id"]),
                text=text,
                title=text.split(". ")[0][:120],
                source=row["source"],
                agency=("AFP", "Reuters", "dpa", None)[i % 4],
                language="en",
                published_at=datetime.fromisoformat(row["published"]),
                published_precision="time",
                origin=f"bench:{row['id']}",
                content_hash=fingerprint(text),
            )
        )
    return out


def _facts_batch(articles: list[Article]) -> Batch:
    times = [
        t
        for a in articles
        for t in find_time_mentions(a.text, article_id=a.id, published_at=a.published_at, language="en")
    ]
    figures = [f for a in articles for f in find_figures(a.text, article_id=a.id, language="en")]
    return Batch(
        articles=tuple(articles),
        assignments=tuple(Assignment(a.id, "s-bench", 1.0, i == 0) for i, a in enumerate(articles)),
        stories=(Story("s-bench", "bench", len(articles)),),
        time_mentions=tuple(times),
        figures=tuple(figures),
    )


def _watchlists(articles: list[Article], embedder: UseEmbedder, n: int) -> list[Watchlist]:
    rng = random.Random(11)
    names = sorted({m.group() for a in articles for m in _NAME.finditer(a.text)})
    out: list[Watchlist] = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            out.append(Watchlist(f"w{i}", f"entity {i}", entities=(rng.choice(names), rng.choice(names))))
        elif kind == 1:
            words = (f"{rng.choice(WORDS)} {rng.choice(WORDS)}", f"{rng.choice(WORDS)} talks")
            out.append(Watchlist(f"w{i}", f"keyword {i}", keywords=words))
        else:
            text = rng.choice(articles).text[:HEAD_CHARS]
            row = example_row(embedder, text)
            out.append(Watchlist(f"w{i}", f"meaning {i}", example=text, example_vector=row, threshold=0.7))
    return out


def _cache_as_ingest(store: SqliteStore, articles: list[Article], embedder: UseEmbedder) -> None:
    """The sentence rows an ingest with stories on leaves in the store (``BatchWriter``)."""
    rows: dict[str, tuple[tuple[tuple[int, int], ...], bytes]] = {}
    for start in range(0, len(articles), 64):
        chunk = articles[start : start + 64]
        for article, vectors in zip(
            chunk, embed_articles(embedder, [(a.title, a.text) for a in chunk]), strict=True
        ):
            entry = cached_rows_from_ingest(article, vectors)
            if entry is not None:
                rows[article.id] = entry
    store.put_sentence_vectors(sentence_key(embedder.name), rows)


def bench_digest(
    *, n_articles: int = N_ARTICLES, n_watchlists: int = N_WATCHLISTS, repeats: int = 3
) -> dict[str, float]:
    embedder = UseEmbedder()
    articles = _articles(n_articles)
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "digest.db") as store:
        store.write_batch(_facts_batch(articles))
        _cache_as_ingest(store, articles, embedder)
        started = time.perf_counter()
        build_digest(store, "s-bench", embedder=embedder)
        first = time.perf_counter() - started
        warm = []
        for _ in range(repeats):
            started = time.perf_counter()
            digest = build_digest(store, "s-bench", embedder=embedder)
            warm.append(time.perf_counter() - started)
        assert digest.n_articles == n_articles

        sample = articles[:N_ALERT_ARTICLES]
        rows = embedder.embed([f"{a.title}\n{a.text[:HEAD_CHARS]}" for a in sample])
        store.write_batch(
            Batch(
                vectors={
                    a.id: (embedder.name, np.ascontiguousarray(rows[k]).tobytes())
                    for k, a in enumerate(sample)
                }
            )
        )
        for w in _watchlists(articles, embedder, n_watchlists):
            store.add_watchlist(w)
        evaluate(store, [articles[-1].id], embedder=embedder)  # compile the watchlists once
        started = time.perf_counter()
        alerts = evaluate(store, [a.id for a in sample], embedder=embedder)
        per_article = (time.perf_counter() - started) / len(sample)
    return {
        "digest_seconds_1k": round(statistics.median(warm), 3),
        "digest_first_seconds_1k": round(first, 3),
        "alert_ms_per_article_1k_watchlists": round(per_article * 1000, 3),
        "alerts_raised_300_articles_1k_watchlists": len(alerts),
    }


if __name__ == "__main__":
    for key, value in bench_digest().items():
        print(f"{key}  {value}")
