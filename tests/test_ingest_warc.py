"""Tests for the WARC reader, with archives written by warcio's WARCWriter."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import iter_inputs, iter_warc
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

SETTINGS = Settings()


def page(n: int) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>Story {n}</title></head><body><nav>Home | World</nav>"
        f"<article><p>BRUSSELS (AFP) - Paragraph of story number {n}. " + "More words. " * 100 + "</p>"
        "</article><footer>Contact us</footer></body></html>"
    ).encode()


PLAIN = b"Plain caf\xe9 text. " * 20
RESPONSES = [
    ("https://news.example.com/a", "200 OK", "text/html; charset=UTF-8", page(1)),
    ("https://news.example.com/b", "200 OK", "application/xhtml+xml", page(2)),
    ("https://news.example.com/missing", "404 Not Found", "text/html", b"<html><body>gone</body></html>"),
    ("https://news.example.com/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(300)),
    (
        "https://news.example.com/c.txt",
        "200 OK",
        "text/plain; charset=iso-8859-1",
        b"Plain caf\xe9 text. " * 20,
    ),
]


def make_warc(gz: bool = True) -> bytes:
    """A CC-NEWS-like archive: warcinfo, then request + response pairs."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("news.warc.gz", {"software": "storyline-tests"}))
    for uri, status, content_type, body in RESPONSES:
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.com")], is_http_request=True)
        writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": "2021-02-17T10:00:00Z"}
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        writer.write_record(record)
    return buf.getvalue()


def check_full_archive(found: list[RawDoc | Rejection], origin: str) -> None:
    kinds = [(i.kind if isinstance(i, RawDoc) else i.reason) for i in found]
    assert kinds == ["html", "html", "http_status", "not_html", "text"]
    assert all(i.origin.startswith(f"{origin}#") for i in found)
    offsets = [int(i.origin.rpartition("#")[2]) for i in found]
    assert offsets == sorted(offsets) and offsets[0] > 0
    first, second, missing, logo, plain = found
    assert isinstance(first, RawDoc) and isinstance(second, RawDoc) and isinstance(plain, RawDoc)
    assert (first.url, first.body) == ("https://news.example.com/a", page(1))
    assert dict(first.hints) == {"fetched": "2021-02-17T10:00:00Z", "charset": "utf-8"}
    assert second.hints == {"fetched": "2021-02-17T10:00:00Z"}
    assert plain.hints["charset"] == "iso-8859-1" and plain.body == PLAIN
    assert isinstance(missing, Rejection) and "404" in missing.detail
    assert isinstance(logo, Rejection) and "image/png" in logo.detail


def test_gzipped_warc_yields_html_responses_only() -> None:
    found = list(iter_warc(io.BytesIO(make_warc()), "cc.warc.gz", SETTINGS))
    check_full_archive(found, "cc.warc.gz")


def test_uncompressed_warc_file_is_sniffed_and_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.dat"
    path.write_bytes(make_warc(gz=False))
    check_full_archive(list(iter_inputs([str(path)], SETTINGS)), str(path))


def test_offsets_point_at_the_records(tmp_path: Path) -> None:
    data = make_warc()
    found = list(iter_warc(io.BytesIO(data), "x", SETTINGS))
    offset = int(found[0].origin.rpartition("#")[2])
    member = gzip.decompress(data[offset:])  # the gzip member at that offset starts the record
    assert member.startswith(b"WARC/1.") and b"WARC-Type: response" in member[:400]


def test_truncated_warc_yields_good_records_then_truncated(tmp_path: Path) -> None:
    data = make_warc()
    full = list(iter_warc(io.BytesIO(data), "x", SETTINGS))
    last_offset = int(full[-1].origin.rpartition("#")[2])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: last_offset + 200])  # cut inside the last response
    found = list(iter_inputs([str(path)], SETTINGS))
    kinds = [(i.kind if isinstance(i, RawDoc) else i.reason) for i in found]
    assert kinds == ["html", "html", "http_status", "not_html", "truncated"]
    assert found[0].origin == f"{path}#{full[0].origin.rpartition('#')[2]}"
    assert isinstance(found[-1], Rejection) and found[-1].stage == "read"


def record_starts(data: bytes) -> list[int]:
    records = ArchiveIterator(io.BytesIO(data))
    return [records.get_record_offset() for _ in records]


@pytest.mark.parametrize("gz", [False, True])
def test_every_cut_of_an_archive_ends_in_truncated_unless_between_records(gz: bool) -> None:
    data = make_warc(gz=gz)
    starts = record_starts(data)
    assert len(starts) == 11
    for cut in range(1, len(data), 37):
        found = list(iter_warc(io.BytesIO(data[:cut]), "x", SETTINGS))
        reasons = [i.reason for i in found if isinstance(i, Rejection)]
        assert reasons.count("truncated") <= 1
        if "truncated" in reasons:
            assert reasons[-1] == "truncated" and isinstance(found[-1], Rejection)
        else:  # nothing lost: the cut fell between records (at most the blank lines after one)
            assert any(0 <= start - cut <= 4 for start in starts), cut


def test_payload_over_the_cap_is_too_large() -> None:
    found = list(iter_warc(io.BytesIO(make_warc()), "x", Settings(max_item_bytes=1000)))
    kinds = [(i.kind if isinstance(i, RawDoc) else i.reason) for i in found]
    assert kinds == ["too_large", "too_large", "http_status", "not_html", "text"]


def test_garbage_after_a_warc_header_is_truncated_not_an_exception() -> None:
    found = list(iter_warc(io.BytesIO(b"WARC/1.0\r\nWARC-Type: resp"), "junk", SETTINGS))
    assert [(i.origin, i.reason) for i in found if isinstance(i, Rejection)][-1][1] == "truncated"


@hsettings(max_examples=int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", "40")), deadline=None)
@given(tail=st.binary(max_size=2000), gz=st.booleans())
def test_arbitrary_bytes_after_a_warc_start_never_raise(tail: bytes, gz: bool) -> None:
    data = b"WARC/1.0\r\n" + tail
    found = list(iter_warc(io.BytesIO(gzip.compress(data) if gz else data), "fuzz", SETTINGS))
    assert all(isinstance(i, RawDoc | Rejection) for i in found)


@pytest.mark.parametrize("version", [b"WARC/0.17", b"WARC/0.18", b"WARC/1.1"])
def test_other_warc_versions_are_read_not_taken_for_text(tmp_path: Path, version: bytes) -> None:
    data = make_warc(gz=False).replace(b"WARC/1.0\r\n", version + b"\r\n")
    path = tmp_path / "old.warc"
    path.write_bytes(data)
    check_full_archive(list(iter_inputs([str(path)], SETTINGS)), str(path))


def test_arc_and_warc_heads_sniff_as_archives() -> None:
    from storyline.ingest.sniff import sniff

    arc = b"filedesc://IA-001.arc 0.0.0.0 20080101000000 text/plain 76\n1 0 InternetArchive\n"
    assert sniff(arc, complete=False) == "warc"
    assert sniff(b"WARC/0.17\r\nWARC-Type: warcinfo\r\n", complete=False) == "warc"
    assert sniff(b"WARC/ is a format\n", complete=True) == "text"
