"""Canonical URLs: one spelling per page, so the same article gets the same id wherever it was found."""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from storyline.extract.lexicon import word_set

LOGGER = logging.getLogger(__name__)

_TRACKING = word_set("fbclid gclid gclsrc dclid msclkid mc_cid mc_eid igshid yclid _hsenc _hsmi")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str | None) -> str | None:
    """``url`` with lower-case scheme and host, no fragment, default port or tracking parameters.

    Returns ``None`` when ``url`` is not an absolute URL.

    >>> canonical_url("HTTPS://WWW.Example.com:443/a/B?utm_source=x&id=3#top")
    'https://www.example.com/a/B?id=3'
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        LOGGER.debug("malformed URL %r ignored", url)
        return None
    scheme = parts.scheme.lower()
    if not scheme or not host or any(c.isspace() for c in url.strip()):
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    query = "&".join(pair for pair in parts.query.split("&") if pair and not _is_tracking(pair))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _is_tracking(pair: str) -> bool:
    key = unquote_plus(pair.split("=", 1)[0]).lower()
    return key.startswith("utm_") or key in _TRACKING


def url_source(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``: the outlet's name when nothing better is known."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return None
    return host.removeprefix("www.") or None
