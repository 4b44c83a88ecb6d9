"""Readers: turn inputs (paths, directories, stdin, URLs) into ``RawDoc`` items or ``Rejection``s.

Readers never decode article bodies and never raise on bad input; every refused item is a
``Rejection`` with stage ``read`` (or ``fetch``) and a short stable ``reason``:

- read: ``not_found``, ``unreadable``, ``unsupported_url``, ``unsupported_file``, ``empty``,
  ``binary``, ``unknown_format``, ``too_large``, ``truncated``, ``corrupt``, ``bad_json``,
  ``not_object``, ``missing_text``, ``bad_encoding``, ``bad_feed``, ``too_deep`` (a feed nested past
  256 levels), ``empty_entry``,
  ``http_status`` and ``not_html`` (WARC responses), ``header_too_large`` and ``too_slow`` (WARC/ARC
  records past the caps of ``warc_guard.py``)
- fetch: ``timeout``, ``network``, ``http_status``, ``too_large``, ``unsupported_url``,
  ``blocked_address`` (the outbound guard refused a private or loopback address)
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import httpx

from storyline.ingest.dispatch import is_feed, iter_fetched, iter_stream, iter_url
from storyline.ingest.feeds import iter_feed
from storyline.ingest.fetch import Fetched, Fetcher, HttpStatusError
from storyline.ingest.files import iter_path
from storyline.ingest.items import reject
from storyline.ingest.jsonl import jsonl_item
from storyline.ingest.sniff import looks_like_html
from storyline.ingest.warc import iter_warc
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

__all__ = [
    "STDIN_ORIGIN",
    "Fetched",
    "Fetcher",
    "HttpStatusError",
    "is_feed",
    "iter_feed",
    "iter_fetched",
    "iter_inputs",
    "iter_path",
    "iter_stream",
    "iter_url",
    "iter_warc",
    "jsonl_item",
    "looks_like_html",
]

LOGGER = logging.getLogger(__name__)

STDIN_ORIGIN = "<stdin>"
_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]+):")


def iter_inputs(
    inputs: Sequence[str],
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDoc | Rejection]:
    """Yield the items of every input in order: ``-`` (stdin), an http(s) URL, a file or a directory."""
    with Fetcher(settings=settings, transport=transport) as fetcher:
        for given in inputs:
            n_docs = n_rejected = 0
            for item in _iter_one(given, settings, fetcher, stdin):
                if isinstance(item, RawDoc):
                    n_docs += 1
                else:
                    n_rejected += 1
                yield item
            LOGGER.info("read: %s -> %d items, %d rejected", given, n_docs, n_rejected)


def _iter_one(
    given: str, settings: Settings, fetcher: Fetcher, stdin: BinaryIO | None
) -> Iterator[RawDoc | Rejection]:
    if given == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from iter_stream(stream, STDIN_ORIGIN, settings, fetcher=fetcher)
        return
    match = _SCHEME.match(given)
    scheme = match.group(1).lower() if match else ""
    if scheme in ("http", "https"):
        yield from iter_url(given, settings, fetcher)
    elif scheme and not os.path.lexists(given):
        detail = f"{given}: unsupported URL scheme {scheme!r}; give an http(s) URL or a path"
        yield reject(given, "unsupported_url", detail)
    else:
        yield from iter_path(Path(given), given, settings, fetcher=fetcher)
