"""Watchlists and alerts: standing queries matched against stored articles, delivered by feed and webhook.

(``Watchlist``, ``Alert`` and ``Delivery`` are values in ``storyline.model``; the ``WatchStore``
interface is in ``storyline.store``.)

- ``match``: many watchlists compiled for matching one article at a time;
- ``engine``: ``on_batch`` (the pipeline hook) and ``refresh`` (catch up from a cursor);
- ``feed``: the Atom feed of a watchlist; ``webhook``: signed POSTs with retries and a delivery log.
"""

from __future__ import annotations

from storyline.alerts.engine import evaluate, on_batch, refresh, start_cursor

__all__ = ["evaluate", "on_batch", "refresh", "start_cursor"]
