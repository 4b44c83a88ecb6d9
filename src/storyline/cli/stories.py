"""Commands over stories: stories, story, storylines, storyline, rebuild, compare."""

from __future__ import annotations

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
from storyline.model import Article, Rejection
from storyline.shapes import (
    pair_score_json,
    story_detail_json,
    story_json,
    storyline_detail_json,
    storyline_json,
)


def _day(story_or_line: object, attr: str) -> str:
    moment = getattr(story_or_line, attr)
    return moment.date().isoformat() if moment else ""


@click.command()
@click.option("--language", help="only stories with articles in this language")
@listing_options
@click.pass_obj
@handle_errors
def stories(obj: Context, /, fmt: str, limit: int, offset: int, language: str | None) -> None:
    """List stories, most active first (size, then last seen)."""
    rows = obj.store.list_stories(language=language, limit=limit, offset=offset)
    if fmt != "table":
        emit_rows([story_json(s) for s in rows], fmt)
        return
    table = make_table("id", "n", "languages", "sources", "first", "last", "label")
    for s in rows:
        langs, sources = ",".join(s.languages), ",".join(s.sources[:3])
        table.add_row(
            s.id,
            str(s.n_articles),
            langs,
            sources,
            _day(s, "first_seen_at"),
            _day(s, "last_seen_at"),
            s.label,
        )
    OUT.print(table)


@click.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def story(obj: Context, story_id: str, as_json: bool) -> None:
    """One story: its articles in time order and its merges."""
    found = obj.store.get_story(story_id)
    if found is None:
        raise click.ClickException(f"no story {story_id!r}; list ids with `storyline stories`")
    articles = [a for a in (obj.store.get_article(i) for i in found.article_ids) if a is not None]
    events = obj.store.story_events(story_id)
    if as_json:
        emit_json(story_detail_json(found, articles, events))
        return
    OUT.print(
        f"[bold]{found.label or found.id}[/bold]  ({found.id}, {found.n_articles} articles)", highlight=False
    )
    if found.merged_into:
        OUT.print(f"merged into {found.merged_into}", highlight=False)
    table = make_table("id", "published", "agency", "lang", "title", "dup of")
    for a in articles:
        published = a.published_at.date().isoformat() if a.published_at else ""
        table.add_row(a.id, published, a.agency or "", a.language or "", a.title, a.duplicate_of or "")
    OUT.print(table)
    for e in events:
        OUT.print(
            f"{e.at:%Y-%m-%d %H:%M} {e.kind}: {e.subject_id} -> {e.object_id} ({e.reason})", highlight=False
        )


@click.command()
@listing_options
@click.pass_obj
@handle_errors
def storylines(obj: Context, /, fmt: str, limit: int, offset: int) -> None:
    """List storylines: stories that continue each other over weeks and months."""
    rows = obj.store.list_storylines(limit=limit, offset=offset)
    if fmt != "table":
        emit_rows([storyline_json(line) for line in rows], fmt)
        return
    table = make_table("id", "n", "stories", "first", "last", "label")
    for line in rows:
        table.add_row(
            line.id, str(line.n_articles), str(len(line.story_ids)), _day(line, "first_seen_at"),
            _day(line, "last_seen_at"), line.label,
        )  # fmt: skip
    OUT.print(table)


@click.command()
@click.argument("storyline_id")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def storyline(obj: Context, storyline_id: str, as_json: bool) -> None:
    """One storyline: its stories in time order."""
    found = obj.store.get_storyline(storyline_id)
    if found is None:
        raise click.ClickException(f"no storyline {storyline_id!r}; list ids with `storyline storylines`")
    members = [s for s in (obj.store.get_story(i) for i in found.story_ids) if s is not None]
    if as_json:
        emit_json(storyline_detail_json(found, members))
        return
    OUT.print(f"[bold]{found.label or found.id}[/bold]  ({found.id})", highlight=False)
    table = make_table("id", "n", "first", "last", "label")
    for s in members:
        table.add_row(s.id, str(s.n_articles), _day(s, "first_seen_at"), _day(s, "last_seen_at"), s.label)
    OUT.print(table)


COMMANDS = [stories, story, storylines, storyline]


@click.command()
@click.pass_obj
@handle_errors
def rebuild(obj: Context) -> None:
    """Re-assign every stored article to stories from scratch, in the order stored."""
    from storyline.pipeline import rebuild_stories

    n = rebuild_stories(obj.writer, obj.settings)
    click.echo(f"rebuilt stories from {n} articles")


def _resolve(obj: Context, ref: str) -> Article:
    """An article id in the store, else a file path or URL read and extracted on the fly."""
    from pathlib import Path

    from storyline.errors import Rejected
    from storyline.ingest import iter_inputs
    from storyline.pipeline import article_from

    if Path(obj.settings.db).exists():
        found = obj.store.get_article(ref)
        if found is not None:
            return found
    for item in iter_inputs([ref], obj.settings):
        if isinstance(item, Rejection):
            raise click.ClickException(f"{ref}: {item.reason}: {item.detail}")
        try:
            return article_from(item, obj.settings)
        except Rejected as e:
            raise click.ClickException(f"{ref}: {e.reason}: {e.detail}") from e
    raise click.ClickException(f"{ref}: no article id, file or URL by that name")


@click.command()
@click.argument("first")
@click.argument("second")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def compare(obj: Context, first: str, second: str, as_json: bool) -> None:
    """How alike two articles are (ids, files or URLs): 1 = same story .. 4 = unrelated, with evidence."""
    from storyline.embed import embedder_for
    from storyline.stories.similarity import PairInput, default_scorer, score_pair

    a, b = _resolve(obj, first), _resolve(obj, second)
    scorer = default_scorer(embedder_for(obj.settings.embedder))
    result = pair_score_json(score_pair(PairInput.from_article(a), PairInput.from_article(b), scorer=scorer))
    if as_json:
        emit_json(result)
        return
    OUT.print(
        f"[bold]overall {result['overall']:.2f}[/bold] (1 = same story, 4 = unrelated)", highlight=False
    )
    for dim in ("geography", "entities", "time", "narrative"):
        OUT.print(f"  {dim:<10} {result[dim]:.2f}", highlight=False)
    evidence = result["evidence"]
    for key in ("names", "places", "numbers", "dates"):
        if evidence[key]:
            OUT.print(f"shared {key}: {', '.join(evidence[key])}", highlight=False, markup=False)
    for pair in evidence["sentence_pairs"]:
        OUT.print(f"\n[{pair['cosine']:.2f}] {pair['a']}\n       {pair['b']}", highlight=False, markup=False)


COMMANDS = [*COMMANDS, rebuild, compare]
