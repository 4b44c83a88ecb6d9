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
from itertools import islice, pairwise
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


SIZES = {"10k": 10_000, "100k": 100_000, "300k": 300_000, "1m": 1_000_000}
TARGET_MS = 150.0
ROUTE_REQUESTS = 40
SLOW_S = 1.0
SLOW_REQUESTS = 5
"""A route whose warm-up request took over ``SLOW_S`` is measured with ``SLOW_REQUESTS`` requests."""
FEWER = {"/compare?a=&b=": 8}
"""Routes measured with fewer requests: compare is rate-limited (10 a minute from one address)."""
MEANING_WARMUP_S = 3600.0
"""The first meaning search loads every vector and builds the HNSW graph: minutes at 1M."""


def _wait_up(client: httpx.Client, server: multiprocessing.process.BaseProcess) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            client.get("/static/style.css").raise_for_status()
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or not server.is_alive():
                raise
            time.sleep(0.2)


def _sample_ids(db: Path) -> dict[str, list[str]]:
    """Real ids to fill path parameters: random stories, storylines and articles; the most
    mentioned entities and random ones; every watchlist."""
    import sqlite3

    rng = random.Random(5)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:

        def pick(table: str, k: int) -> list[str]:
            (top,) = conn.execute(f"SELECT max(seq) FROM {table}").fetchone()
            seqs = rng.sample(range(1, top + 1), min(k, top))
            marks = ",".join("?" * len(seqs))
            return [r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE seq IN ({marks})", seqs)]

        (n_articles,) = conn.execute("SELECT max(seq) FROM articles").fetchone()
        step = max(1, n_articles // 40)
        top_entities = [
            r[0] for r in conn.execute("SELECT id FROM entities ORDER BY n_mentions DESC LIMIT 10")
        ]
        return {
            "story": pick("stories", ROUTE_REQUESTS),
            "storyline": pick("storylines", ROUTE_REQUESTS),
            "article": pick("articles", ROUTE_REQUESTS),
            "entity": top_entities[:4] + pick("entities", ROUTE_REQUESTS - 4),
            "entity_top": top_entities,
            "entity_mid": [
                r[0]
                for r in conn.execute("SELECT id FROM entities ORDER BY n_mentions DESC LIMIT 8 OFFSET 200")
            ],
            "entity_name": [
                r[0]
                for r in conn.execute("SELECT name FROM entities ORDER BY n_mentions DESC LIMIT 8 OFFSET 50")
            ],
            "watchlist": [r[0] for r in conn.execute("SELECT id FROM watchlists")],
            "day": [
                r[0][:10]
                for r in conn.execute("SELECT published_at FROM articles WHERE seq % ? = 1", (step,))
            ],
        }
    finally:
        conn.close()


def route_paths(ids: dict[str, list[str]]) -> dict[str, list[str]]:
    """``{label: [paths]}``: every GET route of the app (``label`` is the route, with the variant
    asked for when one route is measured several ways), each with paths to cycle through."""
    q = QUERIES
    s, ln, a, e = ids["story"], ids["storyline"], ids["article"], ids["entity"]
    mid, top, w, days = ids["entity_mid"], ids["entity_top"], ids["watchlist"], ids["day"]
    names = ids["entity_name"]
    zooms = [f"&from={d}&to={d2}" for d, d2 in pairwise(days)]
    return {
        # HTML pages
        "/": [f"/?page={1 + i % 40}" for i in range(8)],
        "/?sort=size": ["/?sort=size"],
        "/?visit=": [f"/?visit={d}" for d in days],
        "/?language=de": ["/?language=de", "/?language=fr"],
        "/?entity=": [f"/?entity={x}" for x in mid],
        "/stories/{story_id}": [f"/stories/{x}" for x in s],
        "/stories/{story_id}?from=&to=": [
            f"/stories/{x}?from={days[i % len(days)]}&to={days[i % len(days)]}" for i, x in enumerate(s)
        ],
        "/stories/{story_id}/digest (warm)": [f"/stories/{x}/digest" for x in s[:8]],
        "/storylines": [f"/storylines?page={1 + i % 20}" for i in range(8)],
        "/storylines/{storyline_id}": [f"/storylines/{x}" for x in ln],
        "/storylines/{storyline_id}?from=&to=": [
            f"/storylines/{x}?{z[1:]}" for x, z in zip(ln, zooms * 5, strict=False)
        ],
        "/storylines/{storyline_id}/digest (warm)": [f"/storylines/{x}/digest" for x in ln[:4]],
        "/articles": [f"/articles?page={1 + i % 40}" for i in range(8)],
        "/articles?language=": ["/articles?language=de", "/articles?language=fr"],
        "/articles?entity=": [f"/articles?entity={x}" for x in mid],
        "/articles/{article_id}": [f"/articles/{x}" for x in a],
        "/entities": ["/entities", "/entities?page=2"],
        "/entities?type=": ["/entities?type=PER", "/entities?type=ORG", "/entities?type=LOC"],
        "/entities?name=": [f"/entities?name={x}" for x in names],
        "/entities/{entity_id}": [f"/entities/{x}" for x in e],
        "/entities/{entity_id} (top 10)": [f"/entities/{x}" for x in top],
        "/search?q=": [f"/search?q={x}" for x in q],
        "/search?mode=meaning": [f"/search?q={x}&mode=meaning" for x in q],
        "/search?mode=both": [f"/search?q={x}&mode=both" for x in q],
        "/search?q=&entity=": [f"/search?q={x}&entity={mid[i % len(mid)]}" for i, x in enumerate(q)],
        "/search?q=NOT/NEAR": ["/search?q=police NOT court", "/search?q=NEAR(minister talks)"],
        "/compare": ["/compare"],
        "/compare?a=&b=": [f"/compare?a={a[0]}&b={a[1]}"],
        "/watchlists": ["/watchlists"],
        "/watchlists/{watchlist_id}/edit": [f"/watchlists/{x}/edit" for x in w],
        "/sources": ["/sources"],
        "/upload": ["/upload"],
        "/glossary": ["/glossary"],
        "/docs": ["/docs"],
        "/maps/world.svg": ["/maps/world.svg"],
        # feeds
        "/watchlists/{watchlist_id}/feed.atom": [f"/watchlists/{x}/feed.atom" for x in w],
        "/feeds/watchlists/{watchlist_id}.atom": [f"/feeds/watchlists/{x}.atom" for x in w],
        # API
        "/api/v1/openapi.json": ["/api/v1/openapi.json"],
        "/api/v1/stories": [f"/api/v1/stories?offset={50 * i}" for i in range(8)],
        "/api/v1/stories?sort=now": ["/api/v1/stories?sort=now"],
        "/api/v1/stories?entity=": [f"/api/v1/stories?entity={x}" for x in mid],
        "/api/v1/stories?format=csv&limit=100": ["/api/v1/stories?format=csv&limit=100"],
        "/api/v1/stories/{story_id}": [f"/api/v1/stories/{x}" for x in s],
        "/api/v1/stories/{story_id}/digest (warm)": [f"/api/v1/stories/{x}/digest" for x in s[:8]],
        "/api/v1/storylines": [f"/api/v1/storylines?offset={50 * i}" for i in range(8)],
        "/api/v1/storylines/{storyline_id}": [f"/api/v1/storylines/{x}" for x in ln],
        "/api/v1/storylines/{storyline_id}/digest (warm)": [f"/api/v1/storylines/{x}/digest" for x in ln[:4]],
        "/api/v1/articles": [f"/api/v1/articles?offset={50 * i}" for i in range(8)],
        "/api/v1/articles?language=&since=": [f"/api/v1/articles?language=de&since={d}" for d in days],
        "/api/v1/articles?entity=": [f"/api/v1/articles?entity={x}" for x in mid],
        "/api/v1/articles?format=ndjson&limit=100": ["/api/v1/articles?format=ndjson&limit=100"],
        "/api/v1/articles/{article_id}": [f"/api/v1/articles/{x}" for x in a],
        "/api/v1/search?q=": [f"/api/v1/search?q={x}" for x in q],
        "/api/v1/search?mode=meaning": [f"/api/v1/search?q={x}&mode=meaning" for x in q],
        "/api/v1/search?mode=both": [f"/api/v1/search?q={x}&mode=both" for x in q],
        "/api/v1/search?entity=": [
            f"/api/v1/search?q={x}&entity={mid[i % len(mid)]}" for i, x in enumerate(q)
        ],
        "/api/v1/search?format=csv&limit=100": [f"/api/v1/search?q={x}&format=csv&limit=100" for x in q[:4]],
        **{
            f"/api/v1/counts?by={by}": [f"/api/v1/counts?by={by}"]
            for by in ("day", "hour", "language", "source", "agency", "story", "entity")
        },
        "/api/v1/counts?by=day&q=": [f"/api/v1/counts?by=day&q={x}" for x in q],
        "/api/v1/counts?by=day&entity=": [f"/api/v1/counts?by=day&entity={x}" for x in mid],
        "/api/v1/rejections": ["/api/v1/rejections"],
        "/api/v1/stats": ["/api/v1/stats"],
        "/api/v1/entities": ["/api/v1/entities", "/api/v1/entities?offset=50"],
        "/api/v1/entities?type=&name=": [
            "/api/v1/entities?type=PER",
            *[f"/api/v1/entities?name={x}" for x in names],
        ],
        "/api/v1/entities/{entity_id}": [f"/api/v1/entities/{x}" for x in e],
        "/api/v1/quotes": ["/api/v1/quotes", "/api/v1/quotes?offset=50"],
        "/api/v1/quotes?speaker_entity_id=": [f"/api/v1/quotes?speaker_entity_id={x}" for x in mid],
        "/api/v1/sources": ["/api/v1/sources"],
        "/api/v1/watchlists": ["/api/v1/watchlists"],
        "/api/v1/watchlists/{watchlist_id}": [f"/api/v1/watchlists/{x}" for x in w],
        "/api/v1/alerts": ["/api/v1/alerts", *[f"/api/v1/alerts?watchlist_id={x}" for x in w]],
    }


def _route_latencies(client: httpx.Client, paths: list[str], n: int) -> tuple[float, float, int]:
    """p50 and p95 (ms) of ``n`` sequential GETs cycling through ``paths``, after one warm-up GET,
    and the status of the last answer."""
    start = time.perf_counter()
    status = client.get(paths[0]).status_code
    if (
        time.perf_counter() - start > SLOW_S
    ):  # seconds a request: a few are enough to say it misses the target
        n = min(n, SLOW_REQUESTS)
    times = []
    for i in range(n):
        start = time.perf_counter()
        response = client.get(paths[i % len(paths)])
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    cuts = statistics.quantiles(times, n=20)
    return round(statistics.median(times), 1), round(cuts[18], 1), status


def bench_web_scale(size: str = "1m", *, n: int = ROUTE_REQUESTS, only: str = "") -> dict[str, object]:
    """p50/p95 of every page and endpoint over the cached store of ``size`` articles
    (``benchmarks/web_store.py``; built on first use). Keys: ``web_<size>_routes`` (label ->
    p50/p95/status), ``web_<size>_p95_ms_max``, ``web_<size>_over_target`` (routes whose p95 is over
    150 ms), ``web_<size>_build_s``, ``web_<size>_meaning_load_s`` (the first meaning search)."""
    from benchmarks.web_store import cached_store

    n_articles = SIZES[size]
    db, meta = cached_store(n_articles)
    ids = _sample_ids(db)
    routes = route_paths(ids)
    if only:
        routes = {k: v for k, v in routes.items() if only in k}
    key = f"web_{size}"
    out: dict[str, object] = {f"{key}_build_s": meta["build_s"], f"{key}_articles": n_articles}
    port = _free_port()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(str(db), port), daemon=True)
    server.start()
    table: dict[str, dict[str, float]] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=MEANING_WARMUP_S) as client:
            _wait_up(client, server)
            # digests cache sentence rows in the store (a write, which makes the meaning index
            # reload): warm them first, then load the meaning index once
            for label in [k for k in routes if "digest" in k]:
                for path in routes[label]:
                    client.get(path)
            start = time.perf_counter()
            client.get("/api/v1/search?q=warm&mode=meaning&limit=1")
            out[f"{key}_meaning_load_s"] = round(time.perf_counter() - start, 1)
            for label, paths in routes.items():
                p50, p95, status = _route_latencies(client, paths, min(n, FEWER.get(label, n)))
                table[label] = {"p50_ms": p50, "p95_ms": p95, "status": status}
                print(f"  {label:<55} p50 {p50:8.1f}  p95 {p95:8.1f}  ({status})", flush=True)
    finally:
        server.terminate()
        server.join(10)
    out[f"{key}_routes"] = table
    out[f"{key}_p95_ms_max"] = max(r["p95_ms"] for r in table.values())
    out[f"{key}_over_target"] = sorted(k for k, r in table.items() if r["p95_ms"] > TARGET_MS)
    return out


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
