"""RSS 0.9x/1.0/2.0 and Atom reader on feedparser.

Each entry becomes one item: its own content (``content``, else ``summary``) as HTML, or, when
``settings.fetch_feed_links`` is on and a ``Fetcher`` is given, the page its link points at.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser
from lxml import etree  # type: ignore[import-untyped]

from storyline.errors import FetchError
from storyline.ingest.fetch import Fetcher
from storyline.model import RawDoc, RawKind, Rejection
from storyline.settings import Settings

LOGGER = logging.getLogger(__name__)


def iter_feed(
    data: bytes,
    origin: str,
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    base_url: str | None = None,
) -> Iterator[RawDoc | Rejection]:
    """Yield one ``RawDoc`` (or ``Rejection``) per entry of the RSS/Atom feed in ``data``.

    ``base_url`` is where the feed came from, for resolving relative links (defaults to ``origin``
    when that is a URL).
    """
    if _too_deep(data):
        detail = f"{origin}: markup nested deeper than {MAX_DEPTH} levels"
        yield Rejection(origin, "read", "too_deep", detail)
        return
    parsed = _parse(data, base_url or origin)
    if parsed is None or (not parsed.entries and (parsed.bozo or not parsed.version)):
        problem = parsed.get("bozo_exception", "no entries") if parsed is not None else "parser failed"
        yield Rejection(origin, "read", "bad_feed", f"{origin}: not a readable RSS/Atom feed: {problem}")
        return
    source = _text(parsed.feed.get("title"))
    LOGGER.debug("feed: %s has %d entries (%s)", origin, len(parsed.entries), parsed.version)
    follow = fetcher if settings.fetch_feed_links else None
    for index, entry in enumerate(parsed.entries, 1):
        entry_origin = f"{origin}#{_text(entry.get('id')) or index}"
        hints = _entry_hints(entry, source)
        link = _text(entry.get("link"))
        if follow is not None and link:
            yield _fetch_entry(follow, link, hints, settings)
        else:
            yield _entry_item(entry, entry_origin, link, hints, settings)


MAX_DEPTH = 256
"""libxml2's own limit without XML_PARSE_HUGE; no real feed comes near it."""


def _too_deep(data: bytes) -> bool:
    """Whether the feed's elements nest past ``MAX_DEPTH``: a nesting bomb that feedparser would
    take a gigabyte and a minute over (2M nested tags in 14 MB). libxml2 stops at the limit at once;
    elements are cleared as they end, so a large feed costs no tree. Other XML errors are left to
    feedparser, whose loose parser reads feeds that are not well-formed."""
    try:
        for _, element in etree.iterparse(
            io.BytesIO(data), events=("end",), resolve_entities=False, no_network=True, huge_tree=False
        ):
            element.clear()
    except etree.XMLSyntaxError as e:
        return "Excessive depth" in str(e)
    return False


def _parse(data: bytes, location: str) -> Any:
    """feedparser's result for ``data`` (never a fetch: it gets a stream), or ``None`` if it failed."""
    headers = {"content-location": location} if location.startswith(("http://", "https://")) else {}
    try:
        return feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as e:  # feedparser promises not to raise; a crash on hostile input is a bad feed
        LOGGER.debug("feed: feedparser failed on %s: %s", location, e)
        return None


def _entry_item(
    entry: Any, origin: str, link: str, hints: dict[str, str], settings: Settings
) -> RawDoc | Rejection:
    """The entry's own content as an item, or why it has none."""
    value, kind = _content(entry)
    if not value:
        why = "no content and no link" if not link else "no content (set fetch_feed_links to fetch its link)"
        return Rejection(origin, "read", "empty_entry", f"{origin}: entry has {why}")
    body = value.encode("utf-8", "replace")
    if len(body) > settings.max_item_bytes:
        detail = f"{origin}: entry content over max_item_bytes={settings.max_item_bytes}"
        return Rejection(origin, "read", "too_large", detail)
    return RawDoc(origin, kind, body, url=link or None, hints=hints)


def _fetch_entry(
    fetcher: Fetcher, link: str, hints: dict[str, str], settings: Settings
) -> RawDoc | Rejection:
    """The page an entry links to, with the entry's metadata as hints."""
    try:
        page = fetcher.fetch(link)
    except FetchError as e:
        return Rejection(link, "fetch", e.reason, e.detail)
    if len(page.body) > settings.max_item_bytes:
        detail = f"{link}: page over max_item_bytes={settings.max_item_bytes}"
        return Rejection(link, "read", "too_large", detail)
    kind: RawKind = "text" if page.content_type == "text/plain" else "html"
    return RawDoc(link, kind, page.body, url=page.final_url, hints={**page.hints(), **hints})


def _content(entry: Any) -> tuple[str, RawKind]:
    """``(content, kind)``: the first content block, else the summary; kind ``text`` for text/plain."""
    for value, detail in _candidates(entry):
        if value.strip():
            return value, "text" if detail.get("type") == "text/plain" else "html"
    return "", "html"


def _candidates(entry: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for block in entry.get("content") or ():
        yield _text(block.get("value")), block
    yield _text(entry.get("summary")), entry.get("summary_detail") or {}


def _entry_hints(entry: Any, source: str) -> dict[str, str]:
    """Title, published (ISO 8601 UTC), source and id of an entry, only those present."""
    hints = {
        "title": _text(entry.get("title")),
        "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        "source": source,
        "id": _text(entry.get("id")),
    }
    return {key: value for key, value in hints.items() if value}


def _iso(parsed: time.struct_time | None) -> str:
    """feedparser's UTC ``struct_time`` as ISO 8601, or ``""``."""
    if not parsed:
        return ""
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return ""


def _text(value: object) -> str:
    """A feed field as a stripped string that is valid UTF-8 (``""`` when missing)."""
    return value.strip().encode("utf-8", "replace").decode("utf-8") if isinstance(value, str) else ""
