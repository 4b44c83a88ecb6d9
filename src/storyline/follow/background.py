"""The follow loop in a background thread, for ``storyline serve --follow``: one process serving the
web UI while it follows.

The web server keeps the store open without the writer lock (it takes it per ingest request), so the
loop here takes it around each poll (``PollLock``); a poll that finds it held is put off a few seconds.
Leaving the ``with`` block stops the loop after its current poll and waits for the thread.

SIGTERM and SIGINT stop the loop too: uvicorn captures them while it serves, and when it has shut
down it raises them again into the handlers it found, which are ours (installed first), so the
process ends after the loop's current poll with exit 0 rather than being killed half-way.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from storyline.follow.loop import FollowLoop, FollowStore, PollLock
from storyline.follow.webhooks import WebhookWorker
from storyline.settings import Settings

__all__ = ["following"]

LOGGER = logging.getLogger(__name__)

JOIN_TIMEOUT_S = 120.0


@contextmanager
def following(
    store: FollowStore, settings: Settings, *, lock: PollLock | None = None
) -> Iterator[FollowLoop]:
    """Run a ``FollowLoop`` (with webhook delivery) over ``store`` in a thread while the block runs."""
    from storyline.store import WatchStore

    webhooks = WebhookWorker(store, settings=settings) if isinstance(store, WatchStore) else None
    loop = FollowLoop(store, settings, webhooks=webhooks, lock=lock)

    def work() -> None:
        try:
            loop.run()
        except Exception:
            LOGGER.exception("follow: the background loop stopped on an error")

    def stop(signum: int, frame: object) -> None:
        loop.stop()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    thread = threading.Thread(target=work, name="storyline-follow", daemon=True)
    thread.start()
    LOGGER.info("follow: polling sources in the background")
    try:
        yield loop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        loop.stop()
        thread.join(JOIN_TIMEOUT_S)
        if thread.is_alive():
            LOGGER.warning("follow: the loop did not stop within %.0f s", JOIN_TIMEOUT_S)
        loop.close()
