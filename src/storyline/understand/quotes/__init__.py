"""Quotes: who said what (direct, mixed and indirect quotes with their cue and speaker).

``find_quotes`` gives ``Quote`` values; ``find_attributions`` the same quotes with their speaker
mentions (``Attribution``). ``DEFAULT_MIN_CONFIDENCE`` is the confidence below which readers hide a
quote. ``find_quoted``, ``QUOTE_CHARS`` and ``frames_of`` serve the evaluation and the cue-table script.
"""

from storyline.understand.quotes._attributions import Attribution, find_attributions, find_quotes
from storyline.understand.quotes._confidence import DEFAULT_MIN_CONFIDENCE, check_speaker, quote_confidence
from storyline.understand.quotes._marks import QUOTE_CHARS, Quoted, find_quoted
from storyline.understand.quotes._parse import frames_of

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "QUOTE_CHARS",
    "Attribution",
    "Quoted",
    "check_speaker",
    "find_attributions",
    "find_quoted",
    "find_quotes",
    "frames_of",
    "quote_confidence",
]
