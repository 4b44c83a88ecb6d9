"""``storyline sources add|list|rm|pause|resume`` and ``storyline follow``: followed feeds and pages.

Sources live in the store; ``follow`` polls the due ones into the same pipeline as ``ingest`` and
delivers watchlist webhooks in the background. SIGTERM or SIGINT lets the current poll finish, then
``follow`` exits 0; started again, it resumes where it stopped (all state is in the store).
"""

from __future__ import annotations

import logging
import signal
from types import FrameType
from urllib.parse import urlsplit

import click

from storyline.cli._common import OUT, Context, emit_json, handle_errors, make_table
from storyline.errors import InputError
from storyline.follow.source import MIN_EVERY_S, format_duration, parse_duration, source_json
from storyline.model import Source, source_id
from storyline.store.sqlite import SqliteStore

LOGGER = logging.getLogger(__name__)


def _every(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        seconds = parse_duration(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e
    if seconds < MIN_EVERY_S:
        raise click.BadParameter(f"at least {MIN_EVERY_S}s between polls, got {value!r}")
    return seconds


def check_url(url: str) -> str:
    """``url`` trimmed, when it is an absolute http(s) URL; a usage error (exit 2) otherwise."""
    cleaned = url.strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError as e:
        raise click.BadParameter(f"not a URL: {url!r}", param_hint="URL") from e
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"expected an http(s) URL, got {url!r}", param_hint="URL")
    if any(ch.isspace() or not ch.isprintable() for ch in cleaned):
        raise click.BadParameter(f"a URL has no spaces or control characters: {url!r}", param_hint="URL")
    return cleaned


def find_source(store: SqliteStore, ref: str) -> Source:
    """The source with id ``ref``, else with URL ``ref``; ``InputError`` when none."""
    found = store.get_source(ref) or store.get_source(source_id(ref))
    if found is None:
        raise InputError(f"no source {ref!r}; see: storyline sources list")
    return found


@click.group()
def sources() -> None:
    """Manage followed sources (feeds and pages polled by `storyline follow`)."""


@sources.command("add")
@click.argument("url")
@click.option("--name", default="", help="a name to show instead of the URL")
@click.option(
    "--every", default="15m", show_default=True, callback=_every, help="poll interval: 30s, 15m, 2h, 1d"
)
@click.option("--fetch-links", is_flag=True, help="fetch each feed entry's page (robots.txt obeyed)")
@click.option("--json", "as_json", is_flag=True, help="print the source as JSON")
@click.pass_obj
@handle_errors
def add(obj: Context, url: str, name: str, every: int, fetch_links: bool, as_json: bool) -> None:
    """Follow URL (adding it again updates its name, interval and --fetch-links, keeping its state)."""
    source = obj.writer.add_source(
        Source.new(check_url(url), name=name, every_s=every, fetch_links=fetch_links)
    )
    if as_json:
        emit_json(source_json(source))
    else:
        click.echo(source.id)


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="print one JSON array")
@click.pass_obj
@handle_errors
def list_(obj: Context, as_json: bool) -> None:
    """List sources with their health: last poll, HTTP status, new items, failures, next due."""
    rows = obj.store.list_sources()
    if as_json:
        emit_json([source_json(s) for s in rows])
        return
    table = make_table(
        "id", "label", "every", "state", "last poll", "status", "new", "fails", "next due", "detail"
    )
    for s in rows:
        table.add_row(
            s.id,
            s.label,
            format_duration(s.every_s),
            "paused" if s.paused else ("failing" if s.consecutive_failures else "ok"),
            s.last_poll_at.isoformat(timespec="seconds") if s.last_poll_at else "never",
            str(s.last_status or ""),
            str(s.last_new_items),
            str(s.consecutive_failures),
            s.next_due_at.isoformat(timespec="seconds") if s.next_due_at else "now",
            s.last_error[:100],
        )
    OUT.print(table, markup=False, highlight=False)


def _change(obj: Context, ref: str, as_json: bool, verb: str) -> None:
    store = obj.writer
    source = find_source(store, ref)
    if verb == "removed":
        store.remove_source(source.id)
    else:
        store.set_source_paused(source.id, verb == "paused")
        source = store.get_source(source.id) or source
    if as_json:
        emit_json({**source_json(source), "done": verb})
    else:
        click.echo(f"{verb} {source.id}")


@sources.command("rm")
@click.argument("ref", metavar="ID|URL")
@click.option("--json", "as_json", is_flag=True, help="print the removed source as JSON")
@click.pass_obj
@handle_errors
def rm(obj: Context, ref: str, as_json: bool) -> None:
    """Stop following a source (its articles stay)."""
    _change(obj, ref, as_json, "removed")


@sources.command("pause")
@click.argument("ref", metavar="ID|URL")
@click.option("--json", "as_json", is_flag=True, help="print the source as JSON")
@click.pass_obj
@handle_errors
def pause(obj: Context, ref: str, as_json: bool) -> None:
    """Stop polling a source until it is resumed (its state is kept)."""
    _change(obj, ref, as_json, "paused")


@sources.command("resume")
@click.argument("ref", metavar="ID|URL")
@click.option("--json", "as_json", is_flag=True, help="print the source as JSON")
@click.pass_obj
@handle_errors
def resume(obj: Context, ref: str, as_json: bool) -> None:
    """Poll a paused source again (due at once)."""
    _change(obj, ref, as_json, "resumed")


@click.command()
@click.option("--once", is_flag=True, help="poll what is due once, deliver webhooks, and exit (for cron)")
@click.option("--for", "for_s", type=click.FloatRange(0), help="stop after this many seconds")
@click.option("--json", "as_json", is_flag=True, help="print one JSON array of the polls made")
@click.pass_obj
@handle_errors
def follow(obj: Context, once: bool, for_s: float | None, as_json: bool) -> None:
    """Poll due sources into the store until stopped (SIGTERM/SIGINT: finish the poll, exit 0).

    Conditional GETs, one request at a time per host, backoff on failures, robots.txt for linked
    pages. Watchlist webhooks are delivered in the background, with a circuit breaker per endpoint.
    """
    from storyline.follow.loop import FollowLoop
    from storyline.follow.webhooks import WebhookWorker

    store = obj.writer  # holds the store's writer lock for the whole run
    loop = FollowLoop(store, obj.settings, webhooks=WebhookWorker(store, settings=obj.settings))

    def stop(signum: int, frame: FrameType | None) -> None:
        LOGGER.warning("follow: %s: finishing the current poll", signal.Signals(signum).name)
        loop.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        reports = loop.run(once=once, for_s=for_s)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        loop.close()
    if as_json:
        emit_json([r.as_dict() for r in reports])
        return
    failed = sum(1 for r in reports if r.error)
    new = sum(r.new_items for r in reports)
    unchanged = sum(1 for r in reports if r.not_modified)
    click.echo(f"polled {len(reports)} · new items {new} · not modified {unchanged} · failed {failed}")


COMMANDS = [sources, follow]
