"""``extract_article``: RawDoc -> Article, the one entry point of the extraction stage.

1. refuse oversized items, decode the bytes (``encoding``);
2. read the item by kind: plain text (``text``: header, headline, dateline) or HTML (``html``:
   trafilatura + htmldate, then the dateline of the extracted text);
3. settle each field from the strongest evidence: container hints, then the item's own metadata,
   then the dateline, then bylines;
4. derive url, id and content hash.

Anything that goes wrong becomes ``Rejected(stage="extract", ...)``; nothing else escapes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from storyline.errors import Rejected
from storyline.extract.dates import date_dateline, parse_timestamp
from storyline.extract.draft import Draft
from storyline.extract.encoding import decode_body, decode_bytes
from storyline.extract.html import parse_html
from storyline.extract.text import parse_text
from storyline.extract.urls import canonical_url, url_source
from storyline.model import Article, Precision, RawDoc, fingerprint, normalise_text, stable_id, utc_now
from storyline.settings import Settings

LOGGER = logging.getLogger(__name__)

STAGE = "extract"


def extract_article(raw: RawDoc, settings: Settings) -> Article:
    """The article held by ``raw``, or ``Rejected(stage="extract", reason=...)``.

    Reasons: ``too_large``, ``bad_encoding``, ``no_text``, ``unsupported_kind``, ``extractor_failed``.
    """
    try:
        return _extract(raw, settings)
    except Rejected:
        raise
    except Exception as e:  # the stage contract: one bad item never stops the run
        origin = getattr(raw, "origin", "?")
        LOGGER.warning("extract: unexpected %s on %s", type(e).__name__, origin, exc_info=True)
        raise Rejected(STAGE, "extractor_failed", f"{type(e).__name__}: {str(e)[:200]}") from e


def _extract(raw: RawDoc, settings: Settings) -> Article:
    hints: Mapping[str, str] = raw.hints or {}
    if len(raw.body) > settings.max_item_bytes:
        raise Rejected(
            STAGE, "too_large", f"{len(raw.body)} bytes, more than max_item_bytes={settings.max_item_bytes}"
        )
    if not raw.body.strip():
        raise Rejected(STAGE, "no_text", "the item is empty")
    title_hint = " ".join(_hint(hints, "title").split())
    if raw.kind == "text":
        draft = parse_text(decode_body(raw.body, _hint(hints, "charset") or None), title_hint)
    elif raw.kind == "html":
        draft = parse_html(decode_bytes(raw.body, _hint(hints, "charset") or None), raw.url, title_hint)
    else:
        raise Rejected(STAGE, "unsupported_kind", f"kind {raw.kind!r} is neither 'text' nor 'html'")
    if len(draft.text) < settings.min_text_chars:
        raise Rejected(
            STAGE,
            "no_text",
            f"main text has {len(draft.text)} characters, "
            f"fewer than min_text_chars={settings.min_text_chars}",
        )
    published_at, precision = _not_future(_published(draft, hints), hints)
    url = canonical_url(draft.url) or canonical_url(raw.url)
    source = _hint(hints, "source") or draft.sitename or url_source(url)
    language = _hint(hints, "language").lower() or None
    return Article(
        id=_article_id(url, source, _hint(hints, "id"), draft.text),
        text=draft.text,
        title=title_hint or draft.title,
        url=url,
        source=source,
        agency=draft.agency,
        place=draft.place,
        language=language,
        published_at=published_at,
        published_precision=precision,
        origin=raw.origin,
        raw_id=raw.raw_id,
        content_hash=fingerprint(draft.text),
    )


def _hint(hints: Mapping[str, str], key: str) -> str:
    value = hints.get(key)
    return value.strip() if isinstance(value, str) else ""


def _published(draft: Draft, hints: Mapping[str, str]) -> tuple[datetime | None, Precision | None]:
    """Container hint, else the item's own date (header line, page metadata), else the dateline's."""
    hinted = parse_timestamp(_hint(hints, "published"))
    if hinted is not None:
        return hinted
    if draft.published_at is not None:
        return draft.published_at, draft.precision
    dateline = draft.dateline
    if dateline is None or dateline.month is None or dateline.day is None:
        return None, None
    fetched = parse_timestamp(_hint(hints, "fetched"))
    dated = date_dateline(dateline.month, dateline.day, dateline.year, fetched[0] if fetched else None)
    return (dated, "day") if dated is not None else (None, None)


#: How far past its fetch (or, failing a fetch time, the clock) a publication time may lie.
FUTURE_SLACK = timedelta(days=1)


def _not_future(
    found: tuple[datetime | None, Precision | None], hints: Mapping[str, str]
) -> tuple[datetime | None, Precision | None]:
    """No publication time later than the item was fetched (plus a day of time zones): the stream's
    clock is the latest publication time seen, so one article dated 2099 would age every live story
    past the horizon and every near-copy original past its window at once."""
    published_at, _ = found
    fetched = parse_timestamp(_hint(hints, "fetched"))
    now = fetched[0] if fetched else utc_now()
    if published_at is not None and published_at > now + FUTURE_SLACK:
        return None, None
    return found


def _article_id(url: str | None, source: str | None, hint_id: str, text: str) -> str:
    if url:
        return stable_id("url", url)
    if hint_id:
        return stable_id("id", source or "", hint_id)
    return stable_id("text", source or "", normalise_text(text))
