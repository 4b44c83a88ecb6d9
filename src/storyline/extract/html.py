"""HTML pages: main text and metadata with trafilatura, publication date with htmldate.

trafilatura runs htmldate itself while it reads the metadata; we hand it htmldate's options
(``extensive_search=True, original_date=True`` and a full-timestamp output format) through
``date_extraction_params`` instead of calling ``htmldate.find_date`` a second time on the same tree.
The extensive search (htmldate's own default) reads dates printed only in the page's text; without
it pages dated only in a byline ("publié le 4 octobre 2021") got no date at all. A copyright-year
guess is dropped for a URL or byline date (``page_dates``), or for none.

trafilatura runs in ``fast`` mode first (no readability/jusText fallbacks: about half the time on
pages heavy with menus and teasers); only when that finds less than ``RETRY_BELOW_CHARS`` of text is
the page read again with the full cascade, so short or unusual pages keep trafilatura's best recall.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from storyline.errors import Rejected
from storyline.extract.bylines import find_byline_agency
from storyline.extract.datelines import locate_dateline, parse_dateline
from storyline.extract.dates import parse_page_date
from storyline.extract.draft import Draft
from storyline.extract.encoding import repair_text
from storyline.extract.page_dates import byline_date, is_copyright_guess, url_date
from storyline.extract.titles import lead_title, looks_like_headline, same_words
from storyline.model import Precision

LOGGER = logging.getLogger(__name__)

PAGE_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
RETRY_BELOW_CHARS = 500
"""Main text shorter than this from trafilatura's fast mode is re-extracted with its full cascade."""
_DATE_PARAMS: dict[str, Any] = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": PAGE_DATE_FORMAT,
}


_DOCUMENT = re.compile(r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype|<html|<head|<body)", re.I | re.S)


def parse_html(html: str, url: str | None, title_hint: str = "") -> Draft:
    """Main text, title, canonical URL, site name and date of an HTML page.

    Raises ``Rejected("extract", "no_text")`` when trafilatura finds no main text and
    ``Rejected("extract", "extractor_failed")`` when it fails.
    """
    if not _DOCUMENT.match(html):  # a fragment (a feed entry's content): trafilatura wants a page
        html = f"<html><body><article>{html}</article></body></html>"
    document = _run_trafilatura(html, url, fast=True)
    if len(_field(document, "text") or "") < RETRY_BELOW_CHARS:
        fuller = _run_trafilatura(html, url, fast=False)
        if len(_field(fuller, "text") or "") > len(_field(document, "text") or ""):
            document = fuller
    if document is None:
        raise Rejected("extract", "no_text", "trafilatura found no main text in the page")
    text = repair_text(_field(document, "text") or "").strip()
    title = " ".join(repair_text(_field(document, "title") or "").split())
    published = _page_date(_field(document, "date"), html, url)
    text, title = _drop_headline(text, title, title_hint)
    dateline = locate_dateline(text)
    if not title:
        title = lead_title(text, dateline.end if dateline is not None else 0)
    return Draft(
        text=text,
        title=title,
        url=_page_url(_field(document, "url"), url),
        sitename=_field(document, "sitename"),
        agency=(dateline.agency if dateline is not None else None) or find_byline_agency(text),
        place=dateline.place if dateline is not None else None,
        published_at=published[0] if published else None,
        precision=published[1] if published else None,
        dateline=dateline,
    )


def _run_trafilatura(html: str, url: str | None, *, fast: bool) -> Any:
    from trafilatura import bare_extraction  # imported here: about 0.5 s, paid only when HTML arrives

    try:
        return bare_extraction(
            html,
            url=url,
            fast=fast,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as e:  # trafilatura and lxml raise many types on odd markup
        raise Rejected("extract", "extractor_failed", f"trafilatura failed: {type(e).__name__}: {e}") from e


def _page_date(found: str | None, html: str, url: str | None) -> tuple[datetime, Precision] | None:
    """htmldate's date, unless it is only a copyright-year guess; else a URL or byline date."""
    if found and not is_copyright_guess(found, html):
        parsed = parse_page_date(found)
        if parsed is not None:
            return parsed
    fallback = url_date(url) or byline_date(html, datetime.now(UTC))
    return (fallback, "day") if fallback is not None else None


def _drop_headline(text: str, title: str, title_hint: str) -> tuple[str, str]:
    """Remove the page headline that trafilatura keeps as the first line of the main text.

    The line goes when it reads like the page title (or the hinted one), or like its start
    (``<h1>`` vs ``Headline | Site``, then the ``<h1>`` is the better title), or when it is a
    short headline-like line right above a dateline.
    """
    line, newline, rest = text.partition("\n")
    if not newline:
        return text, title
    line = " ".join(line.split())
    if same_words(line, title) or same_words(line, title_hint):
        return rest.lstrip(), title
    if looks_like_headline(line) and (
        _starts_with_words(title, line) or parse_dateline(rest.lstrip()) is not None
    ):
        return rest.lstrip(), line
    return text, title


def _starts_with_words(title: str, line: str) -> bool:
    title, line = title.casefold(), line.casefold()
    return len(line) >= 10 and title.startswith(line) and not title[len(line) : len(line) + 1].isalnum()


def _field(document: Any, name: str) -> str | None:
    value = getattr(document, name, None)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _page_url(found: str | None, given: str | None) -> str | None:
    """The page's own (canonical) URL made absolute against the given one; else the given one."""
    if not found:
        return given
    absolute = urljoin(given, found) if given else found
    return absolute if absolute.lower().startswith(("http://", "https://")) else given
