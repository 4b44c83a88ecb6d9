"""Word lists the dateline and byline parsers share: month names and news-agency aliases.

Month names cover English, German, French, Spanish, Italian, Portuguese, Dutch and Polish, full and
abbreviated, with and without accents (a missing accent is a common wire-copy habit). Agency aliases
map to one canonical spelling each (``"Agence France-Presse"`` -> ``"AFP"``).
"""

from __future__ import annotations

import logging
import re

LOGGER = logging.getLogger(__name__)


def word_set(words: str) -> frozenset[str]:
    """The space-separated words of ``words`` as a set (keeps long word lists readable)."""
    return frozenset(words.split())


_MONTH_WORDS: dict[int, str] = {
    1: "january jan januar jänner jänn jän janvier janv enero ene gennaio gen janeiro januari "
    "styczeń styczen stycznia sty",
    2: "february feb febr februar feber février fevrier févr fevr fév fev febrero febbraio fevereiro "
    "februari luty lutego lut",
    3: "march mar märz maerz mrz mär mars marzo março marco maart mrt marzec marca",
    4: "april apr avril avr abril abr aprile kwiecień kwiecien kwietnia kwi",
    5: "may mai mayo maggio mag maio mei maj maja",
    6: "june jun juni juin junio giugno giu junho czerwiec czerwca cze",
    7: "july jul juli juillet juil julio luglio lug julho lipiec lipca lip",
    8: "august aug août aout agosto ago augustus sierpień sierpien sierpnia sie",
    9: "september sep sept septembre septiembre setiembre set settembre sett setembro wrzesień "
    "wrzesien września wrzesnia wrz",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out październik pazdziernik "
    "października pazdziernika paź paz",
    11: "november nov novembre noviembre novembro listopad listopada lis",
    12: "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro grudzień "
    "grudzien grudnia gru",
}

MONTHS: dict[str, int] = {word: number for number, words in _MONTH_WORDS.items() for word in words.split()}
"""Lower-case month name or abbreviation (no final dot) -> month number."""

_AGENCY_ALIASES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "France-Presse"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "dpa": ("dpa", "Deutsche Presse-Agentur", "dpa-AFX", "dpa-infocom"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "Xinhua": ("Xinhua", "Xinhua News Agency", "Xinhuanet"),
    "PAP": ("PAP", "Polska Agencja Prasowa"),
    "Anadolu": ("Anadolu", "AA", "Anadolu Agency", "Anadolu Ajansı", "Anadolu Ajansi"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "UPI": ("UPI", "United Press International"),
    "Lusa": ("Lusa", "Agência Lusa", "Agencia Lusa"),
    "APA": ("APA", "Austria Presse Agentur"),
    "ANP": ("ANP", "Algemeen Nederlands Persbureau"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "TASS": ("TASS", "ITAR-TASS"),
    "Interfax": ("Interfax",),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "PTI": ("PTI", "Press Trust of India"),
    "Belga": ("Belga",),
    "Europa Press": ("Europa Press",),
    "KNA": ("KNA", "Katholische Nachrichten-Agentur"),
    "EPA": ("EPA", "European Pressphoto Agency"),
    "Jiji": ("Jiji", "Jiji Press"),
    "AAP": ("AAP", "Australian Associated Press"),
    "IANS": ("IANS",),
    "ANI": ("ANI",),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "Ukrinform": ("Ukrinform",),
    "CTK": ("CTK", "ČTK"),
    "MTI": ("MTI",),
    "Agerpres": ("Agerpres",),
}

_KEY_JUNK = re.compile(r"[\s\-‐‑–]+")


def _key(name: str) -> str:
    return _KEY_JUNK.sub(" ", name.casefold()).strip()


AGENCIES: dict[str, str] = {
    _key(alias): canonical for canonical, aliases in _AGENCY_ALIASES.items() for alias in aliases
}
"""Normalised alias (case-folded, hyphens and spaces collapsed) -> canonical agency name."""


def canonical_agency(name: str) -> str | None:
    """The canonical spelling of an agency name or alias, or ``None`` if it is not a known agency."""
    return AGENCIES.get(_key(name))


def _alternation(words: list[str]) -> str:
    # Longest first, so "sept" wins over "sep" and "dpa-AFX" over "dpa".
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = re.escape(word).replace(r"\ ", r"\s+").replace(r"\-", r"[\-‐‑–]?")
        parts.append(escaped)
    return "|".join(parts)


MONTH_PATTERN = rf"(?i:{_alternation(list(MONTHS))})(?![\w])"
"""Regex source matching one month name (any case); no groups."""

_ALL_ALIASES = [alias for aliases in _AGENCY_ALIASES.values() for alias in aliases]
AGENCY_PATTERN = rf"(?i:{_alternation(_ALL_ALIASES)})(?![\w\-])"
"""Regex source matching one agency alias (any case); no groups."""
