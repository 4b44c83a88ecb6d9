"""The one place a sniffed kind picks its reader: for files and stdin, for fetched URLs, and for
what a gzip stream holds (a WARC among them).

``READERS`` maps each readable ``Kind`` to its reader; the other kinds are refused (``_REFUSED``).
Single-item kinds (text, HTML, a feed) over ``settings.max_item_bytes`` are refused from their size
alone when it is known; containers (JSONL, WARC, gzip) stream and apply the cap to each record.
A fetched body is read as a feed when it sniffs or is served as one, as one page when it is HTML
or text (the page keeps the URL and the fetch's hints), else through ``READERS`` as a file would be.
Nothing here raises on bad input: it becomes a ``Rejection``.
"""

from __future__ import annotations

import gzip
import io
import logging
import posixpath
import zlib
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from storyline.errors import FetchError
from storyline.ingest.feeds import iter_feed
from storyline.ingest.fetch import Fetched, Fetcher
from storyline.ingest.items import RAW_KEEP_BYTES, Item, reject
from storyline.ingest.jsonl import iter_jsonl
from storyline.ingest.sniff import HEAD_BYTES, Kind, gunzip_head, read_upto, replay, sniff
from storyline.ingest.warc import iter_warc
from storyline.model import RawDoc, RawKind, Rejection
from storyline.settings import Settings

LOGGER = logging.getLogger(__name__)

Reader = Callable[[BinaryIO, str, Settings, int | None, str, Fetcher | None], Iterator[Item]]
"""``(stream, origin, settings, size, name, fetcher)`` -> items: the reader of one sniffed kind."""

_GZIP_ERRORS = (zlib.error, gzip.BadGzipFile, OSError)
_REFUSED: dict[Kind, tuple[str, str]] = {
    "empty": ("empty", "file is empty or only whitespace"),
    "binary": ("binary", "binary data, not text, HTML, JSONL, WARC or a feed"),
    "xml": ("unknown_format", "XML that is neither a feed nor HTML"),
    "gzip": ("unknown_format", "gzip inside gzip"),
}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}


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
    reader = READERS.get(kind)
    if reader is not None:
        yield from reader(stream, origin, settings, size, name, fetcher)
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


def _single(kind: RawKind) -> Reader:
    """The reader of a one-item kind: the whole stream is one ``RawDoc`` of ``kind``."""

    def read(
        stream: BinaryIO,
        origin: str,
        settings: Settings,
        size: int | None,
        name: str,
        fetcher: Fetcher | None,
    ) -> Iterator[Item]:
        data = _read_item(stream, origin, settings, size)
        yield data if isinstance(data, Rejection) else RawDoc(origin, kind, data)

    return read


def _read_feed(
    stream: BinaryIO, origin: str, settings: Settings, size: int | None, name: str, fetcher: Fetcher | None
) -> Iterator[Item]:
    data = _read_item(stream, origin, settings, size)
    if isinstance(data, Rejection):
        yield data
    else:
        yield from iter_feed(data, origin, settings, fetcher=fetcher)


def _read_warc(
    stream: BinaryIO, origin: str, settings: Settings, size: int | None, name: str, fetcher: Fetcher | None
) -> Iterator[Item]:
    return iter_warc(stream, origin, settings)


def _read_jsonl(
    stream: BinaryIO, origin: str, settings: Settings, size: int | None, name: str, fetcher: Fetcher | None
) -> Iterator[Item]:
    return iter_jsonl(stream, origin, settings)


def _iter_gzip(
    stream: BinaryIO, origin: str, settings: Settings, size: int | None, name: str, fetcher: Fetcher | None
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


READERS: dict[Kind, Reader] = {
    "gzip": _iter_gzip,
    "warc": _read_warc,
    "jsonl": _read_jsonl,
    "html": _single("html"),
    "text": _single("text"),
    "feed": _read_feed,
}
"""The reader of each readable sniffed kind; ``empty``, ``binary`` and ``xml`` are refused."""


def iter_url(url: str, settings: Settings, fetcher: Fetcher) -> Iterator[RawDoc | Rejection]:
    """Fetch ``url`` and yield what it holds: a feed's entries, one page, or the items of a file body."""
    try:
        page = fetcher.fetch(url)
    except FetchError as e:
        LOGGER.debug("fetch: %s refused: %s", url, e)
        yield Rejection(url, "fetch", e.reason, e.detail)
        return
    yield from iter_fetched(page, settings, fetcher)


def is_feed(page: Fetched) -> bool:
    """Whether ``iter_fetched`` reads ``page`` as an RSS/Atom feed."""
    return _feedlike(_sniffed(page)[0], page.content_type)


def _feedlike(kind: str, content_type: str) -> bool:
    return kind == "feed" or (content_type in _FEED_TYPES and kind not in ("html", "gzip"))


def _sniffed(page: Fetched) -> tuple[str, str]:
    """``(kind, file name)`` of a fetched body."""
    name = posixpath.basename(urlsplit(page.final_url).path)
    return sniff(page.body[:HEAD_BYTES], complete=len(page.body) <= HEAD_BYTES, name=name), name


def iter_fetched(page: Fetched, settings: Settings, fetcher: Fetcher) -> Iterator[RawDoc | Rejection]:
    """What ``iter_url`` yields for a response already fetched (``fetcher`` fetches feed links)."""
    url = page.url
    kind, name = _sniffed(page)
    if _feedlike(kind, page.content_type):
        follow = fetcher if settings.fetch_feed_links else None
        yield from iter_feed(page.body, url, settings, fetcher=follow, base_url=page.final_url)
    elif kind in ("html", "text"):
        yield _page_item(page, _page_kind(kind, page.content_type), settings)
    else:
        stream = io.BytesIO(page.body)
        yield from iter_stream(stream, url, settings, size=len(page.body), name=name, fetcher=fetcher)


def _page_kind(sniffed: str, content_type: str) -> RawKind:
    """``html`` when the body looks like HTML or the server says it is; else ``text``."""
    return "html" if sniffed == "html" or "html" in content_type else "text"


def _page_item(page: Fetched, kind: RawKind, settings: Settings) -> RawDoc | Rejection:
    if len(page.body) > settings.max_item_bytes:
        detail = f"{page.url}: page over max_item_bytes={settings.max_item_bytes}"
        return Rejection(page.url, "read", "too_large", detail)
    return RawDoc(page.url, kind, page.body, url=page.final_url, hints=page.hints())
