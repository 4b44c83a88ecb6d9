"""The ``storyline`` command.

Exit codes:

- 0: everything was stored (duplicates included), or the command did what it was asked;
- 1: some inputs were rejected (see ``storyline rejections``), an input or store error, ``check``
  found a problem;
- 2: usage or configuration error, including a store that does not exist (for commands that read)
  and a store whose writer lock another process holds (see ``lock_timeout_s``);
- 3: internal error: an unexpected exception (one line ``error: <type>: <message>`` on stderr, the
  traceback with ``-v``), a worker process that died, a store that failed under a read.

stdout carries data only (tables, or JSON with ``--json``); progress and logs go to stderr.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from storyline import __version__
from storyline import settings as settings_mod
from storyline.cli import admin, articles, digest, evaluate, facts, migrate, sources, stories, watch, web
from storyline.cli._common import Context, handle_errors, report_crash


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
@click.option("--db", envvar="STORYLINE_DB", help="SQLite store (default ./storyline.db) or postgresql://...")
@click.option("--config", type=click.Path(path_type=Path), help="settings file (default ./storyline.toml)")
@click.option(
    "--engine",
    type=click.Choice(["inline", "ray"]),
    help="where the per-article work runs: a process pool here (inline) or Ray actors (setting engine)",
)
@click.option("--set", "overrides", nargs=2, multiple=True, metavar="NAME VALUE", help="override a setting")
@click.option("-v", "--verbose", count=True, help="more log output on stderr (-vv for debug)")
@click.option("-q", "--quiet", is_flag=True, help="no progress or logs on stderr")
@click.pass_context
@handle_errors
def cli(
    ctx: click.Context,
    db: str | None,
    config: Path | None,
    engine: str | None,
    overrides: tuple[tuple[str, str], ...],
    verbose: int,
    quiet: bool,
) -> None:
    """Storyline: follow news stories across outlets, languages and months."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    settings = settings_mod.load(config, overrides=list(overrides))
    if db:  # a PostgreSQL URL selects that store; anything else is the SQLite file
        is_url = db.startswith(("postgresql://", "postgres://"))
        settings = settings.replace(**({"store_url": db} if is_url else {"db": db}))
    if engine:
        settings = settings.replace(engine=engine)
    ctx.obj = Context(settings, quiet=quiet, verbose=verbose)
    ctx.call_on_close(ctx.obj.close)


for _command in [*articles.COMMANDS, *stories.COMMANDS, *evaluate.COMMANDS, *web.COMMANDS, *facts.COMMANDS]:
    cli.add_command(_command)
for _command in [*digest.COMMANDS, *watch.COMMANDS, *admin.COMMANDS]:
    cli.add_command(_command)
for _command in [*sources.COMMANDS, *migrate.COMMANDS]:
    cli.add_command(_command)


def main() -> None:
    """Console entry point; an exception no command handled exits 3 in one line (see above)."""
    try:
        cli(prog_name="storyline")
    except Exception as e:  # outside click's context now: -v is read from the arguments
        verbose = any(a == "--verbose" or (a.startswith("-v") and set(a[1:]) == {"v"}) for a in sys.argv[1:])
        report_crash(e, verbose=verbose)
