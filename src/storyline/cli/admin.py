"""Store upkeep: ``storyline backup PATH`` and ``storyline check`` (see ``store/sqlite_admin.py``).

Both work while another process ingests: the backup is one read snapshot, and the check only reads
(neither takes the writer lock).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from storyline.cli._common import ERR, OUT, Context, emit_json, handle_errors
from storyline.store import sqlite_admin


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="replace TARGET when it exists")
@click.pass_obj
@handle_errors
def backup(obj: Context, target: Path, force: bool) -> None:
    """Copy the store to TARGET consistently, even while another process writes to it."""
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists; pass --force to replace it")
    n = sqlite_admin.backup(obj.settings.db, target, force=force)
    click.echo(f"backed up {n} articles to {target}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_obj
@handle_errors
def check(obj: Context, as_json: bool) -> None:
    """Check the store: SQLite integrity, the full-text index, rows pointing at missing articles.

    Exits 1 when a problem is found."""
    report = sqlite_admin.check(obj.settings.db)
    if as_json:
        emit_json(report.as_dict())
    else:
        OUT.print(
            f"{report.path}: {report.n_articles} articles, {report.n_fts_rows} full-text rows; "
            f"checked {', '.join(report.checks)}",
            highlight=False,
            markup=False,
        )
        for finding in report.findings:
            OUT.print(f"problem: {finding.check}: {finding.detail}", highlight=False, markup=False)
        OUT.print("ok" if report.ok else f"{len(report.findings)} problems found", highlight=False)
    if not report.ok:
        if not as_json:
            ERR.print("the store has problems: restore a backup or re-ingest", highlight=False)
        sys.exit(1)


COMMANDS = [backup, check]
