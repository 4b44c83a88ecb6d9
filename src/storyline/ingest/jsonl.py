"""JSONL reader: one item per line, a JSON object with a non-empty string ``text`` (and hints)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from storyline.ingest.items import Item, reject
from storyline.ingest.sniff import HEAD_BYTES, decode_legacy, looks_like_html
from storyline.model import RawDoc
from storyline.settings import Settings

_HINT_KEYS = ("title", "published", "source", "language", "id")


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
