"""What every reader yields: an ``Item`` (a ``RawDoc`` or a read-stage ``Rejection``), and ``reject``,
the one way a reader refuses an input."""

from __future__ import annotations

import logging

from storyline.model import RawDoc, Rejection

LOGGER = logging.getLogger(__name__)

Item = RawDoc | Rejection
RAW_KEEP_BYTES = 16 * 1024
"""Rejections keep the offending bytes up to this size (``raw``)."""


def reject(origin: str, reason: str, detail: str, raw: bytes | None = None) -> Rejection:
    """A read-stage ``Rejection``, keeping ``raw`` only when it is small."""
    LOGGER.debug("read: %s rejected (%s): %s", origin, reason, detail)
    keep = raw if raw is not None and len(raw) <= RAW_KEEP_BYTES else None
    return Rejection(origin, "read", reason, detail, raw=keep)
