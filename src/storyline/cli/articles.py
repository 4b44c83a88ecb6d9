"""Commands over articles: ingest, articles, show, search, rejections, stats, settings."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from storyline import settings as settings_mod
from storyline.cli._common import (
    ERR,
    OUT,
    Context,
    emit_json,
    emit_rows,
    filter_options,
    filters_from,
    handle_errors,
    listing_options,
    make_table,
)
from storyline.shapes import article_json, rejection_json, search_hit_json


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="print the run's counts as one JSON object")
@click.pass_obj
@handle_errors
def ingest(obj: Context, inputs: tuple[str, ...], as_json: bool) -> None:
    """Read files, directories, feeds, WARC archives, URLs or - (stdin) into the store."""
    from storyline.alerts import on_batch
    from storyline.batching import RunStats
    from storyline.ingest import iter_inputs
    from storyline.pipeline import Components, run

    store = obj.writer
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

        stats = run(
            iter_inputs(inputs, obj.settings),
            components,
            store,
            on_progress=show,
            on_stored=lambda batch: on_batch(store, batch),
        )
    if as_json:
        emit_json(stats.as_dict())
    else:
        click.echo(stats.summary())
    if stats.rejected:
        if not as_json:
            ERR.print("some inputs were rejected: see `storyline rejections`", highlight=False)
        sys.exit(1)


@click.command()
@filter_options
@listing_options
@click.pass_obj
@handle_errors
def articles(obj: Context, /, fmt: str, limit: int, offset: int, **kw: Any) -> None:
    """List stored articles, newest first."""
    rows = obj.store.list_articles(filters_from(kw), limit=limit, offset=offset)
    if fmt != "table":
        story_ids = obj.store.story_ids_of([a.id for a in rows])
        emit_rows([article_json(a, story_id=story_ids.get(a.id)) for a in rows], fmt)
        return
    table = make_table("id", "published", "agency", "place", "lang", "title", "dup of")
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


@click.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def show(obj: Context, article_id: str, as_json: bool) -> None:
    """Show one article with its text, entities, quotes, dates and figures."""
    from storyline.cli.facts import facts_of, print_facts

    article = obj.store.get_article(article_id)
    if article is None:
        raise click.ClickException(f"no article {article_id!r}; list ids with `storyline articles`")
    shape = article_json(
        article, with_text=True, story_id=obj.store.story_ids_of([article.id]).get(article.id)
    )
    shape["duplicates"] = [d.id for d in obj.store.duplicates_of(article.id)]
    facts = facts_of(obj.store, article.id)[1]
    if as_json:
        emit_json({**shape, **facts})
        return
    for key, value in shape.items():
        if key != "text":
            OUT.print(f"[bold]{key}[/bold]: {value}", highlight=False, markup=True)
    OUT.print()
    OUT.print(article.text, markup=False, highlight=False)
    print_facts(facts, article.duplicate_of)


@click.command()
@click.argument("query")
@click.option("--meaning", "by_meaning", is_flag=True, help="nearest articles by meaning, in any language")
@click.option("--both", "by_both", is_flag=True, help="words and meaning merged (reciprocal rank fusion)")
@filter_options
@listing_options
@click.pass_obj
@handle_errors
def search(
    obj: Context,
    /,
    query: str,
    by_meaning: bool,
    by_both: bool,
    fmt: str,
    limit: int,
    offset: int,
    **kw: Any,
) -> None:
    """Search (ranked, with snippets). Words are ANDed; use "quotes" for phrases, OR, prefix*.
    --meaning finds the articles closest in meaning, across languages (the stored vectors)."""
    filters = filters_from(kw)
    if by_meaning or by_both:
        from storyline.web import meaning

        index = meaning.MeaningIndex(obj.store, obj.settings.embedder, embedder=obj.embedder)
        mode = "both" if by_both else "meaning"
        hits = meaning.search(index, obj.store, query, filters, mode=mode, limit=limit, offset=offset)
    else:
        hits = obj.store.search(query, filters, limit=limit, offset=offset)
    if fmt != "table":
        emit_rows([search_hit_json(h) for h in hits], fmt)
        return
    table = make_table("id", "lang", "title", "snippet")
    for h in hits:
        table.add_row(h.article.id, h.article.language or "", h.article.title, h.snippet)
    OUT.print(table)


@click.command()
@listing_options
@click.pass_obj
@handle_errors
def rejections(obj: Context, fmt: str, limit: int, offset: int) -> None:
    """List refused inputs with the stage and reason."""
    rows = obj.store.list_rejections(limit=limit, offset=offset)
    if fmt != "table":
        emit_rows([rejection_json(r) for r in rows], fmt)
        return
    table = make_table("at", "stage", "reason", "origin", "detail")
    for r in rows:
        table.add_row(r.at.isoformat(timespec="seconds"), r.stage, r.reason, r.origin, r.detail[:100])
    OUT.print(table)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def stats(obj: Context, as_json: bool) -> None:
    """Counts of what the store holds."""
    data = obj.store.stats()
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        OUT.print(f"[bold]{key}[/bold]: {value}", highlight=False, markup=True)


@click.command("settings")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
def show_settings(obj: Context, as_json: bool) -> None:
    """Show the effective settings and where each can be set."""
    current = {name: getattr(obj.settings, name) for name, *_ in settings_mod.describe()}
    if as_json:
        emit_json(current)
        return
    table = make_table("name", "value", "help")
    for name, _kind, _default, help_text in settings_mod.describe():
        table.add_row(name, str(current[name]), help_text)
    OUT.print(table)


COMMANDS = [ingest, articles, show, search, rejections, stats, show_settings]
