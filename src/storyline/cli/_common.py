"""What every ``storyline`` command shares: the context, error handling, output, option sets."""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar, cast

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyline.embed import Embedder, embedder_for
from storyline.errors import StorylineError
from storyline.settings import Settings
from storyline.shapes import FORMATS, encode_rows
from storyline.store import ArticleFilter, open_reader, open_store, open_writer
from storyline.store.opening import Writer
from storyline.store.sqlite import SqliteStore

F = TypeVar("F", bound=Callable[..., Any])
OUT = Console(soft_wrap=True)
ERR = Console(stderr=True)
EXIT_INTERNAL = 3


class Context:
    """What every command gets: the settings and the store, opened for reading or for writing.

    - ``store``: for reading. Exits 2 (``StoreMissing``) when there is no database at ``--db``, and
      creates nothing; the writer's store when this command has already opened one.
    - ``writer``: for writing (``ingest``, ``rebuild``, ``watch add|rm``, ``alerts --refresh``...).
      Creates and migrates the store and holds its writer lock (``storyline.store.lock``) until the
      command ends; a second writer waits ``lock_timeout_s`` and then exits 2 naming the holder.
    - ``unlocked_store``: writable but without the lock, for ``serve`` (the web server writes only in
      ``POST /api/v1/ingest``, which takes the lock for each request) and for writes that touch no
      state a writer keeps in memory (``digest``: a visit mark, cached sentence rows). Exits 2 too
      when there is no store.
    """

    def __init__(self, settings: Settings, *, quiet: bool = False, verbose: int = 0) -> None:
        self.settings = settings
        self.quiet = quiet
        self.verbose = verbose
        self._store: SqliteStore | None = None
        self._writer: Writer | None = None

    # Every store is opened through ``storyline.store.open_*``: ``store_url`` (or ``--db
    # postgresql://...``) selects PostgreSQL, else the SQLite file ``db``. The type says SqliteStore,
    # whose methods PostgresStore implements too (the contract suites run over both).

    @property
    def store(self) -> SqliteStore:
        if self._writer is not None:
            store: SqliteStore = self._writer.store
            return store
        if self._store is None:
            self._store = open_reader(self.settings)
        return self._store

    @property
    def writer(self) -> SqliteStore:
        if self._writer is None:
            self._writer = open_writer(self.settings)
        store: SqliteStore = self._writer.store
        return store

    @property
    def embedder(self) -> Embedder:
        """The embedder ``settings.embedder`` names (built once per process; its model loads on first use)."""
        return embedder_for(self.settings.embedder)

    @property
    def unlocked_store(self) -> SqliteStore:
        if self._store is None:
            open_reader(self.settings).close()  # exists, migrated
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        store, writer = self._store, self._writer
        self._store = self._writer = None
        if store is not None:
            store.close()
        if writer is not None:
            writer.close()


def _verbose() -> bool:
    """Whether ``-v`` was given (read from the root command's parameters)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("verbose"))


def report_crash(e: BaseException, *, verbose: bool | None = None) -> NoReturn:
    """An unexpected exception: one line on stderr (the traceback with ``-v``), exit 3."""
    verbose = _verbose() if verbose is None else verbose
    if verbose:
        traceback.print_exception(e, file=sys.stderr)
    message = " ".join(str(e).split()) or "(no message)"
    hint = "" if verbose else " (run with -v for the traceback)"
    click.echo(f"error: {type(e).__name__}: {message}{hint}", err=True)
    sys.exit(EXIT_INTERNAL)


def handle_errors(fn: F) -> F:
    """Turn errors into one line on stderr and the exit code of ``storyline.cli``'s docstring:
    Storyline's own errors their ``exit_code``, anything unexpected 3."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except StorylineError as e:
            ERR.print(f"[red]error:[/red] {escape(str(e))}", highlight=False, markup=True)
            sys.exit(e.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as e:
            report_crash(e)

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


def emit_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    """A listing's JSON shapes as ``fmt`` (``json``, ``ndjson``, ``csv``, ``tsv``) on stdout.

    The encoder is the web's (``shapes.encode_rows``, behind ``?format=``), so a CSV from the CLI and
    one from the API have the same columns, the same cells and the same formula guard."""
    if fmt == "json":
        emit_json(rows)
        return
    for piece in encode_rows(rows, fmt):
        click.echo(piece, nl=False)


def listing_options(fn: F) -> F:
    """``--format`` (or ``--json``), ``--limit`` and ``--offset`` for every listing.

    The command gets ``fmt``: ``table`` or one of ``shapes.FORMATS``. ``--json`` means ``--format
    json``; ``--json`` with another ``--format`` is a usage error (exit 2)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, as_json: bool, fmt: str | None, **kwargs: Any) -> Any:
        if as_json and fmt not in (None, "json"):
            raise click.UsageError(f"--json means --format json; it cannot go with --format {fmt}")
        return fn(*args, fmt="json" if as_json else (fmt or "table"), **kwargs)

    out: Any = click.option(
        "--offset", default=0, show_default=True, type=click.IntRange(0), help="skip N rows"
    )(wrapper)
    out = click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))(out)
    out = click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", *FORMATS]),
        default=None,
        help="table (default), json (one array), ndjson (one object a line), csv or tsv (a header row)",
    )(out)
    out = click.option("--json", "as_json", is_flag=True, help="print one JSON array (= --format json)")(out)
    return cast(F, out)


def filter_options(fn: F) -> F:
    """Article filters shared by ``articles`` and ``search``."""
    fn = click.option("--since", help="published on or after (ISO date)")(fn)
    fn = click.option("--until", help="published before (ISO date)")(fn)
    fn = click.option("--source", help="outlet, e.g. afp.com")(fn)
    fn = click.option("--language", help="ISO 639-1 code, e.g. en")(fn)
    fn = click.option("--agency", help="wire agency, e.g. AFP")(fn)
    fn = click.option("--entity", help="an entity id: articles that mention it")(fn)
    return click.option("--no-duplicates", is_flag=True, help="hide near-copies")(fn)


def filters_from(kw: dict[str, Any]) -> ArticleFilter:
    return ArticleFilter(
        since=parse_when(kw.pop("since")),
        until=parse_when(kw.pop("until")),
        source=kw.pop("source"),
        language=kw.pop("language"),
        agency=kw.pop("agency"),
        include_duplicates=not kw.pop("no_duplicates"),
        entity=kw.pop("entity", None),
    )
