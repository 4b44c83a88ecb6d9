"""A realistic store for scanning every page: real reports, several languages, every kind of row.

``build_store(path, shared)`` ingests through the real pipeline (understanding and stories on): the two
example wire reports (``examples/``), a near-copy of one, and, when ``shared`` (``../shared/data``) is
given, a few dozen articles of the SemEval-2022 pairs in ten languages (de, en, es, fr, it, pl, ru, tr,
ar, zh), dated over three weeks with every seventh left undated, as feeds deliver them. Added by hand,
as the CLI would: three watchlists (entity, keyword, meaning) with the alerts the real engine raises,
and three followed sources (healthy, failing, paused) with their poll state.

``every_page(client, store)`` is the path of every HTML page of the app over that store, by route.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.responses import HTMLResponse

from storyline.alerts import engine
from storyline.alerts.engine import example_row
from storyline.embed import embedder_for
from storyline.ingest import jsonl_item
from storyline.model import RawDoc, Rejection, Source, Watchlist, watchlist_id
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SqliteStore
from tests.conftest import AFP_SEED, DPA_SEED

SEMEVAL = Path("similarity") / "semeval22_dev.jsonl"
PAIRS_PER_LANGUAGE_PAIR = 2
FIRST_PUBLISHED = datetime(2020, 4, 1, 6, tzinfo=UTC)


def _examples() -> list[RawDoc | Rejection]:
    items: list[RawDoc | Rejection] = [
        RawDoc(str(DPA_SEED), "text", DPA_SEED.read_bytes(), hints={"source": "dpa.example"}),
        RawDoc(str(AFP_SEED), "text", AFP_SEED.read_bytes(), hints={"source": "afp.example"}),
    ]
    copy = AFP_SEED.read_text(encoding="utf-8").replace("NATO defense ministers", "NATO defence ministers", 1)
    items.append(RawDoc("copy-of-afp.txt", "text", copy.encode(), hints={"source": "reprint.example"}))
    return items


def _shared(data: Path) -> list[RawDoc | Rejection]:
    """Two pairs of every language pair of the SemEval-2022 file, both sides of each."""
    items: list[RawDoc | Rejection] = []
    taken: dict[tuple[str, str], int] = {}
    with (data / SEMEVAL).open(encoding="utf-8") as rows:
        for n, line in enumerate(rows):
            row = json.loads(line)
            pair = (row["lang1"], row["lang2"])
            if taken.get(pair, 0) >= PAIRS_PER_LANGUAGE_PAIR:
                continue
            taken[pair] = taken.get(pair, 0) + 1
            for side in ("1", "2"):
                k = len(items) + 1
                doc = {"id": f"semeval-{row['pair_id']}-{side}", "text": row[f"text{side}"]}
                doc |= {"language": row[f"lang{side}"], "source": f"{row[f'lang{side}']}-news.example"}
                if k % 7:
                    doc["published"] = (FIRST_PUBLISHED + timedelta(hours=7 * k)).isoformat()
                item = jsonl_item(json.dumps(doc).encode(), f"semeval22_dev.jsonl:{n + 1}")
                assert item is not None
                items.append(item)
    return items


def build_store(path: Path, shared: Path | None) -> SqliteStore:
    store = SqliteStore(path)
    settings = Settings(db=str(path), workers=1, understand=True, stories=True)
    items = _examples() + (_shared(shared) if shared is not None else [])
    run(items, Components.for_store(settings, store), store)
    embedder = embedder_for(settings.embedder)
    example = "Researchers race to test a coronavirus vaccine"
    for watchlist in (
        Watchlist(watchlist_id("NATO chief"), "NATO chief", entities=("Jens Stoltenberg",)),
        Watchlist(watchlist_id("Afghanistan"), "Afghanistan", keywords=("Taliban", "Kabul")),
        Watchlist(watchlist_id("Vaccines"), "Vaccines", example=example, threshold=0.4,
                  example_vector=example_row(embedder, example)),
    ):  # fmt: skip
        store.add_watchlist(watchlist)
    engine.evaluate(store, [a.id for a in store.iter_articles()], embedder=embedder)
    polled = datetime(2021, 2, 17, 9, 30, tzinfo=UTC)
    healthy = store.add_source(Source.new("https://wire.example/feed.xml", name="Wire feed", every_s=900))
    store.save_source_state(
        replace(healthy, kind="feed", last_poll_at=polled, last_status=200, last_new_items=12,
                next_due_at=polled + timedelta(minutes=15))
    )  # fmt: skip
    failing = store.add_source(Source.new("https://down.example/rss", every_s=3600))
    store.save_source_state(
        replace(failing, last_poll_at=polled, last_status=503, consecutive_failures=3,
                next_due_at=polled + timedelta(hours=4), last_error="HTTP 503 Service Unavailable")
    )  # fmt: skip
    paused = store.add_source(Source.new("https://paused.example/atom", name="Paused", every_s=86400))
    store.set_source_paused(paused.id, True)
    return store


def corpus_texts(store: SqliteStore) -> list[str]:
    """What the articles themselves say: titles and texts."""
    return [t for a in store.iter_articles() for t in (a.title or "", a.text)]


def get_routes(app: FastAPI) -> list[tuple[str, bool]]:
    """``(path template, answers HTML)`` of every GET route of the app, in matching order.

    ``iter_route_contexts`` walks the included routers (``app.routes`` holds the routers themselves
    in this FastAPI, so a plain scan of it finds no page at all)."""
    out = []
    for route in iter_route_contexts(app.routes):
        if route.path is None or "GET" not in (route.methods or ()):
            continue
        response_class = getattr(route, "response_class", None)
        declared = isinstance(response_class, type) and issubclass(response_class, HTMLResponse)
        last = route.path.rsplit("/", 1)[-1]
        out.append((route.path, declared or (not route.path.startswith("/api/") and "." not in last)))
    return out


def html_routes(app: FastAPI) -> set[str]:
    """The path templates of every HTML page (GET routes outside the API and the feeds and files)."""
    return {path for path, html in get_routes(app) if html and not path.startswith("/feeds/")}


def every_page(client: TestClient, store: SqliteStore) -> dict[str, list[str]]:
    """``{route path template: [paths to render]}``: every story, storyline, article and entity page,
    the digests of every story and storyline, the listings with their variants, search both ways,
    a comparison, the tools and help pages."""
    articles = list(store.iter_articles())
    stories = store.list_stories(limit=1000)
    lines = store.list_storylines(limit=1000)
    entities = store.list_entities(limit=40)
    originals = [a for a in articles if a.duplicate_of is None]
    pages = {
        "/": ["/", "/?sort=size", "/?visit=2021-02-16", "/?language=de"],
        "/stories/{story_id}": [f"/stories/{s.id}" for s in stories],
        "/stories/{story_id}/digest": [f"/stories/{s.id}/digest" for s in stories],
        "/storylines": ["/storylines"],
        "/storylines/{storyline_id}": [f"/storylines/{line.id}" for line in lines],
        "/storylines/{storyline_id}/digest": [f"/storylines/{line.id}/digest" for line in lines],
        "/articles": ["/articles", "/articles?language=en"],
        "/articles/{article_id}": [f"/articles/{a.id}" for a in articles],
        "/entities": ["/entities", "/entities?type=PER", "/entities?name=Stoltenberg"],
        "/entities/{entity_id}": [f"/entities/{e.id}" for e in entities],
        "/search": [
            "/search",
            "/search?q=Taliban",
            "/search?q=vaccine&mode=meaning",
            "/search?q=NATO&mode=both",
        ],
        "/compare": ["/compare", f"/compare?a={originals[0].id}&b={originals[1].id}"],
        "/watchlists": ["/watchlists"],
        "/watchlists/{watchlist_id}/edit": [f"/watchlists/{w.id}/edit" for w in store.list_watchlists()],
        "/upload": ["/upload"],
        "/sources": ["/sources"],
        "/glossary": ["/glossary"],
        "/docs": ["/docs"],
    }
    dated = [line for line in lines if line.first_seen_at is not None]
    if dated:  # a zoomed storyline timeline: its first day
        day = dated[0].first_seen_at.date().isoformat() if dated[0].first_seen_at else ""
        pages["/storylines/{storyline_id}"].append(f"/storylines/{dated[0].id}?from={day}&to={day}")
    if len(originals) > 3:
        pages["/compare"].append(f"/compare?a={originals[0].id}&b={originals[-1].id}")
    return pages
