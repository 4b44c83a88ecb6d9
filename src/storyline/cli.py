"""The ``storyline`` command.

Exit codes: 0 when everything was stored (duplicates included), 1 when some items were rejected or
a run failed (see ``storyline rejections``), 2 for usage or configuration errors.
stdout carries data only (tables, or JSON with ``--json``); progress and logs go to stderr.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline import __version__
from storyline import settings as settings_mod
from storyline.errors import StorylineError
from storyline.settings import Settings
from storyline.shapes import article_json, rejection_json, search_hit_json
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


def _handle_errors(fn: F) -> F:
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


def _table(*columns: str) -> Table:
    """A table whose id column is never cut and whose other columns are cut to one line."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in columns:
        if name in _FLEXIBLE:
            table.add_column(name, no_wrap=name != "snippet", overflow="ellipsis", min_width=20, max_width=60)
        else:
            table.add_column(name, no_wrap=True, min_width=_MIN_WIDTH.get(name, len(name)))
    return table


def _emit_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=None))


def _parse_when(value: str | None) -> datetime | None:
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


def _filters(kw: dict[str, Any]) -> ArticleFilter:
    return ArticleFilter(
        since=_parse_when(kw.pop("since")),
        until=_parse_when(kw.pop("until")),
        source=kw.pop("source"),
        language=kw.pop("language"),
        agency=kw.pop("agency"),
        include_duplicates=not kw.pop("no_duplicates"),
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
@click.option("--db", envvar="STORYLINE_DB", help="SQLite store (default ./storyline.db)")
@click.option("--config", type=click.Path(path_type=Path), help="settings file (default ./storyline.toml)")
@click.option("--set", "overrides", nargs=2, multiple=True, metavar="NAME VALUE", help="override a setting")
@click.option("-v", "--verbose", count=True, help="more log output on stderr (-vv for debug)")
@click.option("-q", "--quiet", is_flag=True, help="no progress or logs on stderr")
@click.pass_context
@_handle_errors
def cli(
    ctx: click.Context,
    db: str | None,
    config: Path | None,
    overrides: tuple[tuple[str, str], ...],
    verbose: int,
    quiet: bool,
) -> None:
    """Storyline: follow news stories across outlets, languages and months."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    settings = settings_mod.load(config, overrides=list(overrides))
    if db:
        settings = settings.replace(db=db)
    ctx.obj = Context(settings, quiet=quiet)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="print the run's counts as one JSON object")
@click.pass_obj
@_handle_errors
def ingest(obj: Context, inputs: tuple[str, ...], as_json: bool) -> None:
    """Read files, directories, feeds, WARC archives, URLs or - (stdin) into the store."""
    from storyline.ingest import iter_inputs
    from storyline.pipeline import Components, RunStats, run

    store = obj.store
    components = Components.for_store(obj.settings, store)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=ERR,
        disable=obj.quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=None)

        def show(stats: RunStats) -> None:
            progress.update(task, description=stats.summary())

        stats = run(iter_inputs(inputs, obj.settings), components, store, on_progress=show)
    if as_json:
        _emit_json(stats.as_dict())
    else:
        click.echo(stats.summary())
    if stats.rejected:
        if not as_json:
            ERR.print("some inputs were rejected: see `storyline rejections`", highlight=False)
        sys.exit(1)


@cli.command()
@filter_options
@listing_options
@click.pass_obj
@_handle_errors
def articles(obj: Context, /, as_json: bool, limit: int, offset: int, **kw: Any) -> None:
    """List stored articles, newest first."""
    rows = obj.store.list_articles(_filters(kw), limit=limit, offset=offset)
    if as_json:
        _emit_json([article_json(a) for a in rows])
        return
    table = _table("id", "published", "agency", "place", "lang", "title", "dup of")
    for a in rows:
        table.add_row(
            a.id,
            a.published_at.date().isoformat() if a.published_at else "",
            a.agency or "",
            a.place or "",
            a.language or "",
            a.title[:80],
            a.duplicate_of or "",
        )
    OUT.print(table)


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@_handle_errors
def show(obj: Context, article_id: str, as_json: bool) -> None:
    """Show one article with its text."""
    article = obj.store.get_article(article_id)
    if article is None:
        raise click.ClickException(f"no article {article_id!r}; list ids with `storyline articles`")
    shape = article_json(article, with_text=True)
    shape["duplicates"] = [d.id for d in obj.store.duplicates_of(article.id)]
    if as_json:
        _emit_json(shape)
        return
    for key, value in shape.items():
        if key != "text":
            OUT.print(f"[bold]{key}[/bold]: {value}", highlight=False, markup=True)
    OUT.print()
    OUT.print(article.text, markup=False, highlight=False)


@cli.command()
@click.argument("query")
@filter_options
@listing_options
@click.pass_obj
@_handle_errors
def search(obj: Context, /, query: str, as_json: bool, limit: int, offset: int, **kw: Any) -> None:
    """Full-text search (ranked, with snippets). Words are ANDed; use "quotes" for phrases, OR, prefix*."""
    hits = obj.store.search(query, _filters(kw), limit=limit, offset=offset)
    if as_json:
        _emit_json([search_hit_json(h) for h in hits])
        return
    table = _table("id", "title", "snippet")
    for h in hits:
        table.add_row(h.article.id, h.article.title, h.snippet)
    OUT.print(table)


@cli.command()
@listing_options
@click.pass_obj
@_handle_errors
def rejections(obj: Context, as_json: bool, limit: int, offset: int) -> None:
    """List refused inputs with the stage and reason."""
    rows = obj.store.list_rejections(limit=limit, offset=offset)
    if as_json:
        _emit_json([rejection_json(r) for r in rows])
        return
    table = _table("at", "stage", "reason", "origin", "detail")
    for r in rows:
        table.add_row(r.at.isoformat(timespec="seconds"), r.stage, r.reason, r.origin, r.detail[:100])
    OUT.print(table)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@_handle_errors
def stats(obj: Context, as_json: bool) -> None:
    """Counts of what the store holds."""
    data = obj.store.stats()
    if as_json:
        _emit_json(data)
        return
    for key, value in data.items():
        OUT.print(f"[bold]{key}[/bold]: {value}", highlight=False, markup=True)


@cli.command("settings")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
def show_settings(obj: Context, as_json: bool) -> None:
    """Show the effective settings and where each can be set."""
    current = {name: getattr(obj.settings, name) for name, *_ in settings_mod.describe()}
    if as_json:
        _emit_json(current)
        return
    table = _table("name", "value", "help")
    for name, _kind, _default, help_text in settings_mod.describe():
        table.add_row(name, str(current[name]), help_text)
    OUT.print(table)


def main() -> None:
    """Console entry point."""
    cli(prog_name="storyline")
