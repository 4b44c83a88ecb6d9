"""The JSON shapes shared by the CLI (``--json``) and the HTTP API (DESIGN.md section 6b)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storyline.model import Article, Rejection
from storyline.store import SearchHit


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, or None."""
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def article_json(article: Article, *, with_text: bool = False, story_id: str | None = None) -> dict[str, Any]:
    """An article as listed (``with_text`` for ``show`` and detail views)."""
    shape: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "agency": article.agency,
        "place": article.place,
        "language": article.language,
        "published_at": iso(article.published_at),
        "published_precision": article.published_precision,
        "duplicate_of": article.duplicate_of,
        "story_id": story_id,
        "origin": article.origin,
    }
    if with_text:
        shape["text"] = article.text
    return shape


def rejection_json(rejection: Rejection) -> dict[str, Any]:
    return {
        "origin": rejection.origin,
        "stage": rejection.stage,
        "reason": rejection.reason,
        "detail": rejection.detail,
        "at": iso(rejection.at),
    }


def search_hit_json(hit: SearchHit) -> dict[str, Any]:
    return {**article_json(hit.article), "snippet": hit.snippet, "rank": round(hit.rank, 4)}
