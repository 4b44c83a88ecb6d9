"""``storyline serve``: the web UI and HTTP API over the store, with uvicorn."""

from __future__ import annotations

import logging
import os

import click

from storyline.cli._common import ERR, Context, handle_errors

LOGGER = logging.getLogger(__name__)

TOKEN_ENV = "STORYLINE_TOKEN"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="port")
@click.pass_obj
@handle_errors
def serve(obj: Context, host: str, port: int) -> None:
    """Serve the web UI and the JSON API (/api/v1) over the store.

    Ingest (POST /api/v1/ingest) needs `Authorization: Bearer $STORYLINE_TOKEN` when that variable is
    set; without it, ingest is open on loopback and refused on any other address.
    """
    import uvicorn

    from storyline.web import create_app
    from storyline.web.security import is_loopback

    token = os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(host)
    app = create_app(obj.unlocked_store, obj.settings, token=token, loopback=loopback)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Storyline on http://{shown}:{port}/  (API: http://{shown}:{port}/api/v1/stories)")
    if not loopback and token is None:
        ERR.print(f"listening beyond loopback without {TOKEN_ENV}: ingest is disabled", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


COMMANDS = [serve]
