"""robots.txt for the pages feed entries link to, with ``urllib.robotparser``.

Fetched once per host and kept ``ttl_s`` (an hour by default). Following RFC 9309: a robots.txt
that is missing (any 4xx) allows everything; one that cannot be read (5xx, network, timeout) disallows
the host until it is asked again, a shorter while later. The feed URLs a user added are not checked:
following them is what the user asked for; the pages they link to are what a crawler would fetch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from storyline.errors import FetchError
from storyline.ingest.fetch import Fetched, HttpStatusError

__all__ = ["RobotsCache"]

LOGGER = logging.getLogger(__name__)

UNREADABLE_TTL_S = 300.0


class RobotsCache:
    """``allowed(url)``: whether robots.txt lets ``user_agent`` fetch ``url``."""

    def __init__(
        self,
        get: Callable[[str], Fetched],
        user_agent: str,
        *,
        ttl_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.get = get
        self.user_agent = user_agent
        self.ttl_s = ttl_s
        self.clock = clock
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, RobotFileParser | bool]] = {}

    def __repr__(self) -> str:
        return f"RobotsCache(hosts={len(self._cache)}, ttl_s={self.ttl_s})"

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return False
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            cached = self._cache.get(key)
        if cached is None or cached[0] <= self.clock():
            rules, ttl = self._load(key)
            cached = (self.clock() + ttl, rules)
            with self._lock:
                self._cache[key] = cached
        rules = cached[1]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self.user_agent, url)

    def _load(self, base: str) -> tuple[RobotFileParser | bool, float]:
        """The parsed rules of ``base``'s robots.txt, or True/False for allow/deny all; and for how long."""
        robots_url = urlunsplit((*urlsplit(base)[:2], "/robots.txt", "", ""))
        try:
            page = self.get(robots_url)
        except HttpStatusError as e:
            if 400 <= e.status < 500:
                return True, self.ttl_s
            LOGGER.info("follow: %s unreadable (HTTP %d): its linked pages wait", robots_url, e.status)
            return False, UNREADABLE_TTL_S
        except FetchError as e:
            LOGGER.info("follow: %s unreadable (%s): its linked pages wait", robots_url, e.reason)
            return False, UNREADABLE_TTL_S
        parser = RobotFileParser(robots_url)
        parser.parse(page.body.decode("utf-8", "replace").splitlines())
        return parser, self.ttl_s
