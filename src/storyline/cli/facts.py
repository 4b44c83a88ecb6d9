"""Commands over what the understanding stage found: entities, entity, quotes (and ``show``'s facts)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import click

from storyline.cli._common import (
    OUT,
    Context,
    emit_json,
    emit_rows,
    handle_errors,
    listing_options,
    make_table,
)
from storyline.model import Article, ArticleFacts, Entity, Quote, quote_json
from storyline.shapes import article_facts_json, entity_json
from storyline.store import StoryReader
from storyline.understand.quotes import DEFAULT_MIN_CONFIDENCE

_MAX = 10_000


def entities_by_id(store: StoryReader, ids: Iterable[str | None]) -> dict[str, Entity]:
    """The stored rows of the given entity ids (unknown ids left out)."""
    found: dict[str, Entity] = {}
    for entity_id in {i for i in ids if i}:
        entity = store.get_entity(entity_id)
        if entity is not None:
            found[entity_id] = entity
    return found


def facts_of(store: StoryReader, article_id: str) -> tuple[ArticleFacts, dict[str, Any]]:
    """One article's facts and their JSON (``storyline show``)."""
    facts = store.article_facts(article_id)
    ids = [m.entity_id for m in facts.mentions] + [q.speaker_entity_id for q in facts.quotes]
    return facts, article_facts_json(facts, entities_by_id(store, ids))


def print_facts(shape: dict[str, Any], duplicate_of: str | None) -> None:
    """The facts part of ``storyline show`` as text (``shape`` from ``facts_of``)."""
    if duplicate_of and not any(shape[k] for k in ("mentions", "quotes", "dates", "figures")):
        OUT.print(f"\n[bold]facts[/bold]: those of the original, {duplicate_of}", highlight=False)
        return
    OUT.print("\n[bold]entities[/bold]", highlight=False)
    for e in shape["entities"]:
        OUT.print(f"  {e['name']} ({e['type']}) ×{e['article_mentions']}  {e['id']}", highlight=False)
    OUT.print("\n[bold]quotes[/bold]", highlight=False)
    for q in shape["quotes"]:
        speaker = q["speaker"] or "(unknown)"
        linked = "" if q["speaker_entity_id"] else " [unlinked]"
        OUT.print(
            f"  {speaker}{linked} — {q['cue']} ({q['kind']}): {q['text']}", markup=False, highlight=False
        )
    OUT.print("\n[bold]dates[/bold]", highlight=False)
    for t in shape["dates"]:
        role = "event" if t["is_event"] else "incidental"
        kind = ", ".join(k for k in (t["type"], t["precision"], role) if k)
        OUT.print(f"  {t['text']!r} -> {t['value'] or '?'} ({kind})", markup=False, highlight=False)
    OUT.print("\n[bold]figures[/bold]", highlight=False)
    for f in shape["figures"]:
        unit = f" {f['unit']}" if f["unit"] else ""
        counts = f" of {f['counts']}" if f["counts"] else ""
        OUT.print(f"  {f['text']!r} = {f['value']:g}{unit}{counts}", markup=False, highlight=False)


def _print_quotes(store: StoryReader, quotes: list[Quote], names: dict[str, Entity]) -> None:
    """Each quote as two lines: date, speaker, cue and article id; then the quote's text."""
    articles: dict[str, Article | None] = {}
    for q in quotes:
        if q.article_id not in articles:
            articles[q.article_id] = store.get_article(q.article_id)
        article = articles[q.article_id]
        when = article.published_at.date().isoformat() if article and article.published_at else "undated"
        entity = names.get(q.speaker_entity_id or "")
        speaker = entity.name if entity else (q.speaker or "(unknown)") + " [unlinked]"
        OUT.print(f"{when}  {speaker} — {q.cue} ({q.kind})  {q.article_id}", markup=False, highlight=False)
        OUT.print(f"    {q.text}", markup=False, highlight=False)
    if not quotes:
        OUT.print("no quotes", highlight=False)


def _quotes_json(quotes: list[Quote], names: dict[str, Entity]) -> list[dict[str, Any]]:
    return [
        quote_json(q, speaker_name=e.name if (e := names.get(q.speaker_entity_id or "")) else None)
        for q in quotes
    ]


def find_entity(store: StoryReader, name: str) -> Entity:
    """The entity with id ``name``, else the most mentioned one named so or with that alias."""
    entity = store.get_entity(name)
    if entity is None:
        found = store.find_entities(name, limit=1)
        entity = found[0] if found else None
    if entity is None:
        raise click.ClickException(f"no entity named {name!r}; list them with `storyline entities`")
    return entity


@click.command()
@click.option("--type", "kind", help="PER, ORG, LOC or MISC")
@listing_options
@click.pass_obj
@handle_errors
def entities(obj: Context, kind: str | None, fmt: str, limit: int, offset: int) -> None:
    """List entities, most mentioned first, with their aliases and languages."""
    rows = obj.store.list_entities(type=kind, limit=limit, offset=offset)
    if fmt != "table":
        emit_rows([entity_json(e) for e in rows], fmt)
        return
    table = make_table("id", "name", "type", "mentions", "languages", "label")
    table.columns[-1].header = "aliases"
    for e in rows:
        table.add_row(e.id, e.name, e.type, str(e.n_mentions), ",".join(e.languages), ", ".join(e.aliases))
    OUT.print(table)


@click.command()
@click.argument("name")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, _MAX), help="quotes shown")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def entity(obj: Context, name: str, limit: int, as_json: bool) -> None:
    """One entity (by id, name or alias) and its quotes over time: who said what."""
    found = find_entity(obj.store, name)
    quotes = obj.store.list_quotes(
        speaker_entity_id=found.id, limit=limit, min_confidence=DEFAULT_MIN_CONFIDENCE
    )
    names = {found.id: found}
    if as_json:
        emit_json({**entity_json(found), "quotes": _quotes_json(quotes, names)})
        return
    OUT.print(f"[bold]{found.name}[/bold] ({found.type}) {found.id}", highlight=False)
    OUT.print(f"mentions: {found.n_mentions} · languages: {', '.join(found.languages)}", highlight=False)
    OUT.print(f"aliases: {', '.join(found.aliases)}", markup=False, highlight=False)
    first, last = (m.date().isoformat() if m else "?" for m in (found.first_seen_at, found.last_seen_at))
    OUT.print(f"seen: {first} .. {last}\n", highlight=False)
    _print_quotes(obj.store, quotes, names)


def _speaker_quotes(
    store: StoryReader, speaker: str, story_id: str | None, limit: int, offset: int, least: float | None
) -> list[Quote]:
    """Quotes of the entities named ``speaker`` (name or alias), else those whose speaker text has it."""
    matched = store.find_entities(speaker, limit=20)
    if not matched:
        return store.list_quotes(
            speaker=speaker, story_id=story_id, limit=limit, offset=offset, min_confidence=least
        )
    if len(matched) == 1:
        return store.list_quotes(
            speaker_entity_id=matched[0].id,
            story_id=story_id,
            limit=limit,
            offset=offset,
            min_confidence=least,
        )
    gathered = [
        q
        for e in matched
        for q in store.list_quotes(
            speaker_entity_id=e.id, story_id=story_id, limit=limit + offset, min_confidence=least
        )
    ]
    dates: dict[str, datetime | None] = {}
    for q in gathered:
        if q.article_id not in dates:
            article = store.get_article(q.article_id)
            dates[q.article_id] = article.published_at if article else None
    gathered.sort(
        key=lambda q: (
            dates[q.article_id] is None,
            dates[q.article_id] or datetime.min.replace(tzinfo=UTC),
            q.article_id,
            q.start,
        )
    )
    return gathered[offset : offset + limit]


@click.command()
@click.option("--speaker", help="an entity's name or alias, else part of the speaker's text")
@click.option("--story", "story_id", help="quotes of this story's articles only")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"every quote, also those under the confidence shown by default ({DEFAULT_MIN_CONFIDENCE})",
)
@listing_options
@click.pass_obj
@handle_errors
def quotes(
    obj: Context,
    speaker: str | None,
    story_id: str | None,
    show_all: bool,
    fmt: str,
    limit: int,
    offset: int,
) -> None:
    """Who said what, in reporting order; filter by speaker or story. Only confident attributions
    are shown unless ``--all`` is given (a wrong "X said" is worse than a missing one)."""
    least = None if show_all else DEFAULT_MIN_CONFIDENCE
    if speaker:
        rows = _speaker_quotes(obj.store, speaker, story_id, limit, offset, least)
    else:
        rows = obj.store.list_quotes(story_id=story_id, limit=limit, offset=offset, min_confidence=least)
    names = entities_by_id(obj.store, [q.speaker_entity_id for q in rows])
    if fmt != "table":
        emit_rows(_quotes_json(rows, names), fmt)
        return
    _print_quotes(obj.store, rows, names)


COMMANDS = [entities, entity, quotes]
