"""Reading the labelled JSONL files of ``../shared/data`` (one object per line, blank lines skipped)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from storyline.errors import InputError

T = TypeVar("T")


def read_records(path: Path, parse: Callable[[Any], T], *, expected: str) -> Iterator[T]:
    """``parse(obj)`` for each line of ``path``; a bad line is an ``InputError`` naming file and line.

    ``expected`` completes the message: ``f"{path}:{line}: expected {expected} (...)"``.
    """
    try:
        lines = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e}") from e
    with lines:
        for line_no, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = parse(json.loads(line))
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(f"{path}:{line_no}: expected {expected} ({type(e).__name__}: {e})") from e
            yield record
