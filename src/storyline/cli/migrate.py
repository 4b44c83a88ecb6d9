"""``storyline migrate-store SRC DST``: move a whole store between SQLite and PostgreSQL.

SRC and DST are each a SQLite file path or a ``postgresql://`` URL. Everything is copied (articles,
raws, rejections, near-copy signatures, vectors, stories with their states, assignments and events,
storylines, entities and facts, watchlists, alerts, deliveries, sources, cached sentence rows), so
a user who outgrows the embedded store moves without re-ingesting (``store/postgres_copy.py``).
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from storyline.cli._common import ERR, Context, handle_errors
from storyline.errors import StoreError
from storyline.store.lock import StoreMissing
from storyline.store.opening import is_postgres_url, open_writer, store_label


def _settings_for(obj: Context, where: str) -> object:
    # the argument alone says which store it is: a `store` setting in the config must not override it
    if is_postgres_url(where):
        return obj.settings.replace(store_url=where, store="")
    return obj.settings.replace(db=where, store_url="", store="")


@click.command("migrate-store")
@click.argument("src")
@click.argument("dst")
@click.option("--force", is_flag=True, help="clear DST first when it holds anything")
@click.pass_obj
@handle_errors
def migrate_store(obj: Context, src: str, dst: str, force: bool) -> None:
    """Copy the store at SRC into DST (SQLite file or postgresql:// URL), batch by batch.

    Both writer locks are held meanwhile. DST must be empty unless --force. Progress goes to stderr.
    """
    from storyline.settings import Settings
    from storyline.store.postgres_copy import Side, copy_store

    src_settings, dst_settings = _settings_for(obj, src), _settings_for(obj, dst)
    assert isinstance(src_settings, Settings) and isinstance(dst_settings, Settings)
    if store_label(src_settings) == store_label(dst_settings) or (
        not is_postgres_url(src) and not is_postgres_url(dst) and Path(src).resolve() == Path(dst).resolve()
    ):
        raise click.UsageError("SRC and DST are the same store")
    if not is_postgres_url(src) and not Path(src).is_file():
        raise StoreMissing(f"no store at {src}")
    source = open_writer(src_settings)
    try:
        target = open_writer(dst_settings)
        try:
            started, last = time.monotonic(), [0.0]

            def progress(table: str, done: int, total: int) -> None:
                now = time.monotonic()
                if not obj.quiet and (now - last[0] > 1.0 or done >= total):
                    last[0] = now
                    ERR.print(f"migrate-store: {table}: {done}/{total} rows", highlight=False)

            copied = copy_store(
                Side(source.store, bool(src_settings.store_url)),
                Side(target.store, bool(dst_settings.store_url)),
                force=force,
                progress=progress,
            )
        finally:
            target.close()
    except StoreError:
        raise
    finally:
        source.close()
    total = sum(copied.values())
    click.echo(
        f"copied {total} rows ({copied.get('articles', 0)} articles, {copied.get('stories', 0)} stories) "
        f"from {store_label(src_settings)} to {store_label(dst_settings)}"
        f" in {time.monotonic() - started:.1f} s"
    )


COMMANDS = [migrate_store]
