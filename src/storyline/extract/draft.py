"""What the text and HTML readers hand to ``extract_article`` before the fields are settled."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from storyline.extract.datelines import Dateline
from storyline.model import Precision

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Draft:
    """An article's text and what its own container said about it (header line, page metadata)."""

    text: str
    title: str = ""
    url: str | None = None
    sitename: str | None = None
    agency: str | None = None
    place: str | None = None
    published_at: datetime | None = None
    precision: Precision | None = None
    dateline: Dateline | None = None
