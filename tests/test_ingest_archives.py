"""ARC v1 and WARC/0.17 archives, written by hand here, read whole through ``storyline ingest``."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.ingest import iter_inputs
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

TOPICS = (
    "the harbour cranes stood still as dock workers walked out over pay",
    "the city council voted to close the old tram line by the river",
    "farmers blocked the motorway with tractors to protest fuel prices",
    "the national library reopened its reading room after a long repair",
    "a late frost damaged most of the apricot harvest in the valley",
    "the airport opened a second runway after ten years of planning",
)
# (URL, archive date, published date in the page)
PAGES = [
    (
        f"http://www.example-news.com/2008/01/{10 + n}/story{n}.html",
        f"200801{15 + n}1200{n:02d}",
        f"2008-01-{10 + n}",
    )
    for n in range(len(TOPICS))
]


def html_page(n: int) -> bytes:
    topic = TOPICS[n]
    return (
        f"<html><head><title>Report {n}: {topic[:30]}</title>"
        f'<meta name="date" content="{PAGES[n][2]}"></head><body><div class="story">'
        f"<h1>Report {n}</h1><p>LONDON - Witnesses said {topic}. "
        + f"Officials said {topic} and more talks would follow. " * 8
        + "</p></div></body></html>"
    ).encode("latin-1")


def http_response(body: bytes, content_type: str = "text/html") -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def arc_records() -> list[bytes]:
    """An ARC v1 file, one record per item: the version block, the pages, then an image."""
    spec = b"1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [
        b"filedesc://IA-2008-test.arc 0.0.0.0 20080115120000 text/plain %d\n" % len(spec) + spec + b"\n"
    ]
    for n, (url, when, _) in enumerate(PAGES):
        block = http_response(html_page(n))
        records.append(f"{url} 192.0.2.{n + 1} {when} text/html {len(block)}\n".encode() + block + b"\n")
    logo = http_response(b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    records.append(
        f"http://www.example-news.com/logo.png 192.0.2.9 20080115130000 image/png {len(logo)}\n".encode()
        + logo
        + b"\n"
    )
    return records


def warc017_records() -> list[bytes]:
    """A WARC/0.17 file as Heritrix 1.x wrote them: warcinfo, then request + response pairs."""
    info = b"software: Heritrix/1.14.0\r\nformat: WARC File Format 0.17\r\n"
    records = [warc017("warcinfo", None, "2008-01-15T12:00:00Z", "application/warc-fields", info)]
    for n, (url, when, _) in enumerate(PAGES):
        iso = f"{when[:4]}-{when[4:6]}-{when[6:8]}T{when[8:10]}:{when[10:12]}:{when[12:]}Z"
        request = (
            f"GET {url[len('http://www.example-news.com') :]} HTTP/1.0\r\nHost: www.example-news.com\r\n\r\n"
        )
        records.append(warc017("request", url, iso, "application/http; msgtype=request", request.encode()))
        block = http_response(html_page(n))
        records.append(warc017("response", url, iso, "application/http; msgtype=response", block))
    return records


def warc017(kind: str, url: str | None, when: str, content_type: str, block: bytes) -> bytes:
    lines = ["WARC/0.17", f"WARC-Type: {kind}", f"WARC-Date: {when}"]
    lines += [f"WARC-Target-URI: {url}"] if url else []
    lines += [f"WARC-Record-ID: <urn:uuid:{abs(hash((kind, url))):032x}>", f"Content-Type: {content_type}"]
    lines += [f"Content-Length: {len(block)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def archive(records: list[bytes], gz: bool) -> bytes:
    return b"".join(gzip.compress(r) for r in records) if gz else b"".join(records)


BUILDS = {"arc": arc_records, "warc017": warc017_records}


def ingest(tmp_path: Path, path: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    db = str(tmp_path / "t.db")
    base = ["-q", "--db", db, "--set", "understand", "false", "--set", "stories", "false"]
    result = CliRunner().invoke(cli, [*base, "ingest", str(path), "--json"])
    assert result.exit_code in (0, 1), result.output
    articles = json.loads(CliRunner().invoke(cli, ["-q", "--db", db, "articles", "--json"]).output)
    rejections = json.loads(CliRunner().invoke(cli, ["-q", "--db", db, "rejections", "--json"]).output)
    return articles, rejections


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("form", sorted(BUILDS))
def test_every_html_response_becomes_an_article_with_its_url_and_date(
    tmp_path: Path, form: str, gz: bool
) -> None:
    path = tmp_path / (f"crawl.{form}" + (".gz" if gz else ""))
    path.write_bytes(archive(BUILDS[form](), gz))
    articles, rejections = ingest(tmp_path, path)
    got = sorted((a["url"], str(a["published_at"])[:10]) for a in articles)
    assert got == sorted((url, published) for url, _, published in PAGES)
    assert all(str(a["origin"]).startswith(f"{path}#") for a in articles)
    expected = [("read", "not_html")] if form == "arc" else []  # the ARC's image
    assert [(r["stage"], r["reason"]) for r in rejections] == expected


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("form", sorted(BUILDS))
def test_archive_dates_become_fetch_hints(tmp_path: Path, form: str, gz: bool) -> None:
    path = tmp_path / "crawl.bin"
    path.write_bytes(archive(BUILDS[form](), gz))
    found = list(iter_inputs([str(path)], Settings()))
    docs = [i for i in found if isinstance(i, RawDoc)]
    assert [(d.url, d.kind) for d in docs] == [(url, "html") for url, _, _ in PAGES]
    fetched = [datetime.fromisoformat(str(d.hints["fetched"]).replace("Z", "+00:00")) for d in docs]
    assert [f.strftime("%Y%m%d%H%M%S") for f in fetched] == [when for _, when, _ in PAGES]
    assert [d.body for d in docs] == [html_page(n) for n in range(len(PAGES))]
    assert all(isinstance(i, Rejection) and i.reason == "not_html" for i in found if i not in docs)
    offsets = [int(d.origin.rpartition("#")[2]) for d in docs]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)


def test_cut_off_arc_ends_in_truncated(tmp_path: Path) -> None:
    data = archive(arc_records(), gz=True)
    last = len(gzip.compress(arc_records()[-1]))
    path = tmp_path / "cut.arc.gz"
    path.write_bytes(data[: len(data) - last // 2])  # inside the last record's gzip member
    found = list(iter_inputs([str(path)], Settings()))
    assert isinstance(found[-1], Rejection) and found[-1].reason == "truncated"
    assert sum(isinstance(i, RawDoc) for i in found) == len(PAGES)
