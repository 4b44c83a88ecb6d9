"""The user's search text, made safe: parsed once, rendered as FTS5 or matched in Python.

A query is a list of groups joined by AND; each group is a list of terms joined by OR::

    jens "nato summit" OR brussels stolt*   ->   [[jens], ["nato summit", brussels], [stolt*]]

Quoted text stays a phrase, every bare word becomes a quoted phrase of its own (so ``col:thing``,
``NEAR(...)``, ``-x`` or ``'; DROP TABLE`` are only words), an uppercase ``OR`` between two terms is
kept, and a trailing ``*`` asks for a prefix match. Terms without a letter or digit are dropped, and an
empty query parses to no groups (which searches nothing). FTS5 never sees the user's syntax.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

LOGGER = logging.getLogger(__name__)

MAX_TERMS = 64
"""Terms beyond this many are ignored (a pasted article is not a query)."""

_ITEM = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_TOKEN = re.compile(rf"(?:[^\W_]|[{_COMBINING}])+")


@dataclass(frozen=True, slots=True)
class Term:
    """One phrase to match: its words as the user wrote them, and whether the last is a prefix."""

    text: str
    prefix: bool = False


Query = list[list[Term]]


def parse_query(query: str) -> Query:
    """Parse ``query`` into AND-ed groups of OR-ed terms; never raises."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in query)
    groups: Query = []
    pending_or = False
    n_terms = 0
    for match in _ITEM.finditer(cleaned):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            pending_or = bool(groups)
            continue
        term = Term(phrase) if phrase is not None else Term(word.rstrip("*"), prefix=word.endswith("*"))
        if not any(ch.isalnum() for ch in term.text):
            continue
        if n_terms >= MAX_TERMS:
            LOGGER.debug("search: query has more than %d terms; the rest are ignored", MAX_TERMS)
            break
        n_terms += 1
        if pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return groups


def to_fts5(groups: Query) -> str:
    """Render parsed groups as an FTS5 MATCH expression (every term a double-quoted string)."""
    parts = []
    for group in groups:
        terms = [_quote(term) for term in group]
        parts.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
    return " AND ".join(parts)


def _quote(term: Term) -> str:
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + "*" if term.prefix else quoted


def fold(word: str) -> str:
    """A word as the search compares it: accents removed, case folded (``Brüssel`` -> ``brussel``)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(folded word, start, end)`` for each word of ``text`` (offsets into ``text``)."""
    return [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def term_words(term: Term) -> list[str]:
    """The folded words of one term."""
    return [word for word, _, _ in tokenize(term.text)]


__all__ = ["MAX_TERMS", "Query", "Term", "fold", "parse_query", "term_words", "to_fts5", "tokenize"]
