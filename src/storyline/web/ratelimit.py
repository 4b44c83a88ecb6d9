"""In-process rate limits per client address: token buckets, no dependency.

Two limits use them (``RateLimits``): failed bearer tokens (so a token cannot be guessed at line speed,
and 401s cost the server nothing), and ``compare`` (form and API), which costs seconds of CPU per call.
A 429 answer carries ``Retry-After`` (whole seconds until the next token).

The address is ``request.client.host``: behind a reverse proxy on loopback, uvicorn replaces it with
the last ``X-Forwarded-For`` entry the proxy added (its ``forwarded_allow_ips`` defaults to loopback);
a proxy that sets no ``X-Forwarded-For`` makes every client share the proxy's bucket, which still caps
the total. State lives in this process only: one server, one set of buckets.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request

MAX_ADDRESSES = 10_000
"""Buckets kept at most; the least recently used address is forgotten first (memory stays bounded
whatever the number of addresses an attacker comes from)."""


@dataclass(frozen=True)
class RateLimits:
    """The limits of one app. ``burst`` calls at once, then ``burst`` per ``window_s`` seconds."""

    auth_failures: int = 10
    """Failed tokens one address may send per ``window_s``; the next write or compare from it gets 429."""
    compare_burst: int = 10
    """Compare calls one address may make per ``window_s`` (each costs up to ~2.5 s of CPU)."""
    window_s: float = 60.0

    def __post_init__(self) -> None:
        if self.auth_failures < 1 or self.compare_burst < 1 or not self.window_s > 0:
            raise ValueError(f"rate limits must be positive: {self!r}")


class TokenBuckets:
    """One bucket of ``capacity`` tokens per key, refilled at ``capacity / window_s`` tokens a second."""

    def __init__(
        self, capacity: int, window_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = float(capacity)
        self.rate = capacity / window_s
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()  # routes run in a thread pool

    def __repr__(self) -> str:
        return f"TokenBuckets(capacity={self.capacity:g}, per_s={self.rate:g}, keys={len(self._buckets)})"

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - at) * self.rate)

    def retry_after(self, key: str) -> int:
        """0 when ``key`` has a token left, else the whole seconds until it has one again."""
        with self._lock:
            level = self._level(key, self._clock())
        return 0 if level >= 1.0 else max(1, math.ceil((1.0 - level) / self.rate))

    def take(self, key: str) -> int:
        """Spend one token of ``key``: 0 when there was one, else the seconds to wait (nothing spent)."""
        with self._lock:
            now = self._clock()
            level = self._level(key, now)
            if level < 1.0:
                return max(1, math.ceil((1.0 - level) / self.rate))
            self._buckets[key] = (level - 1.0, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > MAX_ADDRESSES:
                self._buckets.popitem(last=False)
            return 0


def client_address(request: Request) -> str:
    """The key a request is counted under: the client's address (``?`` when the server has none)."""
    return request.client.host if request.client else "?"


def too_many(wait_s: int, what: str) -> HTTPException:
    """The 429 for ``what``, with ``Retry-After``."""
    return HTTPException(
        429, f"too many {what} from this address: retry in {wait_s} s", {"Retry-After": str(wait_s)}
    )
