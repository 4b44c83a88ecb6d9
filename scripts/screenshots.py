"""Screenshots of every page of the web app, from a realistic multilingual corpus (issue #14).

    python scripts/screenshots.py [--out docs/screenshots] [--articles 400] [--store DIR] [--only NAME ...]

Builds a store in a temporary directory (or in ``--store DIR``, kept and reused by the next run) with
the real pipeline and default settings, as a user would, ``storyline`` commands in order:

1. ``ingest examples/ ../shared/seeds/``: the two wire reports on NATO (AFP, dpa);
2. ``watch add``: two watchlists, one on an entity and a keyword, one by meaning (its alerts are
   raised by the next ingest);
3. ``sources add``: one followed feed (never polled: nothing is fetched);
4. ``ingest corpus.jsonl``: ``--articles`` articles of the pipeline benchmark's stream
   (``benchmarks/pipeline_corpus.py``: real texts of ``../shared/data`` in 12 languages, with outlets,
   spread over four weeks), and ``--pairs`` SemEval-2022 pairs of articles on the same event in two
   different languages, both sides published the same day, so that stories cross languages.
   Nothing of ``../shared`` is copied into the repository: the corpus is written in the temporary store.

Then it serves the app on loopback (uvicorn, as the browser tests do), and Debian's chromium
(Playwright) saves a full-page PNG of every page (``SHOTS``: every HTML route of the app, checked by
``tests/test_screenshots.py``), 1280 pixels wide, into ``--out`` (made smaller by ``pngquant`` when
it is installed), and lists them in ``docs/screenshots.md``. The pages shown are chosen from the
store by fixed rules (the story in most languages, the most-mentioned person, ...: ``pick``), so the
same corpus gives the same pictures. Any page that does not answer 200, or logs a console or page
error, makes the run fail (exit 1) after the others are saved.

Without ``../shared/data`` (or ``$STORYLINE_SHARED_DATA``) it says so and exits 0 without writing
anything; without chromium or playwright it exits 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmarks.pipeline_corpus

if TYPE_CHECKING:
    from playwright.sync_api import FloatRect, Page

    from storyline.store import SqliteStore

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
WIDTH, HEIGHT = 1280, 900
MAX_HEIGHT = 4000
"""Full-page pictures are cut at this many pixels (a long listing needs no more to be seen)."""
SEMEVAL = Path("similarity") / "semeval22_dev.jsonl"
DAYS = 28
WATCHLISTS = [
    ["trump-campaign", "--entity", "Donald Trump", "--keyword", "campaign"],
    ["rehab", "--example", "A Hollywood star checks into a rehab clinic"],
]
FEED = ["https://www.example-news.com/world/rss.xml", "--name", "Example world", "--every", "15m"]


# -- the pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picks:
    """The rows the pages show, chosen from the store by ``pick``."""

    story: str
    largest: str
    zoom: tuple[str, str]
    storyline: str
    article: str
    person: str
    place: str
    compare: tuple[str, str]
    watchlist: str
    words: str
    meaning: str


@dataclass(frozen=True)
class Shot:
    """One picture: ``name``.png of ``path(picks)``, a page of the app's ``route``; ``wait`` is a CSS
    selector that must be on the page before the picture is taken (what JavaScript adds); ``focus``,
    two CSS selectors: the picture runs from the top of the first element to the bottom of the second
    (the whole page, cut at ``MAX_HEIGHT``, without)."""

    name: str
    route: str
    path: Callable[[Picks], str]
    caption: str
    wait: str = ""
    focus: tuple[str, str] | None = None


SHOTS: tuple[Shot, ...] = (
    Shot("stories", "/", lambda p: "/", "Front page: what is happening now"),
    Shot("stories-size", "/", lambda p: "/?sort=size", "Front page, largest stories first"),
    Shot("story", "/stories/{story_id}", lambda p: f"/stories/{p.story}",
         "The story in most languages: coverage over time, map, sources and languages, digest",
         wait="#digest .digest-part"),
    Shot("story-largest", "/stories/{story_id}", lambda p: f"/stories/{p.largest}",
         "The largest story", wait="#digest .digest-part"),
    Shot("story-zoomed", "/stories/{story_id}",
         lambda p: f"/stories/{p.largest}?from={p.zoom[0]}&to={p.zoom[1]}",
         "The largest story: coverage zoomed to its busiest three days, map, sources and languages",
         wait="#digest .digest-part", focus=("#coverage", "#diversity")),
    Shot("digest", "/stories/{story_id}/digest", lambda p: f"/stories/{p.story}/digest",
         "The story's digest without JavaScript"),
    Shot("storylines", "/storylines", lambda p: "/storylines",
         "Storylines: stories that continue each other"),
    Shot("storyline", "/storylines/{storyline_id}", lambda p: f"/storylines/{p.storyline}",
         "The storyline with most stories"),
    Shot("storyline-digest", "/storylines/{storyline_id}/digest",
         lambda p: f"/storylines/{p.storyline}/digest", "That storyline's digest"),
    Shot("articles", "/articles", lambda p: "/articles", "Articles, newest first"),
    Shot("article", "/articles/{article_id}", lambda p: f"/articles/{p.article}",
         "An article of the story with its entities, quotes, dates and figures"),
    Shot("entities", "/entities", lambda p: "/entities", "Entities, most mentioned first"),
    Shot("entity", "/entities/{entity_id}", lambda p: f"/entities/{p.person}",
         "The most-mentioned person: mentions over time, co-mention graph, stories, quotes"),
    Shot("entity-place", "/entities/{entity_id}", lambda p: f"/entities/{p.place}",
         "The most-mentioned place, on the map"),
    Shot("search", "/search", lambda p: f"/search?q={p.words}", "Search by words"),
    Shot("search-meaning", "/search", lambda p: f"/search?q={p.meaning}&mode=meaning",
         "Search by meaning, across languages"),
    Shot("compare", "/compare", lambda p: f"/compare?a={p.compare[0]}&b={p.compare[1]}",
         "Two articles of the story in two languages compared"),
    Shot("watchlists", "/watchlists", lambda p: "/watchlists", "Watchlists with their alerts"),
    Shot("watchlist-edit", "/watchlists/{watchlist_id}/edit",
         lambda p: f"/watchlists/{p.watchlist}/edit", "Editing a watchlist"),
    Shot("sources", "/sources", lambda p: "/sources", "Followed sources"),
    Shot("upload", "/upload", lambda p: "/upload", "Upload files to ingest"),
    Shot("glossary", "/glossary", lambda p: "/glossary", "The glossary"),
    Shot("api-docs", "/docs", lambda p: "/docs", "The API docs (Swagger UI, offline)",
         wait="#swagger-ui .opblock"),
)  # fmt: skip
ROUTES = frozenset(shot.route for shot in SHOTS)
"""The route templates the pictures cover: every HTML page of the app (``tests/test_screenshots.py``)."""
INDEX = ROOT / "docs" / "screenshots.md"


def index() -> str:
    """``docs/screenshots.md``: every picture with its page and caption (written by each full run)."""
    lines = [
        "# Screenshots",
        "",
        "Every page of the web app over a realistic store: about 460 articles in 12 languages from the",
        "shared texts (`../shared/data`), ingested with default settings. Made by",
        "`python scripts/screenshots.py` (see its docstring: the corpus, how the pages are chosen; it needs",
        "`../shared` and Debian's chromium, and uses `pngquant` and a Chinese font when installed), which",
        "writes the pictures into `docs/screenshots/` and this page.",
        "",
        "| picture | page | what it shows |",
        "|---|---|---|",
    ]
    lines += [f"| [{s.name}](screenshots/{s.name}.png) | `{s.route}` | {s.caption} |" for s in SHOTS]
    return "\n".join(lines) + "\n"


# -- the corpus and the store ---------------------------------------------------------------------


def shared_data() -> Path:
    from benchmarks.pipeline_corpus import shared_data as located

    return located()


def pairs(data: Path, n: int) -> list[dict[str, str]]:
    """JSONL rows of the first ``n`` SemEval-2022 pairs rated the same event (overall <= 1.5) whose two
    articles are in different languages, each pair published on one day, the days spread over
    ``DAYS`` from the pipeline stream's start."""
    from benchmarks.pipeline_corpus import START

    rows: list[dict[str, str]] = []
    chosen = 0
    with (data / SEMEVAL).open(encoding="utf-8") as lines:
        for line in lines:
            pair = json.loads(line)
            if chosen >= n:
                break
            if pair["lang1"] == pair["lang2"] or float(pair["overall"]) > 1.5:
                continue
            day = START + timedelta(days=chosen * DAYS / max(1, n), hours=2)
            for side, hours in (("1", 0), ("2", 5)):
                language = pair[f"lang{side}"]
                rows.append(
                    {
                        "id": f"semeval-{pair['pair_id']}-{side}",
                        "text": pair[f"text{side}"],
                        "source": f"{language}-daily{chosen % 3}.example",
                        "published": (day + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                )
            chosen += 1
    return rows


def write_corpus(path: Path, data: Path, n_articles: int, n_pairs: int) -> int:
    """The JSONL file ``storyline ingest`` reads: the pipeline stream over ``DAYS`` days, then the pairs
    (the pipeline orders nothing by file position: each article carries its own date)."""
    from benchmarks.pipeline_corpus import pipeline_articles

    rows = [a.row for a in pipeline_articles(n_articles, per_day=n_articles / DAYS)]
    rows += pairs(data, n_pairs)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def storyline(db: Path, *args: str) -> None:
    """``storyline --db DB ARGS`` in a child process, as a user types it (this checkout's code); an
    ingest that rejected some items exits 1 and is fine, anything worse stops the run."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "storyline", "--db", str(db), *args]
    print("$ storyline", *args, file=sys.stderr, flush=True)
    code = subprocess.run(command, env=env, check=False).returncode
    if code not in (0, 1) or (code == 1 and args[0] != "ingest"):
        raise SystemExit(f"storyline {' '.join(args)} failed (exit {code})")


def build_store(folder: Path, data: Path, n_articles: int, n_pairs: int) -> Path:
    """The store in ``folder`` (built once: an existing one is reused), through the CLI."""
    db = folder / "storyline.db"
    done = folder / "built"
    if done.is_file():
        print(f"reusing the store in {folder}", file=sys.stderr)
        return db
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    seeds = [str(p) for p in (ROOT / "examples", ROOT.parent / "shared" / "seeds") if p.is_dir()]
    storyline(db, "ingest", *seeds)
    for watchlist in WATCHLISTS:
        storyline(db, "watch", "add", *watchlist)
    storyline(db, "sources", "add", *FEED)
    corpus = folder / "corpus.jsonl"
    n = write_corpus(corpus, data, n_articles, n_pairs)
    storyline(db, "ingest", str(corpus))
    done.write_text(f"{n} articles in {time.monotonic() - started:.0f} s\n", encoding="utf-8")
    print(f"store built: {done.read_text(encoding='utf-8').strip()}", file=sys.stderr)
    return db


# -- what the pages show --------------------------------------------------------------------------


def pick(store: SqliteStore) -> Picks:
    """The rows to show, by fixed rules (ties broken by id): the live story in most languages (then
    most articles, then most places on its map); the largest story, zoomed to its busiest three days;
    the storyline with most stories; the multilingual story's original with most facts; the
    most-mentioned person and the most-mentioned place the map can locate; two articles of the
    multilingual story in two languages; the first watchlist; search by the person's last name, and by
    meaning with the first eight words of the multilingual story's first headline (its other
    languages should come up)."""
    from storyline.web.pages_facts import entity_place

    stories = store.list_stories(limit=10_000)
    if not stories:
        raise SystemExit("the store has no story")
    most = max((len(s.languages), s.n_articles) for s in stories)
    candidates = [s.id for s in stories if (len(s.languages), s.n_articles) == most]
    story = store.get_story(min(candidates, key=lambda i: (-n_places(store, i), i)))
    largest = store.get_story(min(stories, key=lambda s: (-s.n_articles, s.id)).id)
    assert story is not None and largest is not None
    originals = [a for a in map(store.get_article, story.article_ids) if a and a.duplicate_of is None]
    largest_times = [
        a.published_at for a in map(store.get_article, largest.article_ids) if a and a.published_at
    ]
    lines = store.list_storylines(limit=10_000)
    line = min(lines, key=lambda s: (-len(s.story_ids), -s.n_articles, s.id)) if lines else None

    def n_facts(article_id: str) -> int:
        facts = store.article_facts(article_id)
        return len(facts.mentions) + 3 * len(facts.quotes) + len(facts.time_mentions) + len(facts.figures)

    article = min(originals, key=lambda a: (-n_facts(a.id), a.id))
    people = store.list_entities(type="PER", limit=1)
    places = store.list_entities(type="LOC", limit=100) + store.list_entities(type="GPE", limit=100)
    place = next((e for e in sorted(places, key=lambda e: (-e.n_mentions, e.id)) if entity_place(e)), None)
    first = originals[0]
    other = next((a for a in originals if a.language != first.language), originals[-1])
    watchlists = sorted(store.list_watchlists(), key=lambda w: w.id)
    person = people[0] if people else None
    return Picks(
        story=story.id,
        largest=largest.id,
        zoom=busiest_days(largest_times),
        storyline=line.id if line is not None else "",
        article=article.id,
        person=person.id if person is not None else "",
        place=place.id if place is not None else "",
        compare=(first.id, other.id),
        watchlist=watchlists[0].id if watchlists else "",
        words=quote(person.name.split()[-1] if person is not None else "news"),
        meaning=quote(" ".join((first.title or first.text).split()[:8])),
    )


def n_places(store: SqliteStore, story_id: str) -> int:
    """How many places of the story the map shows."""
    from storyline.web.places import story_places

    story = store.get_story(story_id)
    articles = [a for a in map(store.get_article, story.article_ids if story else ()) if a is not None]
    return len(story_places(store, articles).rows)


def busiest_days(times: list[datetime], days: int = 3) -> tuple[str, str]:
    """The first and last day (ISO dates) of the ``days`` consecutive days with most articles."""
    if not times:
        today = datetime.now(UTC).date()
        return today.isoformat(), today.isoformat()
    dates = sorted(t.date() for t in times)
    starts = sorted(set(dates))
    best = max(starts, key=lambda d: (sum(d <= x < d + timedelta(days=days) for x in dates), -d.toordinal()))
    return best.isoformat(), (best + timedelta(days=days - 1)).isoformat()


def quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(" ".join(text.split()))


# -- serving and shooting -------------------------------------------------------------------------


@contextmanager
def serve(db: Path) -> Iterator[str]:
    """The web app over the store at ``db``, served by uvicorn on a free loopback port, in a thread."""
    import socket

    import uvicorn

    from storyline.settings import Settings
    from storyline.store import SqliteStore
    from storyline.web import create_app

    store = SqliteStore(db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    app = create_app(store, Settings(db=str(db), workers=1))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def shoot(page: Page, base: str, shot: Shot, picks: Picks, out: Path) -> list[str]:
    """Save ``shot`` into ``out``; returns what went wrong (empty when nothing did)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    path = shot.path(picks)
    response = page.goto(base + path, wait_until="load")
    if response is None or response.status != 200:
        problems.append(f"status {response.status if response is not None else 'none'}")
    if shot.wait:
        page.wait_for_selector(shot.wait, timeout=300_000)
    page.wait_for_load_state("networkidle")
    picture = out / f"{shot.name}.png"
    if shot.focus is not None:
        first, last = (page.locator(selector).first for selector in shot.focus)
        top = first.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        bottom = last.evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")
        clip: FloatRect = {
            "x": 0,
            "y": max(0, top - 16),
            "width": WIDTH,
            "height": min(bottom - top + 32, MAX_HEIGHT),
        }
        page.screenshot(path=str(picture), full_page=True, clip=clip, animations="disabled")
    else:
        height = int(page.evaluate("document.documentElement.scrollHeight"))
        page.set_viewport_size({"width": WIDTH, "height": max(HEIGHT, min(height, MAX_HEIGHT))})
        page.screenshot(path=str(picture), full_page=False, animations="disabled")
    return [f"{shot.name} ({path}): {p}" for p in problems]


def optimise(picture: Path) -> None:
    """Fewer colours (``pngquant``, a Debian package, when installed): a third of the bytes, the same
    look for pages of text and flat charts; the file is left as chromium wrote it without pngquant
    or when the result would not be smaller."""
    pngquant = shutil.which("pngquant")
    if pngquant is not None:
        command = [pngquant, "--quality", "65-95", "--speed", "1", "--strip", "--skip-if-larger", "--force"]
        subprocess.run([*command, "--output", str(picture), str(picture)], check=False)


def shoot_all(db: Path, out: Path, only: set[str]) -> list[str]:
    from playwright.sync_api import sync_playwright

    from storyline.store import SqliteStore

    reader = SqliteStore(db)
    try:
        picks = pick(reader)
    finally:
        reader.close()
    print(f"picks: {picks}", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with serve(db) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for shot in SHOTS:
                if only and shot.name not in only:
                    continue
                context = browser.new_context(
                    viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1
                )
                try:
                    started = time.monotonic()
                    problems += shoot(context.new_page(), base, shot, picks, out)
                    optimise(out / f"{shot.name}.png")
                    size = (out / f"{shot.name}.png").stat().st_size
                    print(f"{shot.name}.png: {size / 1024:.0f} KB, {time.monotonic() - started:.1f} s",
                          file=sys.stderr)  # fmt: skip
                finally:
                    context.close()
        finally:
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default docs/screenshots)")
    parser.add_argument("--articles", type=int, default=400, help="articles of the pipeline stream (400)")
    parser.add_argument("--pairs", type=int, default=30, help="cross-language SemEval pairs (30)")
    parser.add_argument("--store", type=Path, help="build the store here and keep it (reused when built)")
    parser.add_argument("--only", nargs="*", default=[], help="only these pictures (names without .png)")
    args = parser.parse_args(argv)
    unknown = set(args.only) - {shot.name for shot in SHOTS}
    if unknown:
        parser.error(f"no picture named {', '.join(sorted(unknown))}: {', '.join(s.name for s in SHOTS)}")
    data = shared_data()
    if not (data / SEMEVAL).is_file():
        print(f"skipped: the screenshots need the shared texts at {data} (../shared/data beside the "
              "repository, or $STORYLINE_SHARED_DATA); nothing written", file=sys.stderr)  # fmt: skip
        return 0
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("the screenshots need the playwright package (pip install playwright)", file=sys.stderr)
        return 2
    if not CHROMIUM.exists():
        print(f"the screenshots need Debian's chromium at {CHROMIUM}: run scripts/install_system_deps.sh",
              file=sys.stderr)  # fmt: skip
        return 2
    if shutil.which("pngquant") is None:
        print("warning: without pngquant (apt-get install pngquant) the pictures are about 3x larger",
              file=sys.stderr)  # fmt: skip
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        print("warning: no Chinese font (apt-get install fonts-wqy-microhei): Chinese text shows as boxes",
              file=sys.stderr)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="storyline-shots-") as tmp:
        folder = args.store if args.store is not None else Path(tmp)
        db = build_store(folder, data, args.articles, args.pairs)
        problems = shoot_all(db, args.out, set(args.only))
    if args.out == OUT and not args.only:
        INDEX.write_text(index(), encoding="utf-8")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
