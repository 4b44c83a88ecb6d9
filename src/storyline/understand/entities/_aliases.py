"""The curated multilingual alias table: international organisations, countries, regions, capitals.

``aliases.json`` was written by hand for Storyline (no external source): each row is a
canonical English name, a type (``ORG`` or ``LOC``) and its usual names and abbreviations in en,
fr, de, es, it, pt, nl, pl and ru (``NATO``/``OTAN``/``НАТО``, ``United States``/``US``/
``États-Unis``/``Estados Unidos``...). Names that are also common words or first names (Jordan,
Chad, Georgia, ``IS``) are left out on purpose. The resolver uses it so that ``NATO`` and ``OTAN``
end as one entity; the gazetteer uses it to recognise these names in languages without NER.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from storyline.understand.entities._names import fold

LOGGER = logging.getLogger(__name__)

__all__ = ["Curated", "curated_by_alias", "curated_entries"]


@dataclass(frozen=True, slots=True)
class Curated:
    """One row of the table; ``key`` is the folded canonical name (``"nato"``)."""

    name: str
    type: str
    aliases: tuple[str, ...]

    @property
    def key(self) -> str:
        return fold(self.name)


@functools.cache
def curated_entries() -> tuple[Curated, ...]:
    """Every row of the table, in file order."""
    text = resources.files("storyline.understand.entities").joinpath("aliases.json").read_text("utf-8")
    rows = json.loads(text)["entities"]
    return tuple(Curated(row["name"], row["type"], tuple(row["aliases"])) for row in rows)


@functools.cache
def curated_by_alias() -> Mapping[str, Curated]:
    """Folded alias -> row (the first row wins when two rows share an alias)."""
    table: dict[str, Curated] = {}
    for entry in curated_entries():
        for alias in (entry.name, *entry.aliases):
            table.setdefault(fold(alias), entry)
    LOGGER.debug("entities: %d curated aliases", len(table))
    return table
