"""Watchlists and alerts: standing queries matched against stored articles, delivered by feed and webhook.

- ``model``: ``Watchlist``, ``Alert``, ``Delivery`` and the ``WatchStore`` interface;
- ``match``: many watchlists compiled for matching one article at a time;
- ``engine``: ``on_batch`` (the pipeline hook) and ``refresh`` (catch up from a cursor);
- ``feed``: the Atom feed of a watchlist; ``webhook``: signed POSTs with retries and a delivery log.
"""

from __future__ import annotations

from storyline.alerts.engine import evaluate, on_batch, refresh, start_cursor
from storyline.alerts.model import Alert, Delivery, Watchlist, WatchStore

__all__ = ["Alert", "Delivery", "WatchStore", "Watchlist", "evaluate", "on_batch", "refresh", "start_cursor"]
