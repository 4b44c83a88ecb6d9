"""Web latency and API throughput over a store of 100,000 articles in 5,000 stories.

The store is filled directly with ``write_batch`` (articles built from the shared texts, perturbed by
``benchmarks.corpus.synthetic_articles``, plus synthetic stories and storylines). ``storyline serve``'s
app then runs under uvicorn in a separate process on 127.0.0.1, and this process measures:

- p50/p95 latency of the Stories page (cycling through 40 pages), of Story pages (a different story
  each request) and of searches (one query word at a time from a fixed list), sequentially;
- requests per second on ``/api/v1/stories`` from 20 concurrent asyncio + httpx clients sending a
  fixed number of requests (the load generator stops by itself), and the server's CPU time per request
  (which, unlike requests per second, does not depend on what else the machine is running).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import socket
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path

import httpx

from benchmarks.corpus import synthetic_articles
from storyline.model import Article, Assignment, Batch, Story, Storyline, fingerprint, stable_id

N_ARTICLES = 100_000
PER_STORY = 20
STORIES_PER_LINE = 10
BATCH = 5_000
QUERIES = [
    "minister", "police", "election", "agreement", "Taliban", "protest", "economy", "court",
    "vaccine", "parliament", "earthquake", "president", "bank", "strike", "border", "talks",
]  # fmt: skip


def _articles(n: int) -> Iterator[Article]:
    for row in synthetic_articles(n):
        text = row["text"]
        yield Article(
            id=stable_id(row["id"]),
            text=text,
            title=text.split(". ")[0][:120],
            source=row["source"],
            agency=("AFP", "Reuters", "dpa", "AP", None)[len(text) % 5],
            language="en",
            published_at=datetime.fromisoformat(row["published"]),
            published_precision="time",
            origin=f"bench:{row['id']}",
            content_hash=fingerprint(text),
        )


def _story_batch(chunk: list[Article], offset: int, n_stories: int) -> Batch:
    """Assign article ``offset + i`` to story ``(offset + i) % n_stories`` (stories span many days)."""
    members: dict[int, list[Article]] = {}
    assignments = []
    for i, article in enumerate(chunk, offset):
        k = i % n_stories
        members.setdefault(k, []).append(article)
        assignments.append(Assignment(article.id, f"s{k}", 1.0, i < n_stories))
    return Batch(articles=tuple(chunk), assignments=tuple(assignments))


def build_store(db: Path, n: int = N_ARTICLES) -> tuple[int, int]:
    """Fill ``db``; returns (articles, stories)."""
    from storyline.store import SqliteStore

    n_stories = n // PER_STORY
    stats: dict[int, tuple[set[str], datetime, datetime]] = {}
    with SqliteStore(db) as store:
        articles = _articles(n)
        offset = 0
        while chunk := list(islice(articles, BATCH)):
            store.write_batch(_story_batch(chunk, offset, n_stories))
            for i, a in enumerate(chunk, offset):
                assert a.published_at is not None
                sources, first, last = stats.get(i % n_stories, (set(), a.published_at, a.published_at))
                stats[i % n_stories] = (
                    sources | {a.source or ""},
                    min(first, a.published_at),
                    max(last, a.published_at),
                )
            offset += len(chunk)
        stories = tuple(
            Story(f"s{k}", f"Synthetic story {k}", n // n_stories, (), ("en",), tuple(sorted(src)),
                  first, last, storyline_id=f"l{k // STORIES_PER_LINE}")
            for k, (src, first, last) in stats.items()
        )  # fmt: skip
        lines = tuple(
            Storyline(f"l{j}", f"Synthetic storyline {j}", PER_STORY * STORIES_PER_LINE)
            for j in range(n_stories // STORIES_PER_LINE)
        )
        store.write_batch(Batch(stories=stories, storylines=lines))
    return n, n_stories


def _serve(db: str, port: int) -> None:
    import uvicorn

    from storyline.settings import Settings
    from storyline.store import SqliteStore
    from storyline.web import create_app

    app = create_app(SqliteStore(db), Settings(db=db))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _latencies(client: httpx.Client, paths: list[str]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of GET ``paths``, one after the other."""
    times = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    cuts = statistics.quantiles(times, n=20)
    return round(statistics.median(times), 1), round(cuts[18], 1)


async def _load(base: str, path: str, n_requests: int, concurrency: int) -> tuple[float, int]:
    """Requests per second for ``n_requests`` GETs from ``concurrency`` clients at once (after a short
    warm-up), and how many requests were sent in all."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker(count: int) -> None:
            for _ in range(count):
                (await client.get(path)).raise_for_status()

        warm = 5
        await asyncio.gather(*[worker(warm) for _ in range(concurrency)])
        per_client = n_requests // concurrency
        start = time.perf_counter()
        await asyncio.gather(*[worker(per_client) for _ in range(concurrency)])
        elapsed = time.perf_counter() - start
        return per_client * concurrency / elapsed, (warm + per_client) * concurrency


def bench_web(*, n_articles: int = N_ARTICLES, n_requests: int = 200, n_load: int = 4000) -> dict[str, float]:
    """``web_p95_ms`` (the worst of the page and search p95s), each p95, and ``api_requests_per_second``."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        start = time.perf_counter()
        _, n_stories = build_store(db, n_articles)
        results["web_store_build_seconds"] = round(time.perf_counter() - start, 1)
        port = _free_port()
        server = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(str(db), port), daemon=True
        )
        server.start()
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        client.get("/static/style.css").raise_for_status()
                        break
                    except httpx.TransportError:
                        if time.monotonic() > deadline or not server.is_alive():
                            raise
                        time.sleep(0.2)
                rng = random.Random(3)
                stories = [f"/?page={1 + i % 40}" for i in range(n_requests)]
                story = [f"/stories/s{rng.randrange(n_stories)}" for _ in range(n_requests)]
                search = [f"/search?q={QUERIES[i % len(QUERIES)]}" for i in range(n_requests)]
                for key, paths in (("stories", stories), ("story", story), ("search", search)):
                    p50, p95 = _latencies(client, paths)
                    results[f"web_{key}_p50_ms"], results[f"web_{key}_p95_ms"] = p50, p95
            cpu_before = _cpu_seconds(server.pid)
            rps, sent = asyncio.run(_load(base, "/api/v1/stories", n_load, concurrency=20))
            results["api_requests_per_second"] = round(rps, 1)
            used = _cpu_seconds(server.pid) - cpu_before
            results["api_server_cpu_ms_per_request"] = round(1000 * used / sent, 2)
        finally:
            server.terminate()
            server.join(10)
    results["web_p95_ms"] = max(results[f"web_{k}_p95_ms"] for k in ("stories", "story", "search"))
    results["web_articles"] = n_articles
    return results


if __name__ == "__main__":
    import json
    import sys

    quick = "--quick" in sys.argv
    print(json.dumps(bench_web(n_articles=10_000 if quick else N_ARTICLES), indent=2))
