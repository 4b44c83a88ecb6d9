"""Does a date date the reported event, or only the report? (``TimeMention.is_event``)

The heuristic, in order:

1. Only points in time can date an event: DURATION and SET values, ``*_REF`` values and empty
   values are never events.
2. A date in a short first line (a dateline such as ``2021-02-17 Brussels (AFP)``) or right after
   ``published``/``updated``/``posted`` dates the report: not an event.
3. A date next to a reporting verb dates the statement, not what it reports: ``said on Monday``,
   ``told reporters on Monday`` (the verb within four words before), or ``On Monday, X said`` (a
   sentence that opens with the date and has the verb within six words after it). Not an event.
4. Everything else (``meet on Wednesday``, ``the May 1 deadline``, ``talks close on Thursday``,
   ``the war began in 2001``) is an event date.
"""

from __future__ import annotations

import logging
import re

from storyline.understand.timex._lexicon import words

__all__ = ["REPORTING_VERBS", "is_event_date"]

LOGGER = logging.getLogger(__name__)

REPORTING_VERBS: dict[str, frozenset[str]] = {
    "en": words(
        "said says say told tells announced announces stated added reported confirmed declared "
        "explained warned insisted noted wrote tweeted argued claimed denied stressed acknowledged "
        "admitted urged disclosed revealed indicated commented remarked replied responded asserted "
        "maintained predicted estimated cautioned"
    ),
    "de": words(
        "sagte sagten sagt erklärte erklärten erklärt betonte betonten teilte teilten berichtete "
        "meldete meldeten warnte warnten kündigte kündigten verkündete bestätigte bestätigten sagt' "
        "so"
    ),
    "fr": words(
        "déclaré dit indiqué annoncé affirmé expliqué souligné précisé estimé assuré averti confirmé "
        "rapporté déclarait déclare affirme indique annonce"
    ),
    "es": words(
        "dijo declaró afirmó anunció señaló indicó explicó aseguró informó advirtió confirmó dice "
        "afirma señala asegura"
    ),
    "it": words("detto dichiarato annunciato affermato spiegato riferito confermato dice afferma"),
    "nl": words("zei zegt verklaarde meldde bevestigde kondigde liet"),
    "pt": words("disse afirmou declarou anunciou explicou informou confirmou diz afirma"),
}
_PUBLISHED = re.compile(r"\b(?:published|updated|posted|veröffentlicht|aktualisiert|publié|mis à jour|"
                        r"publicado|actualizado)\W*(?:on|am|le|el)?\s*$", re.IGNORECASE)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*[\"“”]?)\s*(?:on|am|le|el|in|at)?\s*$", re.IGNORECASE)
_FIRST_LINE_MAX = 100


def is_event_date(text: str, start: int, end: int, kind: str, value: str, lang: str) -> bool:
    """``True`` when ``text[start:end]`` dates the reported event (see the module docstring)."""
    if kind not in ("DATE", "TIME") or not value or value.endswith("_REF"):
        return False
    first_break = text.find("\n")
    if 0 <= first_break <= _FIRST_LINE_MAX and end <= first_break:
        return False
    before = text[max(0, start - 60) : start]
    if _PUBLISHED.search(before):
        return False
    verbs = REPORTING_VERBS.get(lang, REPORTING_VERBS["en"])
    left = [w.casefold() for w in _WORD.findall(re.split(r"[.!?;\n]", before)[-1])][-4:]
    if any(w in verbs for w in left):
        return False
    if _SENTENCE_START.search(before):
        right = text[end : end + 80]
        right = re.split(r"[.!?;\n]", right)[0]
        if any(w.casefold() in verbs for w in _WORD.findall(right)[:6]):
            return False
    return True
