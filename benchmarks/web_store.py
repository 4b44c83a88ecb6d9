"""A large, fully populated store for the web benchmark at scale (``run.py web --size 1m``).

Unlike the 100k fast path of ``bench_web.build_store`` (articles, stories and storylines only), every
page has data here: articles spread over two years, stories of ~20 articles each running about two
weeks, storylines of 10 stories spread over the two years, entities with Zipf-like mention counts
(the capitalised words of each text: a few are in a large share of the articles, as real ones are),
mentions, quotes, time mentions and figures pointing at real spans of the text, a vector per article,
watchlists with alerts and followed sources.

Vectors are synthetic (a story direction plus noise, L2-normalised float32 of the real embedder's
dimension, ``use.v1`` by name) but stored as the pipeline stores them (``Batch.vectors``), so search
by meaning goes through the production code path: the store's vectors loaded into ``VectorIndex``
(the HNSW graph beyond ``EXACT_MAX``), the query embedded by the real encoder.

Built stores are cached under ``benchmarks/.cache/`` (git-ignored), keyed by size and
``CACHE_VERSION``; a build writes to a temporary name and renames it when complete.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

import numpy as np

from benchmarks.corpus import synthetic_articles
from storyline.model import (
    Alert,
    Article,
    Assignment,
    Batch,
    Entity,
    Figure,
    Mention,
    Quote,
    Source,
    Story,
    Storyline,
    TimeMention,
    Watchlist,
    fingerprint,
    stable_id,
)

CACHE_VERSION = "v1"
CACHE_DIR = Path(__file__).with_name(".cache")
EMBEDDER = "use.v1"
DIM = 512
PER_STORY = 20
STORIES_PER_LINE = 10
STORIES_PER_BLOCK = 1_000
"""Articles come in blocks of this many stories x ``PER_STORY``; a story's articles are spread
through its block, so at 1M a story runs about two weeks."""
BATCH = 20_000
START = datetime(2024, 12, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
LANGUAGES = ("en",) * 8 + ("de", "fr")
AGENCIES = ("AFP", "Reuters", "dpa", "AP", None)
TYPES = ("PER", "ORG", "LOC", "MISC")
MAX_MENTIONS = 4
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_STOP = frozenset(
    [
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Their",
        "They",
        "When",
        "Where",
        "What",
        "Which",
        "While",
        "With",
        "From",
        "After",
        "Before",
        "However",
        "Also",
        "About",
        "Since",
        "Some",
        "Many",
        "More",
        "Most",
        "Over",
        "Under",
        "Into",
        "Other",
        "Than",
        "Then",
        "Both",
        "Each",
        "Just",
        "Said",
        "Says",
        "Even",
        "Only",
        "Still",
        "Such",
        "Very",
        "Will",
        "Would",
        "Could",
        "Should",
        "Here",
    ]
)


@dataclass
class _Seen:
    n: int
    first: datetime
    last: datetime


@dataclass
class _StoryAcc:
    sources: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    n: int = 0
    first: datetime | None = None
    last: datetime | None = None


def store_path(n: int) -> Path:
    return CACHE_DIR / f"web-{n}-{CACHE_VERSION}.db"


def _story_of(i: int) -> int:
    """Article ``i``'s story: ``STORIES_PER_BLOCK`` stories share each block of articles."""
    block_size = STORIES_PER_BLOCK * PER_STORY
    return (i // block_size) * STORIES_PER_BLOCK + i % STORIES_PER_BLOCK


def _articles(n: int) -> Iterator[Article]:
    step = SPAN / n
    for i, row in enumerate(synthetic_articles(n)):
        text = row["text"]
        yield Article(
            id=stable_id(row["id"]),
            text=text,
            title=text.split(". ")[0][:120],
            source=row["source"],
            agency=AGENCIES[len(text) % 5],
            language=LANGUAGES[i % len(LANGUAGES)],
            published_at=START + step * i,
            published_precision="time",
            origin=f"bench:{row['id']}",
            content_hash=fingerprint(text),
        )


def _entity_id(word: str) -> str:
    return stable_id("bench-entity", word)


def _facts(
    a: Article, entities: dict[str, _Seen]
) -> tuple[list[Mention], list[Quote], list[TimeMention], list[Figure]]:
    """Facts over real spans of ``a.text``: its first distinct capitalised words as entity mentions,
    the first sentence of every third article as a quote of the first of them, the first year and
    the first number."""
    assert a.published_at is not None
    mentions: list[Mention] = []
    seen: set[str] = set()
    for match in _NAME.finditer(a.text):
        word = match.group()
        if word in _STOP or word in seen:
            continue
        seen.add(word)
        kind = TYPES[zlib.crc32(word.encode()) % len(TYPES)]
        mentions.append(Mention(a.id, match.start(), match.end(), word, kind, _entity_id(word)))
        known = entities.get(word)
        if known is None:
            entities[word] = _Seen(1, a.published_at, a.published_at)
        else:
            known.n += 1
            known.last = max(known.last, a.published_at)
        if len(mentions) >= MAX_MENTIONS:
            break
    quotes: list[Quote] = []
    sentence_end = a.text.find(". ")
    if mentions and sentence_end > 20 and zlib.crc32(a.id.encode()) % 3 == 0:
        speaker = mentions[0]
        quotes.append(
            Quote(a.id, 0, sentence_end + 1, a.text[: sentence_end + 1], "indirect", "said",
                  speaker.text, speaker.entity_id, speaker.start, speaker.end, a.language, 0.9)
        )  # fmt: skip
    times: list[TimeMention] = []
    if year := _YEAR.search(a.text):
        times.append(
            TimeMention(a.id, year.start(), year.end(), year.group(), "DATE", year.group(),
                        a.published_at.date().isoformat(), True)
        )  # fmt: skip
    figures: list[Figure] = []
    if number := _NUMBER.search(a.text):
        figures.append(Figure(a.id, number.start(), number.end(), number.group(), float(number.group())))
    return mentions, quotes, times, figures


def _vectors(chunk: list[Article], offset: int, rng: np.random.Generator) -> dict[str, tuple[str, bytes]]:
    """A unit vector per article near its story's direction (each story's direction is seeded by
    the story, so it is the same in every batch)."""
    stories = [_story_of(i) for i in range(offset, offset + len(chunk))]
    directions = {k: np.random.default_rng(k).standard_normal(DIM, dtype=np.float32) for k in set(stories)}
    base = np.stack([directions[k] for k in stories])
    rows = base + 0.8 * rng.standard_normal(base.shape, dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return {a.id: (EMBEDDER, rows[j].astype(np.float32).tobytes()) for j, a in enumerate(chunk)}


def build(db: Path, n: int, *, log: bool = True) -> dict[str, int]:
    """Fill the empty store ``db`` with ``n`` articles and everything around them; returns counts."""
    from storyline.store import SqliteStore

    n_stories = max(1, n // PER_STORY)
    n_lines = max(1, n_stories // STORIES_PER_LINE)
    rng = np.random.default_rng(11)
    entities: dict[str, _Seen] = {}
    acc: dict[int, _StoryAcc] = {}
    counts = {"articles": 0, "mentions": 0, "quotes": 0, "time_mentions": 0, "figures": 0}
    started = time.perf_counter()
    with SqliteStore(db) as store:
        articles = _articles(n)
        offset = 0
        while chunk := list(islice(articles, BATCH)):
            assignments = []
            mentions: list[Mention] = []
            quotes: list[Quote] = []
            times: list[TimeMention] = []
            figures: list[Figure] = []
            for i, a in enumerate(chunk, offset):
                k = _story_of(i) % n_stories
                s = acc.setdefault(k, _StoryAcc())
                assignments.append(Assignment(a.id, f"s{k}", 0.9, s.n == 0))
                s.n += 1
                s.sources.add(a.source or "")
                s.languages.add(a.language or "")
                s.first = a.published_at if s.first is None else s.first
                s.last = a.published_at
                m, q, t, f = _facts(a, entities)
                mentions += m
                quotes += q
                times += t
                figures += f
            store.write_batch(
                Batch(
                    articles=tuple(chunk),
                    assignments=tuple(assignments),
                    vectors=_vectors(chunk, offset, rng),
                    mentions=tuple(mentions),
                    quotes=tuple(quotes),
                    time_mentions=tuple(times),
                    figures=tuple(figures),
                )
            )
            offset += len(chunk)
            counts["mentions"] += len(mentions)
            counts["quotes"] += len(quotes)
            counts["time_mentions"] += len(times)
            counts["figures"] += len(figures)
            if log:
                rate = offset / (time.perf_counter() - started)
                print(f"  web store: {offset:,}/{n:,} articles ({rate:.0f}/s)", flush=True)
        counts["articles"] = offset
        stories = tuple(
            Story(f"s{k}", f"Synthetic story {k}: {len(s.sources)} sources", s.n, (),
                  tuple(sorted(s.languages)), tuple(sorted(s.sources)), s.first, s.last,
                  storyline_id=f"l{k % n_lines}")
            for k, s in acc.items()
        )  # fmt: skip
        line_n: dict[int, int] = {}
        for k, s in acc.items():
            line_n[k % n_lines] = line_n.get(k % n_lines, 0) + s.n
        lines = tuple(
            Storyline(f"l{j}", f"Synthetic storyline {j}", line_n.get(j, 0)) for j in range(n_lines)
        )
        ents = tuple(
            Entity(_entity_id(word), word, TYPES[zlib.crc32(word.encode()) % len(TYPES)], (word.upper(),),
                   ("en",), seen.first, seen.last, seen.n)
            for word, seen in entities.items()
        )  # fmt: skip
        store.write_batch(Batch(stories=stories, storylines=lines, entities=ents))
        counts["stories"], counts["storylines"], counts["entities"] = len(stories), len(lines), len(ents)
        _watch(store, n)
    return counts


def _watch(store: object, n: int) -> None:
    """Three watchlists with 200 alerts each, and two followed sources (one paused)."""
    from storyline.store import SqliteStore

    assert isinstance(store, SqliteStore)
    step = SPAN / n
    for w, (name, keywords) in enumerate(
        (("Elections", ("election",)), ("Courts", ("court",)), ("Talks", ("talks",)))
    ):
        wid = f"w{w}"
        store.add_watchlist(Watchlist(wid, name, keywords=keywords, created_at=START))
        alerts = [
            Alert(f"{wid}-{j}", wid, stable_id(f"bench-{j * 97 % n}"), f"s{_story_of(j * 97 % n)}", 0.8,
                  (f"keyword:{keywords[0]}",), f"Alert {j}", START + step * (j * 97 % n), START)
            for j in range(200)
        ]  # fmt: skip
        store.add_alerts(alerts)
    store.add_source(Source("src0", "https://feeds.example/world.xml", "World"))
    added = store.add_source(Source("src1", "https://feeds.example/sport.xml", "Sport"))
    store.set_source_paused(added.id, True)


def cached_store(n: int) -> tuple[Path, dict[str, float]]:
    """The cached store of ``n`` articles, built when missing: its path and what its build recorded
    (``build_s``, row counts, ``reused`` 1 when it was already there)."""
    path = store_path(n)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, {**json.loads(meta_path.read_text()), "reused": 1}
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.db")
    for leftover in CACHE_DIR.glob(partial.name + "*"):
        leftover.unlink()
    start = time.perf_counter()
    counts = build(partial, n)
    seconds = round(time.perf_counter() - start, 1)
    partial.rename(path)
    meta = {"build_s": seconds, **counts}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"  web store built in {seconds} s: {counts}", flush=True)
    return path, {**meta, "reused": 0}


if __name__ == "__main__":
    import sys

    size = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000
    print(cached_store(size))
