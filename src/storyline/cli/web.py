"""``storyline serve``: the web UI and HTTP API over the store, with uvicorn."""

from __future__ import annotations

import logging
import os

import click

from storyline.cli._common import Context, handle_errors
from storyline.errors import ConfigError

LOGGER = logging.getLogger(__name__)

TOKEN_ENV = "STORYLINE_TOKEN"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="port")
@click.option("--follow", "follow_sources", is_flag=True, help="also poll followed sources")
@click.pass_obj
@handle_errors
def serve(obj: Context, host: str, port: int, follow_sources: bool) -> None:
    """Serve the web UI and the JSON API (/api/v1) over the store.

    Ingest (POST /api/v1/ingest) needs `Authorization: Bearer $STORYLINE_TOKEN` when that variable is
    set; without it, ingest is open to local requests only. A non-loopback --host needs the token
    (exit 2 without it). Behind a reverse proxy: docs/security.md. With --follow, the same process
    polls the followed sources in a background thread, stopped cleanly on shutdown.
    """
    import uvicorn

    from storyline.web import create_app
    from storyline.web.security import is_loopback

    token = os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(host)
    if not loopback and token is None:
        raise ConfigError(
            f"refusing to listen on {host} (beyond loopback) without {TOKEN_ENV}: set it to a long random "
            f"secret (openssl rand -hex 32), or serve on 127.0.0.1 behind a proxy (docs/security.md)"
        )
    app = create_app(obj.unlocked_store, obj.settings, token=token, loopback=loopback)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Storyline on http://{shown}:{port}/  (API: http://{shown}:{port}/api/v1/stories)")
    if not follow_sources:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    from storyline.follow.background import following
    from storyline.store import writer_lock

    with following(obj.unlocked_store, obj.settings, lock=writer_lock(obj.settings)):
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


COMMANDS = [serve]
