"""``storyline watch add|list|rm`` and ``storyline alerts``: watchlists and the alerts they raise."""

from __future__ import annotations

import os
from pathlib import Path

import click

from storyline.alerts import refresh as refresh_alerts
from storyline.alerts import secrets, start_cursor
from storyline.alerts.define import InvalidWatchlist, WatchlistInput
from storyline.alerts.webhook import alert_payload, deliver_pending
from storyline.cli._common import (
    OUT,
    Context,
    emit_json,
    emit_rows,
    handle_errors,
    listing_options,
    make_table,
    parse_when,
)
from storyline.errors import InputError
from storyline.model import watchlist_id
from storyline.outbound import redact_url
from storyline.shapes import watchlist_json


@click.group()
def watch() -> None:
    """Manage watchlists: queries over entities, keywords and meaning that raise alerts."""


@watch.command("add")
@click.argument("name")
@click.option("--entity", "entities", multiple=True, help="an entity name or alias (repeatable; any matches)")
@click.option("--keyword", "keywords", multiple=True, help="a word or phrase (repeatable; any matches)")
@click.option("--example", help="example text: articles close in meaning match")
@click.option(
    "--example-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="example text file"
)
@click.option("--like", "like_article", help="use this stored article as the example")
@click.option(
    "--threshold", default=0.5, show_default=True, type=click.FloatRange(0, 1), help="cosine for --example"
)
@click.option("--webhook", help="POST each alert as JSON to this URL")
@click.option(
    "--secret-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="HMAC-SHA256 key that signs webhook bodies, read from this file at each delivery",
)
@click.option("--secret-env", metavar="NAME", help="the signing key is in this environment variable")
@click.option("--secret-prompt", is_flag=True, help="ask for the signing key (hidden input)")
@click.option("--secret", help="the signing key itself (visible in `ps` and shell history: avoid)")
@click.option("--json", "as_json", is_flag=True, help="print the watchlist as JSON")
@click.pass_obj
@handle_errors
def add(
    obj: Context,
    name: str,
    entities: tuple[str, ...],
    keywords: tuple[str, ...],
    example: str | None,
    example_file: Path | None,
    like_article: str | None,
    threshold: float,
    webhook: str | None,
    secret_file: Path | None,
    secret_env: str | None,
    secret_prompt: bool,
    secret: str | None,
    as_json: bool,
) -> None:
    """Add (or replace) a watchlist. Each kind given must match; any item of a kind will do.

    The webhook's signing key is never stored in the store: --secret-file and --secret-env are kept
    as references read at each delivery; --secret-prompt and --secret go to a 0600 key file beside it.
    """
    store = obj.writer
    text = example or ""
    if example_file is not None:
        text = example_file.read_text(encoding="utf-8")
    if like_article is not None:
        article = store.get_article(like_article)
        if article is None:
            raise InputError(f"no article {like_article!r}; see: storyline articles")
        text = f"{article.title}\n{article.text}".strip()
    given = WatchlistInput(name, entities, keywords, text, threshold, webhook)
    try:
        given = given.checked()
    except InvalidWatchlist as e:
        if e.field == "query":
            raise click.UsageError(
                "give at least one --entity, --keyword, --example, --example-file or --like"
            ) from e
        raise click.BadParameter(str(e), param_hint=_FLAGS.get(e.field, e.field)) from e
    secret_ref = _secret_reference(obj, name, webhook, secret_file, secret_env, secret_prompt, secret)
    watchlist = given.watchlist(obj.embedder, webhook_secret=secret_ref)
    start_cursor(store)
    store.add_watchlist(watchlist)
    if as_json:
        emit_json(watchlist_json(watchlist))
    else:
        click.echo(watchlist.id)


_FLAGS = {"name": "NAME", "entities": "--entity", "keywords": "--keyword", "webhook": "--webhook"}


def _secret_reference(
    obj: Context,
    name: str,
    webhook: str | None,
    secret_file: Path | None,
    secret_env: str | None,
    secret_prompt: bool,
    secret: str | None,
) -> str | None:
    """Where the webhook's signing key is kept (``alerts.secrets``): never the key itself."""
    given = [o for o, v in [("--secret-file", secret_file), ("--secret-env", secret_env),
                            ("--secret-prompt", secret_prompt), ("--secret", secret)] if v]  # fmt: skip
    if len(given) > 1:
        raise click.UsageError(f"give one of {', '.join(given)}")
    if given and webhook is None:
        raise click.UsageError(f"{given[0]} signs webhook bodies: give --webhook too")
    try:
        if secret_file is not None:
            return secrets.file_reference(secret_file)
        if secret_env is not None:
            if not os.environ.get(secret_env):
                click.echo(f"warning: {secret_env} is not set here; deliveries fail until it is", err=True)
            return secrets.env_reference(secret_env)
        if secret is not None:
            click.echo("warning: --secret is visible to other users (ps, shell history); prefer "
                       "--secret-file, --secret-env or --secret-prompt", err=True)  # fmt: skip
        elif secret_prompt:
            secret = click.prompt("webhook secret", hide_input=True, confirmation_prompt=True)
        if secret is not None:
            return secrets.key_file_reference(obj.settings.db, watchlist_id(name), secret)
    except secrets.SecretUnavailable as e:
        raise click.BadParameter(str(e), param_hint=given[0]) from e
    return None


@watch.command("list")
@click.option("--json", "as_json", is_flag=True, help="print one JSON array")
@click.pass_obj
@handle_errors
def list_(obj: Context, as_json: bool) -> None:
    """List watchlists."""
    rows = obj.store.list_watchlists()
    if as_json:
        emit_json([watchlist_json(w) for w in rows])
        return
    table = make_table("id", "name", "entities", "keywords", "example", "webhook")
    for w in rows:
        hook = redact_url(w.webhook_url)
        table.add_row(w.id, w.name, ", ".join(w.entities), ", ".join(w.keywords), w.example[:40], hook)
    OUT.print(table)


@watch.command("rm")
@click.argument("watchlist_ref", metavar="ID")
@click.pass_obj
@handle_errors
def rm(obj: Context, watchlist_ref: str) -> None:
    """Remove a watchlist (by id or name) and its alerts."""
    store = obj.writer
    found = store.get_watchlist(watchlist_ref) or store.get_watchlist(watchlist_id(watchlist_ref))
    if found is None:
        raise InputError(f"no watchlist {watchlist_ref!r}; see: storyline watch list")
    store.remove_watchlist(found.id)
    click.echo(f"removed {found.id}")


@click.command()
@click.option("--since", help="alerts raised on or after this time (ISO date)")
@click.option("--watchlist", "watchlist_ref", help="only this watchlist's alerts (id or name)")
@click.option(
    "--refresh/--no-refresh",
    default=True,
    show_default=True,
    help="check articles stored since the last check first",
)
@click.option(
    "--deliver",
    is_flag=True,
    help="also POST undelivered alerts to their webhooks, with retries (`storyline follow` does it too)",
)
@listing_options
@click.pass_obj
@handle_errors
def alerts(
    obj: Context,
    /,
    fmt: str,
    limit: int,
    offset: int,
    since: str | None,
    watchlist_ref: str | None,
    refresh: bool,
    deliver: bool,
) -> None:
    """Alerts raised by watchlists, newest first (checks new articles first). Listing sends nothing:
    webhooks are delivered by `storyline follow`, or here with --deliver."""
    store = obj.store
    watchlists = {w.id: w for w in store.list_watchlists()}
    if (refresh or deliver) and watchlists:
        store = obj.writer  # raising alerts and logging deliveries write: one writer at a time
    if refresh and watchlists:
        refresh_alerts(store, embedder=obj.embedder)
    if deliver and watchlists:
        deliver_pending(store, settings=obj.settings)
    wid = None
    if watchlist_ref is not None:
        wid = watchlist_ref if watchlist_ref in watchlists else watchlist_id(watchlist_ref)
        if wid not in watchlists:
            raise InputError(f"no watchlist {watchlist_ref!r}; see: storyline watch list")
    rows = store.list_alerts(watchlist_id=wid, since=parse_when(since), limit=limit, offset=offset)
    if fmt != "table":
        emit_rows(
            [alert_payload(a, watchlists[a.watchlist_id]) for a in rows if a.watchlist_id in watchlists], fmt
        )
        return
    table = make_table("at", "watchlist", "article", "story", "reasons", "title")
    for a in rows:
        name = watchlists[a.watchlist_id].name if a.watchlist_id in watchlists else a.watchlist_id
        table.add_row(
            a.created_at.isoformat()[:19], name, a.article_id, a.story_id or "", ",".join(a.reasons), a.title
        )
    OUT.print(table)


COMMANDS = [watch, alerts]
