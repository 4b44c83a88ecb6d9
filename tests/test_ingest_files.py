"""Tests for the file readers: sniffing, directories, JSONL, gzip, stdin, size caps, and fuzzing."""

from __future__ import annotations

import gzip
import io
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from storyline.ingest import iter_inputs, iter_path
from storyline.ingest.sniff import sniff
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

SETTINGS = Settings()

ARTICLE_HTML = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>NATO ministers meet in Brussels</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
<h1>NATO ministers meet in Brussels</h1>
<p>BRUSSELS, Feb 17 (AFP) - NATO defence ministers met on Wednesday to discuss the alliance's
mission in Afghanistan, Secretary General Jens Stoltenberg said.</p>
<p>"We face a difficult dilemma," Stoltenberg told reporters.</p>
</article>
<footer><p>&copy; 2021 Example News. All rights reserved.</p></footer>
</body>
</html>
"""

JSONL_LINES = [
    b'{"text": "First article about the summit.", "title": "Summit", "url": "https://ex.com/1",'
    b' "published": "2021-02-17", "source": "AFP", "lang": "en", "id": 7}',
    b'{"text": "broken',
    b"[1, 2, 3]",
    b"",
    b'{"title": "no text here"}',
    '{"text": "Café à Paris, élection déjà prévue", "language": "fr"}'.encode("latin-1"),
    b'{"text": "<html><body><p>An HTML body in JSONL</p></body></html>", "url": null}',
    b'{"text": "   "}',
    b'{"text": "lone \\ud800 surrogate", "title": "bad \\udc00", "lang": "de", "url": "  "}',
]


def items(inputs: list[str], settings: Settings = SETTINGS, **kwargs: object) -> list[RawDoc | Rejection]:
    return list(iter_inputs(inputs, settings, **kwargs))  # type: ignore[arg-type]


def summary(found: list[RawDoc | Rejection]) -> list[tuple[str, str]]:
    """(origin, kind or reason) for each item, in order."""
    return [(i.origin, i.kind if isinstance(i, RawDoc) else i.reason) for i in found]


def test_html_page_with_navigation_and_footer_is_read_whole_as_html(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE_HTML)
    [doc] = items([str(page)])
    assert isinstance(doc, RawDoc)
    assert (doc.origin, doc.kind, doc.body, doc.url) == (str(page), "html", ARTICLE_HTML, None)


def test_plain_text_file_is_text(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_bytes(b"BRUSSELS (dpa) - Ministers will meet in February.\n")
    [doc] = items([str(path)])
    assert isinstance(doc, RawDoc) and doc.kind == "text"
    assert doc.body == b"BRUSSELS (dpa) - Ministers will meet in February.\n"


def test_jsonl_good_lines_come_through_and_bad_lines_are_rejected_with_file_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"\n".join(JSONL_LINES) + b"\n")
    found = items([str(path)])
    origin = str(path)
    assert summary(found) == [
        (f"{origin}:1", "text"),
        (f"{origin}:2", "bad_json"),
        (f"{origin}:3", "not_object"),
        (f"{origin}:5", "missing_text"),
        (f"{origin}:6", "text"),
        (f"{origin}:7", "html"),
        (f"{origin}:8", "missing_text"),
        (f"{origin}:9", "text"),
    ]
    first, bad_json, not_object, missing = found[:4]
    assert isinstance(first, RawDoc)
    assert first.body == b"First article about the summit."
    assert first.url == "https://ex.com/1"
    assert dict(first.hints) == {
        "title": "Summit",
        "published": "2021-02-17",
        "source": "AFP",
        "language": "en",
        "id": "7",
    }
    assert isinstance(not_object, Rejection) and not_object.stage == "read"
    assert not_object.detail == f"{origin}:3: expected a JSON object with a 'text' key, got list"
    assert not_object.raw == b"[1, 2, 3]\n"
    assert isinstance(bad_json, Rejection) and bad_json.detail.startswith(f"{origin}:2: not valid JSON")
    assert isinstance(missing, Rejection) and "no 'text' key" in missing.detail
    latin = found[4]
    assert isinstance(latin, RawDoc)
    assert latin.body.decode("utf-8") == "Café à Paris, élection déjà prévue"
    assert dict(latin.hints) == {"language": "fr"}
    html_line = found[5]
    assert isinstance(html_line, RawDoc) and html_line.url is None and html_line.hints == {}
    surrogates = found[-1]
    assert isinstance(surrogates, RawDoc) and surrogates.url is None
    assert surrogates.body == b"lone ? surrogate"
    assert dict(surrogates.hints) == {"title": "bad ?", "language": "de"}


def test_jsonl_line_in_no_known_encoding_is_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    bad = b'{"text": "' + bytes(range(128, 256)) + b'"}'
    path.write_bytes(b'{"text": "ok"}\n' + bad + b'\n{"text": "\x00 NUL in a string"}\n')
    found = items([str(path)])
    assert summary(found) == [(f"{path}:1", "text"), (f"{path}:2", "bad_encoding"), (f"{path}:3", "bad_json")]
    assert isinstance(found[1], Rejection) and found[1].raw == bad + b"\n"


def test_jsonl_line_over_the_cap_is_refused_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = json.dumps({"text": "x" * 5000}).encode()
    path.write_bytes(b'{"text": "small"}\n' + big + b'\n{"text": "after"}\n')
    found = items([str(path)], Settings(max_item_bytes=1000))
    assert summary(found) == [(f"{path}:1", "text"), (f"{path}:2", "too_large"), (f"{path}:3", "text")]
    assert isinstance(found[2], RawDoc) and found[2].body == b"after"


def test_gzipped_jsonl_is_read_and_a_truncated_copy_ends_in_truncated(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"article number {i} " + "word " * (i % 7)}) for i in range(400)]
    data = gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=1)
    whole, cut = tmp_path / "a.jsonl.gz", tmp_path / "cut.gz"
    whole.write_bytes(data)
    cut.write_bytes(data[: len(data) // 2])
    found = items([str(whole)])
    assert len(found) == 400 and all(isinstance(i, RawDoc) for i in found)
    assert found[399].origin == f"{whole}:400"
    partial = items([str(cut)])
    assert 0 < len(partial) < 400
    *good, last = partial
    assert all(isinstance(i, RawDoc) for i in good)
    assert good[0].origin == f"{cut}:1"
    assert isinstance(last, Rejection) and (last.origin, last.reason) == (str(cut), "truncated")


def test_gzipped_html_and_garbage_gzip(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(ARTICLE_HTML))
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b" + b"not really gzip at all" * 3)
    found = items([str(tmp_path)])
    assert summary(found) == [(f"{tmp_path}/bad.gz", "corrupt"), (f"{tmp_path}/page.html.gz", "html")]
    assert isinstance(found[1], RawDoc) and found[1].body == ARTICLE_HTML


def test_directory_walk_sniffs_content_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("never read")
    (root / ".dotfile").write_text("never read")
    (root / "really_html.txt").write_bytes(ARTICLE_HTML)
    (root / "records").write_bytes(b'{"text": "one"}\n{"text": "two"}\n')
    (root / "image.bin").write_bytes(bytes(range(256)) * 4)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b"  \n\t\n")
    (root / "nested" / "deeper" / "story.txt").write_text(
        "The minister said on Tuesday that talks would go on."
    )
    found = items([str(root)])
    base = str(root)
    assert summary(found) == [
        (f"{base}/blank.txt", "empty"),
        (f"{base}/empty.txt", "empty"),
        (f"{base}/image.bin", "binary"),
        (f"{base}/nested/deeper/story.txt", "text"),
        (f"{base}/really_html.txt", "html"),
        (f"{base}/records:1", "text"),
        (f"{base}/records:2", "text"),
    ]
    assert isinstance(found[2], Rejection) and found[2].raw == bytes(range(256)) * 4


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("some words of text")
    os.symlink(root, root / "sub" / "back")
    found = items([str(root)])
    assert summary(found) == [(f"{root}/sub/a.txt", "text")]


def test_too_large_text_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(b"A plain text article. " * 4000)
        f.truncate(200_000_000)  # sparse: 200 MB on paper, cheap on disk
    small = tmp_path / "small.txt"
    small.write_bytes(b"short text " * 50)
    start = time.perf_counter()
    found = items([str(path), str(small)], Settings(max_item_bytes=1000))
    assert time.perf_counter() - start < 1.0
    assert summary(found) == [(str(path), "too_large"), (str(small), "text")]
    assert isinstance(found[0], Rejection) and found[0].raw is None
    assert "200000000 bytes" in found[0].detail


def test_missing_path_and_unsupported_schemes() -> None:
    found = items(["/no/such/place.txt", "ftp://example.com/a.txt", "javascript:alert(1)"])
    assert summary(found) == [
        ("/no/such/place.txt", "not_found"),
        ("ftp://example.com/a.txt", "unsupported_url"),
        ("javascript:alert(1)", "unsupported_url"),
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        assert summary(items([str(path)])) == [(str(path), "unreadable")]
    finally:
        path.chmod(0o600)


def test_file_that_cannot_be_opened_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret")

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    [rejection] = items([str(path)])
    assert isinstance(rejection, Rejection)
    assert (rejection.origin, rejection.reason) == (str(path), "unreadable")
    assert "Permission denied" in rejection.detail


def test_stdin_is_sniffed_like_a_file() -> None:
    found = items(["-"], stdin=io.BytesIO(b'{"text": "from a pipe"}\n{"nope": 1}\n'))
    assert summary(found) == [("<stdin>:1", "text"), ("<stdin>:2", "missing_text")]
    [doc] = items(["-"], stdin=io.BytesIO(ARTICLE_HTML))
    assert isinstance(doc, RawDoc) and (doc.origin, doc.kind, doc.body) == ("<stdin>", "html", ARTICLE_HTML)


def test_stdin_over_the_cap_is_too_large() -> None:
    found = items(["-"], Settings(max_item_bytes=1000), stdin=io.BytesIO(b"word " * 1000))
    assert summary(found) == [("<stdin>", "too_large")]


def test_iter_path_takes_the_origin_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello there, reader")
    [doc] = iter_path(path, "a.txt", SETTINGS)
    assert isinstance(doc, RawDoc) and doc.origin == "a.txt"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf<!doctype html><p>x", "html"),
        (b"<p>A paragraph</p>", "html"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "feed"),
        (b'<?xml version="1.0"?><urlset></urlset>', "xml"),
        (b"WARC/1.1\r\n", "warc"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b'{"text": "x"}\n', "jsonl"),
        (b'{"text": "x"', "text"),
        (b"Caf\xe9 au lait, a plain latin-1 text", "text"),
        (b"\x00\x01\x02\x03binary", "binary"),
    ],
)
def test_sniff(head: bytes, kind: str) -> None:
    assert sniff(head, complete=True) == kind


FUZZ = hsettings(
    max_examples=int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def check_all_items(found: list[RawDoc | Rejection]) -> None:
    assert all(isinstance(i, RawDoc | Rejection) for i in found)
    for i in found:
        if isinstance(i, Rejection):
            assert i.reason and i.detail and i.stage == "read"


@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_file_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz"
    path.write_bytes(data)
    check_all_items(items([str(path)], Settings(max_item_bytes=2000)))


@FUZZ
@given(data=st.binary(max_size=3000), cut=st.integers(min_value=0, max_value=4000))
def test_arbitrary_gzip_member_never_raises(tmp_path: Path, data: bytes, cut: int) -> None:
    path = tmp_path / "fuzz.gz"
    path.write_bytes(gzip.compress(data)[: cut or None])
    check_all_items(items([str(path)], Settings(max_item_bytes=2000)))


@FUZZ
@given(lines=st.lists(st.binary(max_size=200), max_size=12))
def test_arbitrary_jsonl_lines_never_raise(tmp_path: Path, lines: list[bytes]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b'{"text": "first"}\n' + b"\n".join(lines))
    found = items([str(path)])
    check_all_items(found)
    assert found[0].origin == f"{path}:1" and isinstance(found[0], RawDoc)
    assert all(i.origin.startswith(f"{path}:") for i in found)


@FUZZ
@given(text=st.text(max_size=300), extra=st.dictionaries(st.sampled_from(["title", "url", "id"]), st.text()))
def test_any_jsonl_text_round_trips(tmp_path: Path, text: str, extra: dict[str, str]) -> None:
    path = tmp_path / "round.jsonl"
    path.write_text(json.dumps({"text": text, **extra}) + "\n", encoding="utf-8")
    [item] = items([str(path)])
    if text.strip():
        assert isinstance(item, RawDoc)
        assert item.body == text.encode("utf-8", "replace")
    else:
        assert isinstance(item, Rejection) and item.reason == "missing_text"
