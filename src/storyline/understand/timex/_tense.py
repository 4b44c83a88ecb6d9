"""Which way a relative date points: the tense of the clause around a time expression.

No parser: the nearest tense cue wins, looking first left of the expression (up to ten words, not
past a clause boundary), then right of it (six words). Cues are auxiliaries and modal verbs
(``will``, ``wird``, ``va``, ``será``) and past forms (``said``, ``-ed``, ``hatte``, ``a déclaré``,
``dijo``).
Returns -1 (past), +1 (future) or 0 (no cue).
"""

from __future__ import annotations

import logging
import re

from storyline.understand.timex._lexicon import words

__all__ = ["tense_near"]

LOGGER = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_BOUNDARY = re.compile(r"[.;:!?\n\"“”«»()]|\s[–—-]\s")

_FUTURE = {
    "en": words(
        "will shall won't 'll going gonna scheduled expected expects expect plans plan intends intend "
        "due upcoming next would wouldn't might soon hopes hope aims aim slated poised ahead tomorrow "
        "coming"
    ),
    "de": words(
        "wird werden wirst werde soll sollen sollte sollten will wollen plant planen geplant "
        "kommenden kommende nächsten nächste bis morgen voraussichtlich dürfte dürften"
    ),
    "fr": words(
        "va vont sera seront aura auront devrait devraient doit doivent prévu prévue prévus prochain "
        "prochaine demain jusqu'à compte comptent"
    ),
    "es": words(
        "va van será serán habrá prevé prevén previsto prevista próximo próxima mañana hasta planea "
        "planean debe deben deberá"
    ),
    "it": words(
        "sarà saranno avrà avranno dovrebbe dovrebbero previsto prevista prossimo prossima domani fino"
    ),
    "nl": words("zal zullen zult gaat gaan moet moeten volgende komende morgen tot gepland verwacht"),
    "pt": words(
        "vai vão será serão terá terão deve devem deverá previsto prevista próximo próxima amanhã até"
    ),
}
_PAST = {
    "en": words(
        "said told was were had did met made took gave went came saw got found left began brought "
        "held fell rose won lost paid sold bought sent spent hit struck led fled thought knew became "
        "ran wrote spoke broke chose drove flew grew threw stood sat quit ago last earlier yesterday "
        "killed died agreed reported announced wasn't weren't hadn't didn't been felt kept meant "
        "heard shot slid sank sought taught"
    ),
    "de": words(
        "hatte hatten war waren wurde wurden sagte sagten erklärte erklärten hat haben ist sind "
        "teilte teilten kam kamen gab ging gingen traf trafen fand fanden gestern vergangenen letzten "
        "zuvor"
    ),
    "fr": words(
        "a ont avait avaient était étaient fut furent été dit hier dernier dernière passé eu fait pris"
    ),
    "es": words(
        "dijo dijeron fue fueron ha han había habían era eran hizo hicieron ayer pasado pasada "
        "anterior estuvo tuvo"
    ),
    "it": words("ha hanno aveva avevano era erano fu furono stato stata detto ieri scorso scorsa passato"),
    "nl": words(
        "was waren had hadden werd werden heeft hebben zei zeiden vorige afgelopen gisteren verklaarde "
        "meldde antwoordde maakte stelde vond kwam kwamen ging gingen gaf stond bleef overleed"
    ),
    "pt": words("foi foram era eram tinha tinham disse disseram ontem passado passada anterior"),
}
_NOT_PAST_ED = words(
    "need indeed speed proceed exceed succeed feed bed red united limited based scheduled "
    "expected planned proposed related interested concerned hundred shed seed breed creed greed "
    "weed embed naked wicked sacred kindred deed bleed steed tied supposed"
)
_TIME_WORDS = frozenset(
    {"last", "next", "ago", "earlier", "later", "yesterday", "tomorrow", "coming", "letzten", "nächsten",
     "vergangenen", "kommenden", "gestern", "morgen", "dernier", "dernière", "prochain", "prochaine",
     "hier", "demain", "pasado", "pasada", "próximo", "próxima", "ayer", "mañana"}
)  # fmt: skip


def _cue(word: str, lang: str) -> int:
    if word in _FUTURE[lang] or (lang == "en" and word.endswith(("'ll", "’ll"))):
        return 1
    if word in _PAST[lang]:
        return -1
    if lang == "en" and len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST_ED:
        return -1
    if lang == "fr" and len(word) > 4:
        if word.endswith(("ra", "ront")):
            return 1
        if word.endswith(("ait", "aient", "é", "ée", "és", "ées")):
            return -1
    if lang == "es" and len(word) > 4:
        if word.endswith(("rá", "rán")):
            return 1
        if word.endswith(("ó", "aron", "ieron", "aba", "aban")):
            return -1
    if lang in ("de", "nl") and len(word) > 5 and word.startswith("ge") and word.endswith(("t", "d", "en")):
        return -1
    return _cue_more(word, lang)


_NOT_PARTICIPLES_IT = words("sabato mercato senato candidato sindacato risultato mandato attentato")


def _cue_more(word: str, lang: str) -> int:
    """Italian and Portuguese verb endings (future ``-rà``/``-rá``, past participles and preterites)."""
    if len(word) <= 4:
        return 0
    if lang == "it" and word not in _NOT_PARTICIPLES_IT:
        if word.endswith(("rà", "ranno")):
            return 1
        if word.endswith(("ato", "ata", "ati", "ate", "uto", "uta", "ito", "ita")):
            return -1
    if lang == "pt":
        if word.endswith(("rá", "rão")):
            return 1
        if word.endswith(("ou", "aram", "eram", "iram", "iu", "ava", "avam")):
            return -1
    return 0


def tense_near(text: str, start: int, end: int, lang: str) -> int:
    """-1, +1 or 0: the tense cue nearest the span ``text[start:end]`` (see the module docstring)."""
    lang = lang if lang in _FUTURE else "en"
    left = _BOUNDARY.split(text[max(0, start - 90) : start])[-1]
    for word in reversed([w.casefold() for w in _WORD.findall(left)][-10:]):
        cue = _cue(word, lang)
        if cue:
            return cue
    right = text[end : end + 60]
    stop = _BOUNDARY.search(right)
    if stop is not None:
        right = right[: stop.start()]
    for word in [w.casefold() for w in _WORD.findall(right)][:6]:
        if word in _TIME_WORDS:
            continue  # "last", "next", "ago" on the right belong to another time expression
        cue = _cue(word, lang)
        if cue:
            return cue
    return 0
