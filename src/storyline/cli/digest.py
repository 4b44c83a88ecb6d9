"""``storyline digest``: label, summary, what's new, event timeline and figures of a story."""

from __future__ import annotations

from typing import Any

import click

from storyline.cli._common import OUT, Context, emit_json, handle_errors, parse_when
from storyline.digest import build_digest, digest_json
from storyline.errors import InputError
from storyline.model import timex_label


@click.command()
@click.argument("subject_id", metavar="ID")
@click.option("--since", help="what's new in articles published on or after this time (ISO date)")
@click.option(
    "--watchlist", "watchlist_id", help="what's new since this watchlist's last visit (then marks it)"
)
@click.option("--language", help="summary sentences in this language when the story has some")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def digest(
    obj: Context,
    subject_id: str,
    since: str | None,
    watchlist_id: str | None,
    language: str | None,
    as_json: bool,
) -> None:
    """Digest of a story or storyline: label, summary, what's new, timeline, figures.

    Without --since or --watchlist, "new" is the article stored last, against everything before it.
    """
    store = obj.unlocked_store  # writes a visit mark and cached sentence rows, never story state
    since_ingested = None
    if watchlist_id is not None:
        watchlist = store.get_watchlist(watchlist_id)
        if watchlist is None:
            raise InputError(f"no watchlist {watchlist_id!r}; see: storyline watch list")
        since_ingested = watchlist.last_visit_at or watchlist.created_at
    result = build_digest(
        store,
        subject_id,
        embedder=obj.embedder,
        since=parse_when(since),
        since_ingested=since_ingested,
        language=language,
    )
    if watchlist_id is not None:
        from storyline.model import utc_now

        store.mark_visited(watchlist_id, utc_now())
    shape = digest_json(result)
    if as_json:
        emit_json(shape)
        return
    _print(shape)


def _print(shape: dict[str, Any]) -> None:
    say = OUT.print
    say(f"[bold]{shape['label']}[/bold]  ({shape['kind']} {shape['id']}, {shape['n_articles']} articles)")
    say(f"keyphrases: {', '.join(shape['keyphrases'])}", highlight=False)
    say("\n[bold]Summary[/bold]")
    for s in shape["summary"]:
        say(f"- {s['text']}  [dim]({s['source'] or s['article_id']})[/dim]", highlight=False)
    new = shape["new"]
    say(f"\n[bold]What's new[/bold] in {len(new['articles'])} articles")
    for s in new["sentences"]:
        say(f"- {s['text']}  [dim]({', '.join(s['reasons'])})[/dim]", highlight=False)
    if not new["sentences"]:
        say("- nothing earlier coverage did not already carry")
    say("\n[bold]Timeline[/bold]")
    for e in shape["timeline"]:
        if e["date"]:
            first = e["sources"][0]
            when = timex_label(e["value"])
            say(f"- {when:<16} {e['status']:<9} {first['sentence'][:100]}", highlight=False)
    say("\n[bold]Figures[/bold]")
    for g in shape["figures"]:
        flag = "  [red]sources disagree[/red]" if g["disagree"] else ""
        values = ", ".join(f"{v:g}" for v in g["values"])
        say(f"- {g['counts']} ({g['unit'] or 'count'}): {values}{flag}", highlight=False)


COMMANDS = [digest]
