"""When a source is next due: its interval after a success, exponential backoff with jitter after
failures, never before a ``Retry-After`` the server asked for.

The jitter comes from an injected ``random.Random`` (seeded in tests), so a schedule is reproducible;
in production it spreads retries of many sources that failed together (a host outage) over time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

__all__ = ["Backoff", "parse_retry_after"]

MAX_RETRY_AFTER_S = 86_400.0
"""A ``Retry-After`` longer than a day is taken as a day: a typo on the server must not silence a
source for months."""


@dataclass
class Backoff:
    """Delays between polls.

    After ``n`` consecutive failures the delay is ``min(cap_s, max(every_s, base_s) * 2**(n-1))``
    scaled by a jitter factor drawn from ``[1 - jitter, 1]``; a success resets to ``every_s``.
    """

    base_s: float = 60.0
    cap_s: float = 6 * 3600.0
    jitter: float = 0.5
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, every_s: float, failures: int) -> float:
        """Seconds until the next poll of a source polled every ``every_s`` after ``failures`` failures."""
        if failures <= 0:
            return float(every_s)
        growth: float = 2.0 ** min(failures - 1, 30)
        raw = min(self.cap_s, max(float(every_s), self.base_s) * growth)
        return raw * (1.0 - self.jitter * self.rng.random())

    def next_due(
        self, now: datetime, every_s: float, failures: int, retry_after_s: float | None = None
    ) -> datetime:
        """``now`` plus the delay, and not before ``retry_after_s`` seconds from ``now``."""
        seconds = self.delay(every_s, failures)
        if retry_after_s is not None:
            seconds = max(seconds, retry_after_s)
        return now + timedelta(seconds=seconds)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from ``now`` a ``Retry-After`` header asks to wait (delta seconds or an HTTP date),
    capped at a day; None when absent or unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - now).total_seconds()), MAX_RETRY_AFTER_S)
