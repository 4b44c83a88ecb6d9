"""extract_article: RawDoc -> Article for plain text and HTML, hints, ids, URLs and rejections."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import Rejected
from storyline.extract import extract_article
from storyline.extract.dates import date_dateline, parse_timestamp
from storyline.extract.urls import canonical_url, url_source
from storyline.model import Article, RawDoc, fingerprint, normalise_text, stable_id
from storyline.settings import Settings

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
AFP_SEED = SEEDS / "000_0456c59c1de563e2.txt"
DPA_SEED = SEEDS / "004_4bb9b37ee3aee4b5.txt"
SETTINGS = Settings()
NEEDS_SEEDS = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"needs the shared seeds at {SEEDS} (../shared beside the repo)"
)

# Copy-equivalents of the two seeds (same header, dateline and opening), so the logic is tested
# without ../shared.
AFP_TEXT = (
    " date 2021-02-17 Brussels (AFP)\n\n"
    "NATO defense ministers meet on Wednesday for their first talks since US President Joe Biden "
    "succeeded Donald Trump with the wish to ease tensions between Washington and its closest partners.\n\n"
    "Key to the agenda for the two-day virtual conference is the future of NATO’s 9,600-strong support "
    "mission in Afghanistan.\n\n"
    "“Although no ally wants to stay in Afghanistan longer than necessary, we will not leave until the "
    "time is right,” NATO Secretary General Jens Stoltenberg said on Monday.\n"
)
DPA_TEXT = (
    "Brussels (dpa) – According to NATO Secretary General Jens Stoltenberg, future US President Joe Biden "
    "will, like Donald Trump, insist on increased defense spending by European allies.\n\n"
    "Outgoing President Trump had “his own style” and expressed his expectations of Europeans “quite "
    "clearly”.\n"
)
LEAD = "NATO defence ministers met on Wednesday for their first talks since Joe Biden took office."

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>NATO ministers weigh Afghanistan exit | The Daily Example</title>
<link rel="canonical" href="https://WWW.Daily-Example.com/world/nato-afghanistan?utm_source=rss&amp;id=7#top">
<meta property="og:site_name" content="The Daily Example">
<meta property="og:title" content="NATO ministers weigh Afghanistan exit">
<meta property="article:published_time" content="2021-02-17T10:30:00+01:00">
</head><body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience. Accept all
cookies or manage your cookie preferences in the settings.</p><button>Accept</button></div>
<header class="site-header"><a href="/">The Daily Example</a><nav><ul>
<li><a href="/world">World news section</a></li><li><a href="/politics">Politics and elections</a></li>
<li><a href="/sport">Sport results today</a></li></ul></nav></header>
<main><article>
<h1>NATO ministers weigh Afghanistan exit</h1>
<p>BRUSSELS, Feb 17 (Reuters) - NATO defence ministers met on Wednesday for their first talks since US
President Joe Biden took office, with the future of the alliance’s mission in Afghanistan at the top of
the agenda.</p>
<p>“Although no ally wants to stay in Afghanistan longer than necessary, we will not leave until the time
is right,” NATO Secretary General Jens Stoltenberg told reporters before the virtual meeting began.</p>
<p>The United States has until May 1 to decide whether to pull its remaining 2,500 troops out of the
country under a deal struck by the previous administration with the Taliban insurgents.</p>
<p>Diplomats said the ministers were unlikely to announce a decision this week, but several allies made
clear they would stay as long as Washington stayed, warning that a hasty exit could undo decades of work.</p>
<p>The ministers also agreed to expand a training mission in Iraq, raising the number of personnel from
500 to around 4,000 over the coming months, officials said.</p>
</article></main>
<footer class="site-footer"><p>Copyright 2021 The Daily Example Media Group. All rights reserved.</p>
<a href="/privacy">Privacy policy and terms of use</a></footer>
</body></html>
"""

EMPTY_PAGE = """<html><head><title>Home | The Daily Example</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies.</div>
<footer>Copyright 2021 The Daily Example. <a href="/privacy">Privacy</a></footer>
</body></html>"""


def text_doc(text: str | bytes, **kwargs: object) -> RawDoc:
    body = text.encode("utf-8") if isinstance(text, str) else text
    return RawDoc(origin="test.txt", kind="text", body=body, **kwargs)  # type: ignore[arg-type]


def rejection(raw: RawDoc, settings: Settings = SETTINGS) -> tuple[str, str]:
    with pytest.raises(Rejected) as caught:
        extract_article(raw, settings)
    return caught.value.stage, caught.value.reason


# --- the seeds ---------------------------------------------------------------------------------


def check_afp(article: Article) -> None:
    assert article.agency == "AFP"
    assert article.place == "Brussels"
    assert article.published_at == datetime(2021, 2, 17, tzinfo=UTC)
    assert article.published_precision == "day"
    assert "date 2021-02-17" not in article.text
    assert article.text.startswith("NATO defense ministers meet on Wednesday")
    assert article.title.startswith("NATO defense ministers meet on Wednesday for their first talks")
    assert len(article.title) <= 141
    assert article.title.endswith("…")
    assert "“Although no ally wants to stay" in article.text


def check_dpa(article: Article) -> None:
    assert article.agency == "dpa"
    assert article.place == "Brussels"
    assert article.published_at is None
    assert article.published_precision is None
    assert article.text.startswith("Brussels (dpa) – According to NATO")  # the dateline stays in the text
    assert article.title.startswith("According to NATO Secretary General Jens Stoltenberg")


def test_afp_seed_inline() -> None:
    check_afp(extract_article(text_doc(AFP_TEXT), SETTINGS))


def test_dpa_seed_inline() -> None:
    check_dpa(extract_article(text_doc(DPA_TEXT), SETTINGS))


@NEEDS_SEEDS
def test_afp_seed_file() -> None:
    article = extract_article(RawDoc(origin=str(AFP_SEED), kind="text", body=AFP_SEED.read_bytes()), SETTINGS)
    check_afp(article)
    assert article.text.endswith("the killing of 13 Turks by Kurdish forces in Iraq.")


@NEEDS_SEEDS
def test_dpa_seed_file() -> None:
    article = extract_article(RawDoc(origin=str(DPA_SEED), kind="text", body=DPA_SEED.read_bytes()), SETTINGS)
    check_dpa(article)
    assert article.text.endswith("it will also divide Europe,” Stoltenberg stressed.")
    assert article.origin == str(DPA_SEED)
    assert article.id == stable_id("text", "", normalise_text(article.text))


# --- plain text --------------------------------------------------------------------------------


def test_text_article_fields() -> None:
    raw = text_doc(DPA_TEXT)
    article = extract_article(raw, SETTINGS)
    assert article.raw_id == raw.raw_id
    assert article.origin == "test.txt"
    assert article.content_hash == fingerprint(article.text)
    assert article.url is None
    assert article.source is None
    assert article.language is None
    assert article.id == stable_id("text", "", normalise_text(article.text))


def test_header_with_time_gives_time_precision() -> None:
    article = extract_article(text_doc(f"date 2021-02-17T10:30:00Z WASHINGTON (AP)\n\n{LEAD}"), SETTINGS)
    assert article.published_at == datetime(2021, 2, 17, 10, 30, tzinfo=UTC)
    assert article.published_precision == "time"
    assert (article.place, article.agency) == ("Washington", "AP")
    assert article.text == LEAD


def test_header_beats_dateline_and_dateline_fills_gaps() -> None:
    text = f"date 2021-02-17 (AFP)\n\nBRUSSELS, Feb 16 (Reuters) - {LEAD}"
    article = extract_article(text_doc(text), SETTINGS)
    assert (article.agency, article.place) == ("AFP", "Brussels")
    assert article.published_at == datetime(2021, 2, 17, tzinfo=UTC)


def test_headline_line_becomes_title_and_leaves_text() -> None:
    text = f"NATO ministers weigh Afghanistan exit\n\nBRUSSELS, Feb 17 (Reuters) - {LEAD}\n\nMore text."
    article = extract_article(text_doc(text), SETTINGS)
    assert article.title == "NATO ministers weigh Afghanistan exit"
    assert article.text.startswith("BRUSSELS, Feb 17 (Reuters) - NATO")
    assert (article.place, article.agency) == ("Brussels", "Reuters")


def test_a_one_line_dateline_paragraph_is_not_a_headline() -> None:
    text = "BRUSSELS (Reuters) - NATO ministers meet\n\nThey met on Wednesday in Brussels."
    article = extract_article(text_doc(text), SETTINGS)
    assert article.text == text
    assert article.title == "NATO ministers meet"
    assert article.place == "Brussels"


def test_first_sentence_title_skips_the_dateline() -> None:
    article = extract_article(text_doc(f"WASHINGTON (AP) — {LEAD} It was cold."), SETTINGS)
    assert article.title == LEAD.rstrip(".")


def test_dateline_date_needs_an_anchor_for_its_year() -> None:
    text = f"BRUSSELS, Dec 31 (Reuters) - {LEAD}"
    assert extract_article(text_doc(text), SETTINGS).published_at is None
    anchored = extract_article(text_doc(text, hints={"fetched": "2021-01-02T08:00:00Z"}), SETTINGS)
    assert anchored.published_at == datetime(2020, 12, 31, tzinfo=UTC)
    assert anchored.published_precision == "day"
    next_day = extract_article(text_doc(text, hints={"fetched": "2020-12-30T23:00:00Z"}), SETTINGS)
    assert next_day.published_at == datetime(2020, 12, 31, tzinfo=UTC)


def test_dateline_with_a_year_needs_no_anchor() -> None:
    article = extract_article(text_doc(f"LONDON, February 17, 2021 (Reuters) - {LEAD}"), SETTINGS)
    assert article.published_at == datetime(2021, 2, 17, tzinfo=UTC)


def test_byline_is_the_agency_fallback() -> None:
    article = extract_article(text_doc(f"{LEAD}\n\n(Reporting by Jane Doe; Editing by John Roe)"), SETTINGS)
    assert article.agency == "Reuters"
    assert article.place is None


def test_cp1252_and_latin1_articles() -> None:
    text = f"PARIS, 3 mars (AFP) - Le président a déclaré « nous sommes prêts » à Genève. {LEAD}"
    for codec in ("cp1252", "latin-1"):
        article = extract_article(text_doc(text.encode(codec)), SETTINGS)
        assert article.text == text
        assert (article.place, article.agency) == ("Paris", "AFP")


def test_mojibake_article_is_repaired_and_curly_quotes_survive() -> None:
    broken = f"“The cafÃ© is closed,â€\x9d said Stoltenbergâ€™s aide. {LEAD}"
    article = extract_article(text_doc(broken), SETTINGS)
    assert article.text == f"“The café is closed,” said Stoltenberg’s aide. {LEAD}"


def test_charset_hint_is_used() -> None:
    text = f"MOSCOW (Interfax) - Президент заявил, что переговоры будут продолжены. {LEAD}"
    article = extract_article(text_doc(text.encode("koi8-r"), hints={"charset": "koi8-r"}), SETTINGS)
    assert article.text == text


# --- hints -------------------------------------------------------------------------------------


def test_hints_override() -> None:
    hints = {
        "title": "  NATO   ministers meet ",
        "published": "2021-02-17T10:30:00",
        "source": "Example Wire",
        "language": "EN",
        "id": "item-42",
    }
    article = extract_article(text_doc(AFP_TEXT, hints=hints), SETTINGS)
    assert article.title == "NATO ministers meet"
    assert article.published_at == datetime(2021, 2, 17, 10, 30, tzinfo=UTC)  # naive -> UTC
    assert article.published_precision == "time"
    assert article.source == "Example Wire"
    assert article.language == "en"
    assert article.id == stable_id("id", "Example Wire", "item-42")
    assert article.agency == "AFP"


def test_hint_title_line_is_removed_from_text() -> None:
    text = f"NATO ministers meet\n\n{LEAD}"
    article = extract_article(text_doc(text, hints={"title": "NATO Ministers Meet"}), SETTINGS)
    assert article.title == "NATO Ministers Meet"
    assert article.text == LEAD


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2021-02-17", datetime(2021, 2, 17, tzinfo=UTC), "day"),
        ("2021-02-17T10:30:00+01:00", datetime(2021, 2, 17, 9, 30, tzinfo=UTC), "time"),
        ("2021-02-17T10:30:00Z", datetime(2021, 2, 17, 10, 30, tzinfo=UTC), "time"),
        ("Wed, 17 Feb 2021 10:30:00 +0100", datetime(2021, 2, 17, 9, 30, tzinfo=UTC), "time"),
        ("Wed, 17 Feb 2021 10:30:00 GMT", datetime(2021, 2, 17, 10, 30, tzinfo=UTC), "time"),
    ],
)
def test_published_hint_formats(value: str, expected: datetime, precision: str) -> None:
    article = extract_article(text_doc(DPA_TEXT, hints={"published": value}), SETTINGS)
    assert article.published_at == expected
    assert article.published_at.tzinfo is UTC
    assert article.published_precision == precision


def test_bad_published_hint_is_ignored() -> None:
    article = extract_article(text_doc(AFP_TEXT, hints={"published": "last Tuesday"}), SETTINGS)
    assert article.published_at == datetime(2021, 2, 17, tzinfo=UTC)


def test_date_helpers() -> None:
    assert parse_timestamp("2021-13-45") is None
    assert parse_timestamp("") is None
    anchor = datetime(2021, 3, 1, tzinfo=UTC)
    assert date_dateline(2, 29, None, anchor) == datetime(2020, 2, 29, tzinfo=UTC)
    assert date_dateline(2, 30, None, anchor) is None
    assert date_dateline(2, 17, None, None) is None


# --- URLs and ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://WWW.Example.com:443/a/B?utm_source=x&id=3#top", "https://www.example.com/a/B?id=3"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/x?fbclid=1&gclid=2&q=a%20b", "http://example.com:8080/x?q=a%20b"),
        ("https://example.com/x?utm_medium=rss&utm_campaign=y", "https://example.com/x"),
        ("/relative/path", None),
        ("not a url", None),
        ("http://[bad", None),
    ],
)
def test_canonical_url(url: str, canonical: str | None) -> None:
    assert canonical_url(url) == canonical


def test_url_source() -> None:
    assert url_source("https://www.reuters.com/world/") == "reuters.com"
    assert url_source("https://apnews.com/x") == "apnews.com"
    assert url_source(None) is None


def test_article_url_and_id_from_given_url() -> None:
    raw = text_doc(DPA_TEXT, url="HTTPS://www.Example.com/news/1?utm_source=feed#x")
    article = extract_article(raw, SETTINGS)
    assert article.url == "https://www.example.com/news/1"
    assert article.source == "example.com"
    assert article.id == stable_id("url", "https://www.example.com/news/1")


# --- HTML --------------------------------------------------------------------------------------


def test_html_news_page() -> None:
    raw = RawDoc(
        origin="page.html", kind="html", body=NEWS_PAGE.encode("utf-8"), url="http://mirror.example/p"
    )
    article = extract_article(raw, SETTINGS)
    assert article.title == "NATO ministers weigh Afghanistan exit"
    assert article.url == "https://www.daily-example.com/world/nato-afghanistan?id=7"
    assert article.id == stable_id("url", "https://www.daily-example.com/world/nato-afghanistan?id=7")
    assert article.source == "The Daily Example"
    assert article.published_at == datetime(2021, 2, 17, 9, 30, tzinfo=UTC)
    assert article.published_precision == "time"
    assert (article.place, article.agency) == ("Brussels", "Reuters")
    assert article.text.startswith("BRUSSELS, Feb 17 (Reuters) - NATO defence ministers met")
    assert article.text.rstrip().endswith("over the coming months, officials said.")
    assert "“Although no ally wants to stay in Afghanistan" in article.text
    boilerplate = ("cookies", "World news section", "Politics and elections", "Privacy policy", "Copyright")
    assert [b for b in boilerplate if b in article.text] == []
    assert article.content_hash == fingerprint(article.text)


def test_html_headline_is_taken_from_the_first_line_when_the_page_title_has_a_suffix() -> None:
    page = NEWS_PAGE.replace('<meta property="og:title" content="NATO ministers weigh Afghanistan exit">', "")
    page = page.replace("<p>BRUSSELS, Feb 17 (Reuters) - ", "<p>")
    article = extract_article(RawDoc(origin="p.html", kind="html", body=page.encode("utf-8")), SETTINGS)
    assert article.title == "NATO ministers weigh Afghanistan exit"
    assert article.text.startswith("NATO defence ministers met on Wednesday")
    assert (article.place, article.agency) == (None, None)


def test_html_hints_win_over_page_metadata() -> None:
    hints = {"title": "Hinted title", "source": "Wire", "published": "2021-02-18"}
    raw = RawDoc(origin="p.html", kind="html", body=NEWS_PAGE.encode("utf-8"), hints=hints)
    article = extract_article(raw, SETTINGS)
    assert (article.title, article.source) == ("Hinted title", "Wire")
    assert article.published_at == datetime(2021, 2, 18, tzinfo=UTC)
    assert article.published_precision == "day"


def test_html_without_article_text_is_rejected() -> None:
    raw = RawDoc(origin="home.html", kind="html", body=EMPTY_PAGE.encode("utf-8"), url="https://example.com/")
    assert rejection(raw) == ("extract", "no_text")


def test_html_in_cp1252_with_meta_charset() -> None:
    page = NEWS_PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("–", "-")
    raw = RawDoc(origin="p.html", kind="html", body=page.encode("cp1252"))
    assert "alliance’s mission" in extract_article(raw, SETTINGS).text


# --- rejections --------------------------------------------------------------------------------


def test_rejections() -> None:
    assert rejection(text_doc("")) == ("extract", "no_text")
    assert rejection(text_doc("   \n\n  ")) == ("extract", "no_text")
    assert rejection(text_doc("Too short.")) == ("extract", "no_text")
    assert rejection(text_doc(bytes(range(32)) * 10)) == ("extract", "bad_encoding")
    assert rejection(text_doc(DPA_TEXT * 4), Settings(max_item_bytes=1_000)) == ("extract", "too_large")
    odd = RawDoc(origin="x", kind="pdf", body=b"%PDF-1.4 ...")  # type: ignore[arg-type]
    assert rejection(odd) == ("extract", "unsupported_kind")


def test_min_text_chars_setting() -> None:
    assert extract_article(text_doc("Short but fine."), Settings(min_text_chars=10)).text == "Short but fine."


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(alphabet="<>/=\"' abcdhtmlpbodyarticle\n", max_size=400).map(str.encode),
    ),
    kind=st.sampled_from(["text", "html"]),
    hints=st.dictionaries(
        st.sampled_from(["title", "published", "source", "language", "id", "charset", "fetched"]),
        st.text(max_size=30),
    ),
    url=st.one_of(st.none(), st.text(max_size=40)),
)
def test_any_input_gives_an_article_or_a_rejection(
    body: bytes, kind: str, hints: dict[str, str], url: str | None
) -> None:
    raw = RawDoc(origin="fuzz", kind=kind, body=body, url=url, hints=hints)  # type: ignore[arg-type]
    try:
        article = extract_article(raw, Settings(min_text_chars=1))
    except Rejected as e:
        assert e.stage == "extract"
        assert e.reason in {"no_text", "bad_encoding", "extractor_failed", "too_large"}
    else:
        assert isinstance(article, Article)
        assert article.text
        assert article.published_at is None or article.published_at.tzinfo is UTC


def test_a_publication_time_after_the_fetch_is_dropped() -> None:
    """One article dated 2099 must not age the stream's clock (stories, near-copies) past everything."""
    text = "BRUSSELS (AFP) - NATO defence ministers met on Wednesday to discuss the mission. " * 3
    hints = {"fetched": "2021-02-17T12:00:00+00:00"}
    future = RawDoc("f.jsonl:1", "text", text.encode(), hints={**hints, "published": "2099-01-01T00:00:00Z"})
    assert extract_article(future, Settings()).published_at is None
    late = RawDoc("f.jsonl:2", "text", text.encode(), hints={**hints, "published": "2021-02-18T06:00:00Z"})
    assert extract_article(late, Settings()).published_at == datetime(2021, 2, 18, 6, tzinfo=UTC)
