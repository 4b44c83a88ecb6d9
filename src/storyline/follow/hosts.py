"""Per-host politeness: one request at a time to a host, a minimum gap between its requests, and
hosts that answered 429/503 with ``Retry-After`` left alone until then.

Every request the loop makes (a source, a linked page, a robots.txt) goes through ``HostGate.slot``.
The clock and the sleep are injected (``time.monotonic``/``time.sleep`` by default) so tests can
check the gaps without waiting, or with real waits on a real server.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

__all__ = ["MAX_HOST_WAIT_S", "HostGate", "host_of"]

LOGGER = logging.getLogger(__name__)

MAX_HOST_WAIT_S = 5.0
"""A request whose host must be left alone longer than this is put off (a source) or refused for now
(a linked page, ``host_busy``), never waited for: a ``Retry-After`` of an hour must not hold the loop."""


def host_of(url: str) -> str:
    """The politeness key of ``url``: lower-cased host and port (``example.com:8080``)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


class HostGate:
    """Spaces requests per host: ``min_delay_s`` from the end of one to the start of the next."""

    def __init__(
        self,
        min_delay_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_delay_s = min_delay_s
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_end: dict[str, float] = {}
        self._blocked_until: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"HostGate(min_delay_s={self.min_delay_s}, hosts={len(self._last_end)})"

    def wait_s(self, host: str) -> float:
        """Seconds before ``host`` may be asked again (0 when it may be now)."""
        with self._lock:
            ready = max(
                self._last_end.get(host, float("-inf")) + self.min_delay_s,
                self._blocked_until.get(host, float("-inf")),
            )
        return max(0.0, ready - self.clock())

    def block(self, host: str, seconds: float) -> None:
        """Leave ``host`` alone for ``seconds`` (it answered 429/503 with ``Retry-After``)."""
        with self._lock:
            until = self.clock() + seconds
            self._blocked_until[host] = max(self._blocked_until.get(host, until), until)
        LOGGER.info("follow: %s asked to wait %.0f s", host, seconds)

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold ``url``'s host for one request, after waiting out its gap."""
        host = host_of(url)
        with self._lock:
            host_lock = self._host_locks.setdefault(host, threading.Lock())
        with host_lock:
            while (wait := self.wait_s(host)) > 0:
                self.sleep(wait)
            try:
                yield
            finally:
                with self._lock:
                    self._last_end[host] = self.clock()
