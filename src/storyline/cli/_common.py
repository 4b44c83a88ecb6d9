"""What every ``storyline`` command shares: the context, error handling, output, option sets."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from storyline.errors import StorylineError
from storyline.settings import Settings
from storyline.store import ArticleFilter
from storyline.store.sqlite import SqliteStore

F = TypeVar("F", bound=Callable[..., Any])
OUT = Console(soft_wrap=True)
ERR = Console(stderr=True)


class Context:
    """What every command gets: the settings and a lazily opened store."""

    def __init__(self, settings: Settings, *, quiet: bool = False) -> None:
        self.settings = settings
        self.quiet = quiet
        self._store: SqliteStore | None = None

    @property
    def store(self) -> SqliteStore:
        if self._store is None:
            self._store = SqliteStore(self.settings.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def handle_errors(fn: F) -> F:
    """Turn Storyline errors into click errors with the right exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except StorylineError as e:
            ERR.print(f"[red]error:[/red] {e}", highlight=False, markup=True)
            sys.exit(e.exit_code)

    return wrapper  # type: ignore[return-value]


_FLEXIBLE = {"title", "snippet", "detail", "origin", "help", "label"}
_MIN_WIDTH = {"id": 16, "published": 10, "at": 19, "place": 10}


def make_table(*columns: str) -> Table:
    """A table whose id column is never cut and whose other columns are cut to one line."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in columns:
        if name in _FLEXIBLE:
            table.add_column(name, no_wrap=name != "snippet", overflow="ellipsis", min_width=20, max_width=60)
        else:
            table.add_column(name, no_wrap=True, min_width=_MIN_WIDTH.get(name, len(name)))
    return table


def emit_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=None))


def parse_when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(f"expected an ISO date like 2021-02-17, got {value!r}") from e
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def listing_options(fn: F) -> F:
    """``--json``, ``--limit`` and ``--offset`` for every listing."""
    fn = click.option("--offset", default=0, show_default=True, type=click.IntRange(0), help="skip N rows")(
        fn
    )
    fn = click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))(fn)
    return click.option("--json", "as_json", is_flag=True, help="print one JSON array")(fn)


def filter_options(fn: F) -> F:
    """Article filters shared by ``articles`` and ``search``."""
    fn = click.option("--since", help="published on or after (ISO date)")(fn)
    fn = click.option("--until", help="published before (ISO date)")(fn)
    fn = click.option("--source", help="outlet, e.g. afp.com")(fn)
    fn = click.option("--language", help="ISO 639-1 code, e.g. en")(fn)
    fn = click.option("--agency", help="wire agency, e.g. AFP")(fn)
    return click.option("--no-duplicates", is_flag=True, help="hide near-copies")(fn)


def filters_from(kw: dict[str, Any]) -> ArticleFilter:
    return ArticleFilter(
        since=parse_when(kw.pop("since")),
        until=parse_when(kw.pop("until")),
        source=kw.pop("source"),
        language=kw.pop("language"),
        agency=kw.pop("agency"),
        include_duplicates=not kw.pop("no_duplicates"),
    )
