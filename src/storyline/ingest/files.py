"""File readers: paths and directories, each file classified by content sniffing.

A file is text, HTML, JSONL, a WARC, an RSS/Atom feed, or any of those gzipped: ``dispatch`` picks
the reader of what it holds. Nothing here raises on bad input: it becomes a ``Rejection``.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.dispatch import iter_stream
from storyline.ingest.fetch import Fetcher
from storyline.ingest.items import Item, reject
from storyline.settings import Settings

LOGGER = logging.getLogger(__name__)

_Seen = set[tuple[int, int]]


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
