"""Plain language on every page (issue #14, part 5): no internal codes, a glossary, words for values.

The main test renders every HTML page of the app over a realistic store (``realistic_store.py``: the
example wire reports, and a few dozen SemEval-2022 articles in ten languages when ``../shared/data``
is there) and scans what each page shows (``plain_scan.py``) for internal codes. The scanner itself is
tested first, on pages that show the codes the issue lists, so the scan cannot pass by being blind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore
from storyline.web import create_app, pages_help
from storyline.web.pages_help import DOCS_ASSETS
from storyline.web.plain import (
    entity_type_words,
    figure_words,
    interval_words,
    month_day_words,
    number_words,
    quote_kind_words,
    timex_words,
)
from storyline.web.ratelimit import RateLimits
from storyline.web.security import CSP
from tests.conftest import SHARED
from tests.plain_scan import (
    STYLESHEET,
    Corpus,
    Finding,
    Rule,
    scan,
    scan_text,
    selector_xpath,
    text_transform_rules,
)
from tests.realistic_store import build_store, corpus_texts, every_page, html_routes

TOKEN = "plain-token-0123"


def _page(body: str) -> str:
    return (
        f"<!doctype html><html><head><title>t</title><style>.x{{}}</style></head><body>{body}</body></html>"
    )


# -- the scanner ---------------------------------------------------------------------------------------


def test_the_scanner_flags_a_timex_duration_code() -> None:
    found = scan(_page("<ul><li>last days <span>→ PXD</span></li></ul>"))
    assert [(f.kind, f.code) for f in found] == [("TIMEX duration", "PXD")]
    assert [f.code for f in scan(_page("<p>more than two decades → P20Y</p>"))] == ["P20Y"]


def test_the_scanner_flags_a_year_shown_as_a_day_with_its_status() -> None:
    found = scan(_page("<ol><li><strong>2001-01-01 HAPPENED</strong></li></ol>"))
    assert {f.kind for f in found} == {"day with raw status", "enum name"}
    # the same code when the stylesheet uppercases a lower-case status (what a reader saw)
    rules = text_transform_rules(".tag { font-size: 1px; text-transform: uppercase; }")
    styled = _page('<ol><li><strong>2001-01-01</strong> <span class="tag">happened</span></li></ol>')
    assert "HAPPENED" in {f.code for f in scan(styled, rules=rules)}
    assert not scan(styled, rules=[])  # without the rule the word is a word


def test_the_scanner_flags_the_other_codes_of_the_issue() -> None:
    cases = {
        "<p>the future → FUTURE_REF</p>": "FUTURE_REF",
        "<p>Monday → XXXX-WXX-1</p>": "XXXX",
        "<table><tr><td>GDP</td><td>%</td><td>0.02</td></tr></table>": "0.02",
        "<p>GDP share: 0.02 (%)</p>": "0.02",
        "<p>Shared dates 05-01</p>": "05-01",
        "<p>Jane Doe <span>PER</span></p>": "PER",
        "<p>Speaker: None</p>": "None",
        "<p>['a', 'b']</p>": "['",
        "<p>polled 2021-02-17T09:30:00.123456+00:00</p>": "2021-02-17T09:30",
        '<p><span title="2021-W07">this week</span></p>': "2021-W07",
        '<input placeholder="DURATION">': "DURATION",
        "<p>2020-03-30TEV</p>": "0TEV",
    }
    for body, code in cases.items():
        assert code in {f.code for f in scan(_page(body))}, body


def test_the_scanner_flags_keyphrases_in_capitals_the_articles_do_not_write() -> None:
    rules = [Rule(selector_xpath(".lang"), True)]
    corpus = Corpus(["US President Joe Biden succeeded Donald Trump. The headline read BREAKING NEWS today."])
    page = _page('<p><span class="lang">Biden succeeded Donald</span> <span class="lang">en</span></p>')
    assert [f.code for f in scan(page, corpus, rules)] == ["BIDEN SUCCEEDED DONALD"]
    assert [f.code for f in scan(_page("<p>BIDEN SUCCEEDED DONALD</p>"), corpus)] == [
        "BIDEN SUCCEEDED DONALD"
    ]
    assert not scan(_page("<p>Key phrase: BREAKING NEWS</p>"), corpus)  # the article writes it so


def test_the_scanner_leaves_words_and_article_text_alone() -> None:
    corpus = Corpus(
        ["None of the 30 allies wants to stay; the share rose 0.5 points to 2.5 % of GDP in 2001."]
    )
    clean = (
        "<h1>NATO meets in Brussels</h1><p>2001 · happened</p><p>2 % of gross domestic product</p>"
        "<p>None of the 30 allies wants to stay</p><p>score 0.83</p><p>US and EU leaders</p><p>0.25 %</p>"
        "<script>var x = 'PXD FUTURE_REF None';</script>"
    )
    assert scan(_page(clean), corpus) == []


def test_the_text_scan_reads_what_the_browser_renders() -> None:
    corpus = Corpus(
        ["NATO defense ministers meet on Wednesday for their first talks since US President Joe Biden."]
    )
    rendered = "\n".join([
        "2001-01-01 HAPPENED",  # a status the stylesheet uppercased
        "BIDEN SUCCEEDED DONALD",  # a keyphrase the stylesheet uppercased
        "Monday → XXXX-WXX-1",
        "NAME\tTYPE\tMENTIONS\tLANGUAGES\tALSO CALLED",  # table headings the stylesheet uppercases
        "AFP: NATO defense ministers meet on Wednesday for their first talks since US President Joe Biden.",
        "2001 · happened",
    ])  # fmt: skip
    assert {f.code for f in scan_text(rendered, corpus)} == {
        "2001-01-01 HAPPENED",
        "HAPPENED",
        "BIDEN SUCCEEDED DONALD",
        "XXXX",
        "-WXX",
    }


def test_the_scanner_refuses_a_stylesheet_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="unsupported CSS selector"):
        text_transform_rules("nav > a:hover { text-transform: uppercase }")
    assert len(text_transform_rules(STYLESHEET.read_text(encoding="utf-8"))) >= 1


# -- plain words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "words"),
    [
        ("2001", "DATE", "2001"),
        ("2021-05", "DATE", "May 2021"),
        ("2021-W07", "DATE", "week 7 of 2021"),
        ("2021-02-17", "DATE", "17 Feb 2021"),
        ("2021-02-17TEV", "TIME", "17 Feb 2021 evening"),
        ("XXXX-05", "DATE", "May"),
        ("XXXX-WXX-1", "DATE", "a Monday"),
        ("XXXX-WXX-7TAF", "TIME", "a Sunday afternoon"),
        ("2021-W07-3", "DATE", "17 Feb 2021"),
        ("XXXX-XX-XXT19:00", "TIME", "19:00"),
        ("2020-04-11T17:02:00+02:00", "TIME", "11 Apr 2020 17:02"),
        ("2020-04-11T25h", "TIME", "11 Apr 2020"),
        ("2020-Q1", "DATE", "the first quarter of 2020"),
        ("2020-H2", "DATE", "the second half of 2020"),
        ("2020-SU", "DATE", "summer 2020"),
        ("199", "DATE", "the 1990s"),
        ("P20Y", "DURATION", "20 years"),
        ("P1D", "DURATION", "1 day"),
        ("P2D", "DURATION", "2 days"),
        ("PXD", "DURATION", "some days"),
        ("PXY", "DURATION", "some years"),
        ("PT5H30M", "DURATION", "5 hours and 30 minutes"),
        ("P1Y", "SET", "every year"),
        ("P1D", "SET", "every day"),
        ("P2W", "SET", "every 2 weeks"),
        ("XXXX-WXX-1", "SET", "every Monday"),
        ("FUTURE_REF", "DATE", "the future"),
        ("PAST_REF", "DATE", "the past"),
        ("PRESENT_REF", "DATE", "now"),
        ("", "DATE", None),
        ("XXXX", "DATE", None),
        ("2021-XX-17", "DATE", None),
        ("POD", "DATE", None),
    ],
)
def test_timex_values_in_words(value: str, kind: str, words: str | None) -> None:
    assert timex_words(value, kind) == words
    if words is not None:
        assert scan(_page(f"<p>{words}</p>")) == [], words


def test_figures_in_words() -> None:
    assert figure_words(0.02, "%") == "2 %"
    assert figure_words(0.125, "%") == "12.5 %"
    assert figure_words(0.0005, "%") == "0.05 %"
    assert figure_words(9600.0, None) == "9,600"
    assert figure_words(2.5, "pp") == "2.5 percentage points"
    assert figure_words(1.5e9, "EUR") == "€1.5 billion"
    assert figure_words(40.0, "km") == "40 km"
    assert figure_words(300.0, "CHF") == "300 CHF"
    assert number_words(float("nan")) == "—"


def test_types_kinds_and_intervals_in_words() -> None:
    assert month_day_words("05-01") == "1 May" and month_day_words("2001") == "2001"
    assert [entity_type_words(t) for t in ("PER", "ORG", "LOC", "MISC", "GPE", "??", None)] == [
        "person", "organisation", "place", "other", "place", "other", "other",
    ]  # fmt: skip
    assert [quote_kind_words(k) for k in ("direct", "indirect", "mixed")] == [
        "direct quote", "reported speech", "partly quoted",
    ]  # fmt: skip
    assert interval_words(900) == "15 min" and interval_words(86400 * 7) == "7 days"


# -- the glossary and the API docs page -----------------------------------------------------------------


@pytest.fixture(scope="module")
def bare_client() -> TestClient:
    return TestClient(create_app(MemoryStore(), Settings(workers=1, trusted_hosts="testserver")))


GLOSSARY_TERMS = (
    "story", "storyline", "copy", "original", "velocity", "happened", "precision", "durations",
    "compare-scale", "quote", "entity", "figures", "new", "meaning", "watchlist", "source",
)  # fmt: skip


def test_the_glossary_explains_the_terms_and_every_page_links_it(bare_client: TestClient) -> None:
    html = bare_client.get("/glossary").text
    for term in GLOSSARY_TERMS:
        assert f'<dt id="{term}">' in html and f'href="#{term}"' in html, term
    for words in ("1 = the same story", "4 = unrelated", "a longer bar means more alike", "sources disagree",
                  "reported speech", "canonical entity", "velocity", "upcoming", "ongoing"):  # fmt: skip
        assert words in html, words
    for path in ("/", "/articles", "/compare", "/watchlists", "/docs", "/glossary"):
        page = bare_client.get(path).text
        assert 'href="/glossary"' in page and 'href="/docs"' in page, path
    compare = bare_client.get("/compare").text
    assert 'href="/glossary#compare-scale"' in compare and "4 = unrelated" in compare


def test_the_api_docs_page_runs_swagger_ui_from_this_server(bare_client: TestClient) -> None:
    response = bare_client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP  # the policy is every page's, unchanged
    assert "unsafe" not in CSP and "script-src 'self'" in CSP
    html = response.text
    assert re.findall(r"(?:https?:)?//[^\s\"'<>]+", html) == []  # nothing from another host, not even a link
    root = lxml_html.document_fromstring(html)
    scripts = root.xpath("//script")
    assert scripts and all(s.get("src", "").startswith("/") and not (s.text or "").strip() for s in scripts)
    assert not root.xpath(
        "//style | //*[@style] | //*[@onload] | //*[@onclick]"
    )  # no inline style or handler
    assets = [s.get("src") for s in scripts] + root.xpath("//link[@rel='stylesheet']/@href")
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/static/api-docs.js"} <= set(
        assets
    )
    for asset in assets:
        served = bare_client.get(asset)
        assert served.status_code == 200, asset
        kind = "text/css" if asset.endswith(".css") else "text/javascript"
        assert served.headers["content-type"].startswith(kind), asset
    assert DOCS_ASSETS is not None
    bundle = bare_client.get("/docs/assets/swagger-ui-bundle.js").content
    assert bundle == (DOCS_ASSETS / "swagger-ui-bundle.js").read_bytes()  # fastapi-offline's own file
    (holder,) = root.xpath("//div[@id='swagger-ui']")
    document = bare_client.get(holder.get("data-openapi-url"))
    assert document.status_code == 200
    spec = document.json()
    assert spec["openapi"].startswith("3.") and "/api/v1/stories" in spec["paths"]
    assert "/docs" not in spec["paths"] and "/glossary" not in spec["paths"]


def test_the_api_docs_page_without_swagger_ui_points_to_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages_help, "DOCS_ASSETS", None)
    client = TestClient(create_app(MemoryStore(), Settings(workers=1, trusted_hosts="testserver")))
    html = client.get("/docs").text
    assert "fastapi-offline" in html and 'href="/api/v1/openapi.json"' in html
    assert "/docs/assets/" not in html and client.get("/docs/assets/swagger-ui.css").status_code == 404


# -- every page of a realistic store --------------------------------------------------------------------


@pytest.fixture(scope="module", params=["examples", "shared"])
def realistic(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqliteStore]:
    shared = None
    if request.param == "shared":
        shared = SHARED / "data"
        if not (shared / "similarity" / "semeval22_dev.jsonl").is_file():
            pytest.skip(
                f"the multilingual part needs ../shared/data (set STORYLINE_SHARED): {shared} is absent"
            )
    store = build_store(tmp_path_factory.mktemp(f"plain-{request.param}") / "plain.db", shared)
    yield store
    store.close()


@pytest.fixture(scope="module")
def plain_client(realistic: SqliteStore) -> TestClient:
    settings = Settings(db=str(realistic.path), workers=1, trusted_hosts="testserver")
    app = create_app(realistic, settings, token=TOKEN, limits=RateLimits(compare_burst=1000))
    return TestClient(app, headers={"authorization": f"Bearer {TOKEN}"})


@pytest.mark.slow
def test_no_internal_codes_on_any_page(plain_client: TestClient, realistic: SqliteStore) -> None:
    pages = every_page(plain_client, realistic)
    unscanned = html_routes(plain_client.app) - set(pages)  # type: ignore[arg-type]
    assert not unscanned, f"pages of the app not scanned, add them to every_page: {sorted(unscanned)}"
    corpus = Corpus(corpus_texts(realistic))
    shown: dict[str, list[tuple[str, Finding]]] = {}
    n_pages = 0
    for route, paths in [*pages.items(), ("error page", ["/no-such-page"])]:
        assert paths, f"no page to render for {route}"
        for path in paths:
            response = plain_client.get(path)
            expected = 404 if route == "error page" else 200
            if response.status_code != expected or not response.headers["content-type"].startswith(
                "text/html"
            ):
                shown.setdefault(route, []).append((path, Finding("status", str(response.status_code), "")))
                continue
            n_pages += 1
            shown.setdefault(route, []).extend((path, f) for f in scan(response.text, corpus))
    assert n_pages >= 20
    shown = {route: found for route, found in shown.items() if found}
    assert not shown, f"internal codes on {len(shown)} kinds of page:\n" + "\n".join(
        _summary(route, found) for route, found in shown.items()
    )


def _summary(route: str, found: list[tuple[str, Finding]]) -> str:
    kinds: dict[str, set[str]] = {}
    for _, finding in found:
        kinds.setdefault(finding.kind, set()).add(finding.code)
    lines = [
        f"{route}: {len(found)} on {len({p for p, _ in found})} pages, e.g. {found[0][0]}: {found[0][1]}"
    ]
    lines += [f"    {kind}: {', '.join(sorted(codes)[:8])}" for kind, codes in sorted(kinds.items())]
    return "\n".join(lines)
