"""Input bombs: small files that expand into huge header blocks, lines or payloads.

Each bomb is built here, fed to a real ``storyline ingest`` in a child process, and the child's peak
RSS is read with ``getrusage(RUSAGE_CHILDREN)`` in a fresh wrapper process (so only that child
counts). The ingest must stay bounded, store a rejection for the bomb, and read the good records
around it.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from storyline.ingest import iter_feed, iter_warc, warc_guard
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

MAX_RSS_MB = 400
_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(peak, done.returncode, done.stderr.decode(errors='replace')[-2000:])\n"
)
_CHUNK = 1 << 20


def gzip_member(parts: Iterable[bytes]) -> bytes:
    """One gzip member holding the concatenated ``parts``, compressed as they stream past."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [comp.compress(part) for part in parts]
    out.append(comp.flush())
    return b"".join(out)


def page(n: int) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>Harbour report {n}</title>"
        f'<meta property="article:published_time" content="2021-03-0{n}T08:00:00Z"></head><body>'
        f"<article><h1>Harbour report {n}</h1><p>ROTTERDAM (Reuters) - Dock workers in report {n} said "
        + "the cranes stood still for a second day. " * 30
        + "</p></article></body></html>"
    ).encode()


def http_block(body_len: int, extra: Iterable[bytes] = ()) -> Iterable[bytes]:
    yield b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    yield from extra
    yield f"Content-Length: {body_len}\r\n\r\n".encode()


def warc_record(
    uri: str,
    block: Iterable[bytes],
    block_len: int,
    warc_extra: Iterable[bytes] = (),
) -> Iterable[bytes]:
    """The parts of one WARC/1.0 response record (``block`` is the HTTP message, ``block_len`` long)."""
    yield (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2021-03-01T09:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\nWARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
    ).encode()
    yield from warc_extra
    yield f"Content-Length: {block_len}\r\n\r\n".encode()
    yield from block
    yield b"\r\n\r\n"


def good_member(n: int) -> bytes:
    body = page(n)
    head = b"".join(http_block(len(body)))
    return gzip_member(warc_record(f"https://port.example.com/{n}", [head, body], len(head) + len(body)))


def repeated(unit: bytes, count: int) -> Iterable[bytes]:
    per = max(1, _CHUNK // len(unit))
    while count > 0:
        yield unit * min(per, count)
        count -= per


def many_warc_headers() -> bytes:
    """10M WARC header lines (about 100 KB gzipped)."""
    head = b"".join(http_block(10))
    lines = repeated(b"X-Pad: a\r\n", 10_000_000)
    return gzip_member(
        warc_record("https://port.example.com/bomb", [head, b"0123456789"], len(head) + 10, lines)
    )


def huge_warc_header_line() -> bytes:
    """One 256 MB WARC header line (about 255 KB gzipped)."""
    head = b"".join(http_block(10))
    line = [b"X-Pad: ", *repeated(b"a", 256 << 20), b"\r\n"]
    return gzip_member(
        warc_record("https://port.example.com/bomb", [head, b"0123456789"], len(head) + 10, line)
    )


def many_http_headers() -> bytes:
    """5M HTTP header lines inside a response record's block."""
    lines = b"X-Pad: a\r\n" * 5_000_000
    head = b"".join(http_block(10, [lines]))
    return gzip_member(warc_record("https://port.example.com/bomb", [head, b"0123456789"], len(head) + 10))


def payload_bomb() -> bytes:
    """A response whose HTML payload expands to 940 MB (about 1 MB gzipped)."""
    unit = b"<p>aaaaaaa</p>"
    size = len(unit) << 26
    head = b"".join(http_block(size))
    body = repeated(unit, 1 << 26)
    return gzip_member(warc_record("https://port.example.com/bomb", [head, *body], len(head) + size))


def warc_bomb(middle: Callable[[], bytes]) -> bytes:
    return good_member(1) + middle() + good_member(2)


def jsonl_line_bomb() -> bytes:
    """A gzipped JSONL file whose second line is 1 GB long."""
    good = json.dumps({"url": "https://port.example.com/j", "text": "The cranes stood still. " * 10})
    return gzip_member([good.encode(), b"\n", b'{"text": "', *repeated(b"a", 1 << 30), b'"}\n'])


def run_ingest(tmp_path: Path, path: Path) -> int:
    """Peak RSS (MB) of ``storyline ingest path``, run alone under a fresh wrapper process."""
    db = tmp_path / "bomb.db"
    command = [
        *(sys.executable, "-c", _RSS_WRAPPER),
        *(sys.executable, "-m", "storyline", "-q", "--db", str(db)),
        *("--set", "understand", "false", "--set", "stories", "false", "ingest", str(path)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
    peak, code, errors = done.stdout.split(" ", 2)
    assert code in ("0", "1"), errors  # 1: the run stored rejections
    return int(peak) // 1024


def stored(tmp_path: Path, what: str) -> list[dict[str, object]]:
    db = tmp_path / "bomb.db"
    command = [sys.executable, "-m", "storyline", "-q", "--db", str(db), what, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


WARC_BOMBS = {
    "many_warc_headers": (many_warc_headers, "header_too_large"),
    "huge_warc_header_line": (huge_warc_header_line, "header_too_large"),
    "many_http_headers": (many_http_headers, "header_too_large"),
    "payload_bomb": (payload_bomb, "too_large"),
}


@pytest.mark.parametrize("name", sorted(WARC_BOMBS))
def test_warc_bomb_is_bounded_rejected_and_the_rest_is_read(tmp_path: Path, name: str) -> None:
    build, reason = WARC_BOMBS[name]
    path = tmp_path / f"{name}.warc.gz"
    path.write_bytes(warc_bomb(build))
    peak = run_ingest(tmp_path, path)
    print(f"{name}: {path.stat().st_size // 1024} KB, peak RSS {peak} MB")
    assert peak < MAX_RSS_MB
    rejections = stored(tmp_path, "rejections")
    assert [(r["stage"], r["reason"]) for r in rejections] == [("read", reason)]
    assert str(rejections[0]["origin"]).startswith(f"{path}#")
    urls = sorted(str(a["url"]) for a in stored(tmp_path, "articles"))
    assert urls == ["https://port.example.com/1", "https://port.example.com/2"]


def test_jsonl_line_bomb_is_bounded_and_rejected(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl.gz"
    path.write_bytes(jsonl_line_bomb())
    peak = run_ingest(tmp_path, path)
    print(f"jsonl_line_bomb: {path.stat().st_size // 1024} KB, peak RSS {peak} MB")
    assert peak < MAX_RSS_MB
    rejections = stored(tmp_path, "rejections")
    assert [(r["origin"], r["reason"]) for r in rejections] == [(f"{path}:2", "too_large")]
    assert [a["url"] for a in stored(tmp_path, "articles")] == ["https://port.example.com/j"]


def kinds(found: list[RawDoc | Rejection]) -> list[str]:
    return [str(i.url) if isinstance(i, RawDoc) else i.reason for i in found]


@pytest.mark.parametrize(
    "unit,count", [(b"X-Pad: a\r\n", 2_000), (b"a", 200_000), (b"X-Pad: abcdefgh\r\n", 3_900)]
)
def test_uncompressed_warc_reads_on_after_an_oversized_header_block(unit: bytes, count: int) -> None:
    """Over the line count, the line length, the block bytes: refused, then the next record is found."""
    records = [gzip.decompress(good_member(1))]
    head = b"".join(http_block(10))
    extra = [unit * count + (b"" if unit.endswith(b"\n") else b"\r\n")]
    records.append(
        b"".join(warc_record("https://port.example.com/bomb", [head, b"0123456789"], len(head) + 10, extra))
    )
    records.append(gzip.decompress(good_member(2)))
    found = list(iter_warc(io.BytesIO(b"".join(records)), "plain.warc", Settings()))
    assert kinds(found) == ["https://port.example.com/1", "header_too_large", "https://port.example.com/2"]
    assert found[1].origin == f"plain.warc#{len(records[0])}"


def test_decompression_past_the_time_budget_is_too_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_guard, "DECOMPRESS_SECONDS", 0.05)
    first = good_member(1)
    data = first + payload_bomb() + good_member(2)
    found = list(iter_warc(io.BytesIO(data), "slow.warc.gz", Settings()))
    assert kinds(found) == ["https://port.example.com/1", "too_slow"]
    assert found[1].origin == f"slow.warc.gz#{len(first)}"


def test_a_header_line_of_ordinary_length_is_read() -> None:
    head = b"".join(http_block(len(page(3)), [b"Set-Cookie: " + b"c" * 8000 + b"\r\n"]))
    member = gzip_member(warc_record("https://port.example.com/3", [head, page(3)], len(head) + len(page(3))))
    found = list(iter_warc(io.BytesIO(member), "ok.warc.gz", Settings()))
    assert kinds(found) == ["https://port.example.com/3"]


def _nested_feed(depth: int) -> bytes:
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title><item><title>a</title>'
    body = b"<description>" + b"<b>" * depth + b"x" + b"</b>" * depth + b"</description></item>"
    good = b"<item><title>b</title><link>https://port.example.com/f</link><description>"
    good += b"ROTTERDAM (Reuters) - The cranes stood still for a second day. " * 5
    return head + body + good + b"</description></item></channel></rss>"


NESTING_BOMBS = {
    # 2M nested tags in a feed: feedparser took 1 GB and 72 s over it; refused by depth at once
    "feed.xml": (lambda: _nested_feed(2_000_000), "too_deep"),
    # 2M nested arrays in one JSONL line: json refuses it by recursion depth
    "lines.jsonl": (
        lambda: b'{"text": ' + b"[" * 2_000_000 + b"]" * 2_000_000 + b"}\n",
        "bad_json",
    ),
}


@pytest.mark.parametrize("name", sorted(NESTING_BOMBS))
def test_nesting_bomb_is_bounded_and_rejected(tmp_path: Path, name: str) -> None:
    build, reason = NESTING_BOMBS[name]
    path = tmp_path / name
    path.write_bytes(build())
    peak = run_ingest(tmp_path, path)
    print(f"nesting {name}: {path.stat().st_size // 1024} KB, peak RSS {peak} MB")
    assert peak < MAX_RSS_MB
    assert [r["reason"] for r in stored(tmp_path, "rejections")] == [reason]


def test_a_feed_of_ordinary_depth_is_read(tmp_path: Path) -> None:
    items = list(iter_feed(_nested_feed(40), "feed.xml", Settings()))
    assert [type(i).__name__ for i in items] == ["RawDoc", "RawDoc"]
