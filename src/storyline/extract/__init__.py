"""The extraction stage: ``RawDoc`` -> ``Article`` (text, title, dateline, agency, place, date, URL).

``extract_article`` is the entry point; ``parse_dateline`` and ``decode_body`` are its two reusable
parts. Items that hold no article raise ``storyline.errors.Rejected(stage="extract", reason=...)``.
"""

from storyline.extract.core import extract_article
from storyline.extract.datelines import Dateline, parse_dateline
from storyline.extract.encoding import decode_body

__all__ = ["Dateline", "decode_body", "extract_article", "parse_dateline"]
