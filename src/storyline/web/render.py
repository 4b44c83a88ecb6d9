"""Jinja2 templates with autoescape on everywhere, and the filters the pages use.

Values reach the reader in words, never as the store's codes (``plain.py``: ``timex``, ``figure``,
``entity_type``, ``quote_kind``...). No filter marks untrusted text safe: ``highlight`` escapes a search
snippet first and only then turns its ``[`` ``]`` match marks into ``<mark>``; charts escape their
labels themselves (``charts.py``).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.outbound import redact_url
from storyline.web import plain
from storyline.web.security import safe_url

LOGGER = logging.getLogger(__name__)

_MARKED = re.compile(r"\[([^\[\]]*)\]")


def highlight(snippet: str) -> Markup:
    """A search snippet as HTML: escaped, then each ``[match]`` wrapped in ``<mark>``."""
    escaped = str(escape(snippet))
    return Markup(_MARKED.sub(r"<mark>\1</mark>", escaped))


def when(moment: datetime | None, precision: str | None = "time") -> str:
    """``17 Feb 2021 10:30 UTC`` (or the day only), empty for None."""
    if moment is None:
        return ""
    if precision == "day" or (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return f"{moment.day} {moment:%b %Y}"
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


def when_iso(value: str | None, precision: str | None = "time") -> str:
    """``when`` of an ISO 8601 string from a JSON shape (``2021-02-17T10:30:00+00:00`` -> ``17 Feb 2021
    10:30 UTC``); empty for None, the string as it is when it does not parse.

    >>> when_iso("2021-02-17T10:30:00+00:00"), when_iso("2021-02-17", "day"), when_iso(None)
    ('17 Feb 2021 10:30 UTC', '17 Feb 2021', '')
    """
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return when(moment, precision)


def day(moment: datetime | None) -> str:
    """``2021-02-17``, empty for None."""
    return moment.date().isoformat() if moment else ""


def path_id(value: str) -> str:
    """An id quoted for use as one path segment."""
    return quote(value, safe="")


def with_query(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path?params`` with ``changes`` applied; None or empty values are dropped."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def make_environment() -> Environment:
    """The template environment: autoescape for every template, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("storyline.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        highlight=highlight, when=when, when_iso=when_iso, day=day, path_id=path_id, safe_url=safe_url,
        timex=plain.timex_words, figure=plain.figure_words, entity_type=plain.entity_type_words,
        quote_kind=plain.quote_kind_words, new_reasons=plain.new_reason_words,
        alert_reason=plain.alert_reason_words, interval=plain.interval_words,
        month_day=plain.month_day_words, redact=redact_url,
    )  # fmt: skip
    env.globals.update(with_query=with_query)
    return env


class Pages:
    """Renders templates into responses."""

    def __init__(self) -> None:
        self.env = make_environment()

    def __repr__(self) -> str:
        return "Pages()"

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, status: int, error: str, errors: list[dict[str, Any]]) -> HTMLResponse:
        """The error page (used by the exception handlers for every non-API path)."""
        return self.render(request, "error.html", status, title=f"Error {status}", code=status, error=error)
