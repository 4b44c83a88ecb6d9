"""German, French and Spanish rules of the timex grammar (see ``timex_grammar`` for the template syntax)."""

from __future__ import annotations

INTL_RULES: dict[str, tuple[tuple[str, str], ...]] = {"de": (), "fr": (), "es": ()}
