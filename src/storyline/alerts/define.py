"""A watchlist from what a person typed: the rules ``storyline watch add`` and the web forms share.

``WatchlistInput(name, entities, keywords, example, threshold, webhook_url).checked()`` cleans the
fields (terms trimmed, blanks and repeats dropped) or raises ``InvalidWatchlist`` naming the field;
``.watchlist(embedder, ...)`` then builds the stored value (the example's embedder row made here).
Editing passes the stored watchlist as ``previous``: its id, creation time and last visit are kept
(so its feed URL and alerts stay), and its example row when the example text did not change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from storyline.alerts.engine import example_row
from storyline.alerts.match import fold
from storyline.embed import Embedder
from storyline.errors import InputError
from storyline.model import Watchlist, watchlist_id

__all__ = ["MAX_NAME_CHARS", "MAX_TERMS", "MAX_TERM_CHARS", "InvalidWatchlist", "WatchlistInput"]

MAX_NAME_CHARS = 200
MAX_TERMS = 100
"""Entity names or keywords per watchlist."""
MAX_TERM_CHARS = 200


class InvalidWatchlist(InputError):
    """A watchlist field a person typed cannot be used; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _terms(field: str, values: Iterable[str]) -> tuple[str, ...]:
    """``values`` trimmed, without blanks and repeats (case-folded), in their order."""
    kept: dict[str, str] = {}
    for value in values:
        term = " ".join(value.split())
        if not term:
            continue
        if len(term) > MAX_TERM_CHARS:
            raise InvalidWatchlist(field, f"{term[:40]!r}…: at most {MAX_TERM_CHARS} characters a term")
        if not fold(term):
            raise InvalidWatchlist(field, f"{term!r} has no letter or digit: it would match nothing")
        kept.setdefault(fold(term), term)
    if len(kept) > MAX_TERMS:
        raise InvalidWatchlist(field, f"at most {MAX_TERMS} terms")
    return tuple(kept.values())


def _webhook(url: str | None) -> str | None:
    """``url`` trimmed when it is an absolute http(s) URL; None when blank."""
    if url is None or not url.strip():
        return None
    cleaned = url.strip()
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname
    except ValueError:
        host = None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not host
        or any(c.isspace() or not c.isprintable() for c in cleaned)
    ):
        raise InvalidWatchlist("webhook", f"expected an http(s) URL, got {cleaned[:80]!r}")
    return cleaned


@dataclass(frozen=True, slots=True)
class WatchlistInput:
    """The fields of ``storyline watch add`` (and of the web form), as given."""

    name: str
    entities: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    example: str = ""
    threshold: float = 0.5
    webhook_url: str | None = None

    @property
    def id(self) -> str:
        return watchlist_id(self.name)

    def checked(self) -> WatchlistInput:
        """The fields cleaned, or ``InvalidWatchlist``: a name (at most ``MAX_NAME_CHARS``), at least
        one entity, keyword or example text, a threshold in [0, 1], a webhook that is an http(s) URL."""
        name = self.name.strip()
        if not name:
            raise InvalidWatchlist("name", "a watchlist needs a name")
        if len(name) > MAX_NAME_CHARS:
            raise InvalidWatchlist("name", f"at most {MAX_NAME_CHARS} characters")
        entities = _terms("entities", self.entities)
        keywords = _terms("keywords", self.keywords)
        example = self.example.strip()
        if not (entities or keywords or example):
            raise InvalidWatchlist("query", "give at least one entity, keyword or example text")
        threshold = float(self.threshold)
        if not 0.0 <= threshold <= 1.0:  # NaN fails too
            raise InvalidWatchlist("threshold", f"the threshold is a cosine in [0, 1], not {self.threshold}")
        webhook = _webhook(self.webhook_url)
        return WatchlistInput(name, entities, keywords, example, threshold, webhook)

    def watchlist(
        self,
        embedder: Embedder,
        *,
        webhook_secret: str | None = None,
        previous: Watchlist | None = None,
    ) -> Watchlist:
        """The watchlist to store (``checked()`` first). ``webhook_secret`` is a reference
        (``alerts.secrets``), never a key; ``previous``: the stored one this edits."""
        given = self.checked()
        if previous is not None and given.id != previous.id:
            raise InvalidWatchlist("name", "the name makes the watchlist's id: add a new watchlist to rename")
        if webhook_secret and given.webhook_url is None:
            raise InvalidWatchlist("webhook", "a signing key signs webhook bodies: give a webhook URL too")
        vector = None
        if given.example:
            same = previous is not None and previous.example.strip() == given.example
            vector = previous.example_vector if same and previous is not None else None
            vector = vector or example_row(embedder, given.example)
        made = Watchlist(
            given.id,
            given.name,
            given.entities,
            given.keywords,
            given.example,
            given.threshold,
            given.webhook_url,
            webhook_secret,
            vector,
        )
        if previous is not None:
            made = dataclasses.replace(
                made, created_at=previous.created_at, last_visit_at=previous.last_visit_at
            )
        return made
