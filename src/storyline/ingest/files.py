"""File readers: paths, directories and streams, classified by content sniffing.

A file is text, HTML, JSONL, a WARC, an RSS/Atom feed, or any of those gzipped. Single-item files
(text, HTML) over ``settings.max_item_bytes`` are refused from their size alone; containers stream
and apply the cap to each record. Nothing here raises on bad input: it becomes a ``Rejection``.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from storyline.ingest.feeds import iter_feed
from storyline.ingest.sniff import (
    HEAD_BYTES,
    Kind,
    decode_legacy,
    gunzip_head,
    looks_like_html,
    read_upto,
    replay,
    sniff,
)
from storyline.ingest.warc import iter_warc
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.ingest.fetch import Fetcher

LOGGER = logging.getLogger(__name__)

Item = RawDoc | Rejection
_Seen = set[tuple[int, int]]
RAW_KEEP_BYTES = 16 * 1024
"""Rejections keep the offending bytes up to this size (``raw``)."""

_HINT_KEYS = ("title", "published", "source", "language", "id")
_GZIP_ERRORS = (zlib.error, gzip.BadGzipFile, OSError)
_REFUSED: dict[Kind, tuple[str, str]] = {
    "empty": ("empty", "file is empty or only whitespace"),
    "binary": ("binary", "binary data, not text, HTML, JSONL, WARC or a feed"),
    "xml": ("unknown_format", "XML that is neither a feed nor HTML"),
    "gzip": ("unknown_format", "gzip inside gzip"),
}


def reject(origin: str, reason: str, detail: str, raw: bytes | None = None) -> Rejection:
    """A read-stage ``Rejection``, keeping ``raw`` only when it is small."""
    LOGGER.debug("read: %s rejected (%s): %s", origin, reason, detail)
    keep = raw if raw is not None and len(raw) <= RAW_KEEP_BYTES else None
    return Rejection(origin, "read", reason, detail, raw=keep)


def iter_path(
    path: Path, origin: str, settings: Settings, *, fetcher: Fetcher | None = None
) -> Iterator[Item]:
    """Yield the items in a file, or in every file under a directory (sorted, hidden entries skipped)."""
    yield from _walk(path, origin, settings, fetcher, set())


def _walk(
    path: Path, origin: str, settings: Settings, fetcher: Fetcher | None, seen: _Seen
) -> Iterator[Item]:
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        yield reject(origin, "not_found", f"{origin}: no such file or directory")
        return
    except (OSError, ValueError) as e:
        yield reject(origin, "unreadable", f"{origin}: cannot read: {e}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk_dir(path, origin, settings, fetcher, seen, (info.st_dev, info.st_ino))
    elif stat.S_ISREG(info.st_mode):
        yield from _read_file(path, origin, settings, fetcher, info.st_size)
    else:
        yield reject(origin, "unsupported_file", f"{origin}: not a regular file or directory")


def _walk_dir(
    path: Path, origin: str, settings: Settings, fetcher: Fetcher | None, seen: _Seen, key: tuple[int, int]
) -> Iterator[Item]:
    if key in seen:
        LOGGER.debug("read: %s already walked (symlink loop or repeat), skipped", origin)
        return
    seen.add(key)
    try:
        names = sorted(os.listdir(path))
    except OSError as e:
        yield reject(origin, "unreadable", f"{origin}: cannot list directory: {e}")
        return
    for name in names:
        if not name.startswith("."):
            yield from _walk(path / name, os.path.join(origin, name), settings, fetcher, seen)


def _read_file(
    path: Path, origin: str, settings: Settings, fetcher: Fetcher | None, size: int
) -> Iterator[Item]:
    try:
        stream = path.open("rb")
    except OSError as e:
        yield reject(origin, "unreadable", f"{origin}: cannot open: {e}")
        return
    with stream:
        yield from iter_stream(stream, origin, settings, size=size, name=path.name, fetcher=fetcher)


def iter_stream(
    stream: BinaryIO,
    origin: str,
    settings: Settings,
    *,
    size: int | None = None,
    name: str = "",
    fetcher: Fetcher | None = None,
) -> Iterator[Item]:
    """Sniff an open binary stream (a file, stdin, a fetched body) and yield its items.

    ``size`` is the stream's length when known (files), so too-large items are refused unread.
    """
    try:
        head = read_upto(stream, HEAD_BYTES)
    except OSError as e:
        yield reject(origin, "unreadable", f"{origin}: cannot read: {e}")
        return
    complete = len(head) < HEAD_BYTES or size == len(head)
    kind = sniff(head, complete=complete, name=name)
    LOGGER.debug("read: %s sniffed as %s", origin, kind)
    whole = replay(head, stream)
    try:
        yield from _dispatch(kind, whole, origin, settings, size, name, fetcher)
    except OSError as e:
        yield reject(origin, "unreadable", f"{origin}: read failed: {e}")


def _dispatch(
    kind: Kind,
    stream: BinaryIO,
    origin: str,
    settings: Settings,
    size: int | None,
    name: str,
    fetcher: Fetcher | None,
) -> Iterator[Item]:
    """Hand a sniffed stream to the reader for its kind."""
    if kind == "gzip":
        yield from _iter_gzip(stream, origin, settings, name, fetcher)
    elif kind == "warc":
        yield from iter_warc(stream, origin, settings)
    elif kind == "jsonl":
        yield from iter_jsonl(stream, origin, settings)
    elif kind in ("html", "text", "feed"):
        data = _read_item(stream, origin, settings, size)
        if isinstance(data, Rejection):
            yield data
        elif kind == "feed":
            yield from iter_feed(data, origin, settings, fetcher=fetcher)
        else:
            yield RawDoc(origin, "html" if kind == "html" else "text", data)
    else:
        reason, why = _REFUSED[kind]
        yield reject(origin, reason, f"{origin}: {why}", stream.read(RAW_KEEP_BYTES + 1))


def _read_item(stream: BinaryIO, origin: str, settings: Settings, size: int | None) -> bytes | Rejection:
    """A single item's bytes, or ``too_large`` (decided from ``size`` without reading, when known)."""
    cap = settings.max_item_bytes
    if size is not None and size > cap:
        return reject(origin, "too_large", f"{origin}: {size} bytes, over max_item_bytes={cap}")
    data = stream.read(cap + 1)
    if len(data) > cap:
        return reject(origin, "too_large", f"{origin}: over max_item_bytes={cap}")
    return data


def _iter_gzip(
    stream: BinaryIO, origin: str, settings: Settings, name: str, fetcher: Fetcher | None
) -> Iterator[Item]:
    """Look inside a gzip stream and read what it holds; a cut-off stream ends in ``truncated``."""
    try:
        consumed, head, complete = gunzip_head(stream)
    except zlib.error as e:
        yield reject(origin, "corrupt", f"{origin}: not valid gzip: {e}")
        return
    inner = name[:-3] if name.lower().endswith(".gz") else name
    kind = sniff(head, complete=complete, name=inner)
    again = replay(consumed, stream)
    if kind == "warc":
        yield from iter_warc(again, origin, settings)
        return
    unzipped: Any = gzip.GzipFile(fileobj=again, mode="rb")
    try:
        yield from _dispatch(kind, unzipped, origin, settings, None, inner, fetcher)
    except EOFError:
        yield reject(origin, "truncated", f"{origin}: gzip data ends early (cut-off file?)")
    except _GZIP_ERRORS as e:
        yield reject(origin, "corrupt", f"{origin}: damaged gzip data: {e}")


def iter_jsonl(stream: BinaryIO, origin: str, settings: Settings) -> Iterator[Item]:
    """One item per line of a JSONL stream; blank lines are skipped, bad lines become rejections."""
    cap = settings.max_item_bytes
    line_no = 0
    while line := stream.readline(cap + 1):
        line_no += 1
        where = f"{origin}:{line_no}"
        if len(line) > cap and not line.endswith(b"\n"):
            while (rest := stream.readline(HEAD_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield reject(where, "too_large", f"{where}: line over max_item_bytes={cap}")
            continue
        item = jsonl_item(line.removeprefix(b"\xef\xbb\xbf") if line_no == 1 else line, where)
        if item is not None:
            yield item


def jsonl_item(line: bytes, where: str) -> Item | None:
    """The item for one JSONL line (``where`` is ``file:line``); ``None`` for a blank line."""
    if not line.strip():
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        guess = decode_legacy(line)
        if guess is None:
            return reject(where, "bad_encoding", f"{where}: line is neither UTF-8 nor a known encoding", line)
        text = guess
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as e:
        return reject(where, "bad_json", f"{where}: not valid JSON: {e}", line)
    if not isinstance(obj, dict):
        detail = f"{where}: expected a JSON object with a 'text' key, got {type(obj).__name__}"
        return reject(where, "not_object", detail, line)
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        got = "no 'text' key" if body is None else f"'text' {type(body).__name__} {str(body)[:40]!r}"
        detail = f"{where}: expected a JSON object with a non-empty string 'text', got {got}"
        return reject(where, "missing_text", detail, line)
    return _jsonl_doc(obj, body, where)


def _jsonl_doc(obj: dict[str, Any], body: str, where: str) -> RawDoc:
    fields = {**obj, "language": obj.get("language") or obj.get("lang")}
    hints = {key: _hint(fields[key]) for key in _HINT_KEYS if fields.get(key) is not None}
    url = _hint(obj["url"]) if obj.get("url") is not None else ""
    return RawDoc(
        where,
        "html" if looks_like_html(body) else "text",
        body.encode("utf-8", "replace"),
        url=url or None,
        hints={key: value for key, value in hints.items() if value},
    )


def _hint(value: object) -> str:
    """A JSON value as a hint string (scalars as text, anything else as compact JSON), valid UTF-8."""
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool | int | float):
        text = json.dumps(value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "replace").decode("utf-8")
