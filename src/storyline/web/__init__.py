"""The web UI and HTTP API (FastAPI): server-rendered pages and JSON under ``/api/v1``.

Readers only: every route reads through ``StoryReader``, except compare and ingest, which run the
pipeline on the caller's input (``actions.py``). ``create_app(store, settings)`` builds the app;
``storyline serve`` runs it with uvicorn.
"""

from storyline.web.app import create_app

__all__ = ["create_app"]
