"""Following sources: a list of feed and page URLs polled for months by one long-running loop.

One job per module:

- ``source``: the ``Source`` value (URL, interval, state), ids, durations, its JSON shape;
- ``schedule``: when a source is next due (interval, exponential backoff with seeded jitter,
  ``Retry-After``);
- ``hosts``: per-host politeness (one request at a time, a minimum gap, hosts told to wait);
- ``robots``: robots.txt for linked pages, fetched once per host and cached;
- ``poll``: one poll of one source (conditional GET, classification, linked pages);
- ``loop``: the loop that polls due sources into the pipeline and saves their state;
- ``webhooks``: webhook delivery in a background thread with a per-endpoint circuit breaker.

All state lives in the store (``SourceStore``), so a restarted loop resumes where it stopped.
This package imports nothing heavy at import time: the store imports ``source`` from it.
"""
