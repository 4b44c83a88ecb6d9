"""Query parameters shared by the API and the pages, validated with clear 422 errors.

Dates are ISO 8601 (``2021-02-17`` or ``2021-02-17T10:00:00+01:00``; no zone means UTC), as in the
CLI. An empty parameter (``?source=``, as HTML forms send) counts as absent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Query

from storyline.store import ArticleFilter
from storyline.web.errors import param_error

LOGGER = logging.getLogger(__name__)

MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000
MAX_QUERY_CHARS = 500
PAGE_SIZE = 25

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows to return (1-1000)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
Page = Annotated[int, Query(ge=1, le=MAX_OFFSET // PAGE_SIZE, description="page number, from 1")]
Since = Annotated[str | None, Query(max_length=40, description="published on or after (ISO 8601 date)")]
Until = Annotated[str | None, Query(max_length=40, description="published before (ISO 8601 date)")]
Source = Annotated[str | None, Query(max_length=200, description="outlet, e.g. afp.com")]
Language = Annotated[str | None, Query(max_length=20, description="ISO 639-1 code, e.g. en")]
Agency = Annotated[str | None, Query(max_length=100, description="wire agency, e.g. AFP")]
EntityId = Annotated[str | None, Query(max_length=200, description="an entity id: articles mentioning it")]
Visit = Annotated[
    str | None, Query(max_length=40, description="your last visit (ISO 8601): count what is new since")
]
Format = Annotated[
    Literal["json", "ndjson", "csv", "tsv"],
    Query(description="json (one array, the default), ndjson, csv or tsv (streamed)"),
]
SearchText = Annotated[
    str, Query(max_length=MAX_QUERY_CHARS, description='words (ANDed), "phrases", OR, prefix*')
]


def blank_to_none(value: str | None) -> str | None:
    """``None`` for a missing or blank parameter, else the value stripped."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def parse_when(name: str, value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime as tz-aware UTC; a 422 naming ``name`` when it is not one."""
    value = blank_to_none(value)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError) as e:
        raise param_error(name, f"expected an ISO 8601 date like 2021-02-17, got {value!r}", value) from e
    return moment


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters of a listing as given (for forms and links) and as parsed."""

    since: str | None = None
    until: str | None = None
    source: str | None = None
    language: str | None = None
    agency: str | None = None
    include_duplicates: bool = True
    entity: str | None = None

    def article_filter(self) -> ArticleFilter:
        return ArticleFilter(
            since=parse_when("since", self.since),
            until=parse_when("until", self.until),
            source=self.source,
            language=self.language,
            agency=self.agency,
            include_duplicates=self.include_duplicates,
            entity=self.entity,
        )

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for pagination links)."""
        values = {
            "since": self.since,
            "until": self.until,
            "source": self.source,
            "language": self.language,
            "agency": self.agency,
            "entity": self.entity,
        }
        query = {k: v for k, v in values.items() if v}
        if not self.include_duplicates:
            query["include_duplicates"] = "false"
        return query


async def article_filters(
    since: Since = None,
    until: Until = None,
    source: Source = None,
    language: Language = None,
    agency: Agency = None,
    include_duplicates: Annotated[bool, Query(description="false: originals only")] = True,
    entity: EntityId = None,
) -> Filters:
    """FastAPI dependency: the article filters of the CLI (``--since --until --source --language
    --agency --no-duplicates``), checked."""
    filters = Filters(
        since=blank_to_none(since),
        until=blank_to_none(until),
        source=blank_to_none(source),
        language=blank_to_none(language),
        agency=blank_to_none(agency),
        include_duplicates=include_duplicates,
        entity=blank_to_none(entity),
    )
    filters.article_filter()  # raises the 422 now, before any work
    return filters
