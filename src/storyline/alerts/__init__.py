"""Watchlists and alerts: standing queries matched against stored articles, delivered by feed and webhook.

(``Watchlist``, ``Alert`` and ``Delivery`` are values in ``storyline.model``; the ``WatchStore``
interface is in ``storyline.store``.)

- ``match``: many watchlists compiled for matching one article at a time;
- ``engine``: ``on_batch`` (the pipeline hook) and ``refresh`` (catch up from a cursor);
- ``feed``: the Atom feed of a watchlist; ``webhook``: signed POSTs with retries and a delivery log;
- ``define``: a watchlist from typed fields (``WatchlistInput``), the rules the CLI and the web share.
"""

from __future__ import annotations

from storyline.alerts.define import InvalidWatchlist, WatchlistInput
from storyline.alerts.engine import evaluate, on_batch, refresh, start_cursor

__all__ = ["InvalidWatchlist", "WatchlistInput", "evaluate", "on_batch", "refresh", "start_cursor"]
