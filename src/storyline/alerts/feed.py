"""The Atom feed of a watchlist's alerts (RFC 4287), built with ElementTree so text is escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from storyline.model import Alert, Watchlist, iso, utc_now

__all__ = ["ATOM_TYPE", "atom_feed"]

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def atom_feed(watchlist: Watchlist, alerts: Sequence[Alert], *, base_url: str = "") -> bytes:
    """The feed of ``alerts`` (newest first); links point at the article pages under ``base_url``."""
    ET.register_namespace("", ATOM)
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"urn:storyline:watchlist:{watchlist.id}")
    _text(feed, "title", f"Storyline watchlist: {watchlist.name}")
    updated = max((a.created_at for a in alerts), default=watchlist.created_at or utc_now())
    _text(feed, "updated", iso(updated) or "")
    ET.SubElement(
        feed, f"{{{ATOM}}}link", {"rel": "self", "href": f"{base}/watchlists/{watchlist.id}/feed.atom"}
    )
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Storyline")
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"urn:storyline:alert:{alert.id}")
        _text(entry, "title", alert.title or alert.article_id)
        _text(entry, "updated", iso(alert.created_at) or "")
        if alert.published_at is not None:
            _text(entry, "published", iso(alert.published_at) or "")
        ET.SubElement(
            entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{base}/articles/{alert.article_id}"}
        )
        summary = f"matched {', '.join(alert.reasons)} (score {alert.score:.2f})"
        if alert.story_id:
            summary += f"; story {alert.story_id}"
        _text(entry, "summary", summary)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
