"""Which way a relative date points: the tense of the clause around a time expression.

No parser: the nearest tense cue wins, looking first left of the expression (up to ten words, not
past a clause boundary), then right of it (six words). Cues are auxiliaries and modal verbs
(``will``, ``wird``, ``va``, ``será``), past forms (``said``, ``-ed``, ``hatte``, ``a déclaré``,
``dijo``) and an English ``to`` followed by a verb (``set to resume Monday``).
Returns -1 (past), +1 (future) or 0 (no cue).
"""

from __future__ import annotations

import logging
import re

__all__ = ["tense_near"]

LOGGER = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_BOUNDARY = re.compile(r"[.;:!?\n\"“”«»()]|\s[–—-]\s")

_FUTURE = {
    "en": frozenset(
        ["will", "shall", "won't", "'ll", "going", "gonna", "scheduled", "expected", "expects", "expect", "plans", "plan", "planned", "intends", "intend", "due", "upcoming", "next", "would", "wouldn't", "hopes", "hope", "aims", "aim", "set", "slated", "poised", "later", "tomorrow", "until", "coming"]
    ),
    "de": frozenset(
        ["wird", "werden", "wirst", "werde", "soll", "sollen", "sollte", "sollten", "will", "wollen", "plant", "planen", "geplant", "kommenden", "kommende", "nächsten", "nächste", "bis", "morgen", "voraussichtlich", "dürfte", "dürften"]
    ),
    "fr": frozenset(
        ["va", "vont", "sera", "seront", "aura", "auront", "devrait", "devraient", "doit", "doivent", "prévu", "prévue", "prévus", "prochain", "prochaine", "demain", "jusqu'à", "compte", "comptent"]
    ),
    "es": frozenset(
        ["va", "van", "será", "serán", "habrá", "prevé", "prevén", "previsto", "prevista", "próximo", "próxima", "mañana", "hasta", "planea", "planean", "debe", "deben", "deberá"]
    ),
}
_PAST = {
    "en": frozenset(
        ["said", "told", "was", "were", "had", "did", "met", "made", "took", "gave", "went", "came", "saw", "got", "found", "left", "began", "brought", "held", "fell", "rose", "won", "lost", "paid", "sold", "bought", "sent", "spent", "hit", "struck", "led", "fled", "thought", "knew", "became", "ran", "wrote", "spoke", "broke", "chose", "drove", "flew", "grew", "threw", "stood", "sat", "quit", "ago", "last", "earlier", "yesterday", "killed", "died", "agreed", "reported", "announced", "wasn't", "weren't", "hadn't", "didn't", "been", "felt", "kept", "meant", "heard", "shot", "slid", "sank", "sought", "taught"]
    ),
    "de": frozenset(
        ["hatte", "hatten", "war", "waren", "wurde", "wurden", "sagte", "sagten", "erklärte", "erklärten", "hat", "haben", "ist", "sind", "teilte", "teilten", "kam", "kamen", "gab", "ging", "gingen", "traf", "trafen", "fand", "fanden", "gestern", "vergangenen", "letzten", "zuvor"]
    ),
    "fr": frozenset(
        ["a", "ont", "avait", "avaient", "était", "étaient", "fut", "furent", "été", "dit", "hier", "dernier", "dernière", "passé", "eu", "fait", "pris"]
    ),
    "es": frozenset(
        ["dijo", "dijeron", "fue", "fueron", "ha", "han", "había", "habían", "era", "eran", "hizo", "hicieron", "ayer", "pasado", "pasada", "anterior", "estuvo", "tuvo"]
    ),
}
_NOT_PAST_ED = frozenset(
    ["need", "indeed", "speed", "proceed", "exceed", "succeed", "feed", "bed", "red", "united", "limited", "based", "scheduled", "expected", "planned", "proposed", "related", "interested", "concerned", "hundred", "shed", "seed", "breed", "creed", "greed", "weed", "embed", "naked", "wicked", "sacred", "kindred", "deed", "bleed", "steed", "tied", "supposed"]
)
_NOT_VERB_AFTER_TO = frozenset(
    ["the", "a", "an", "his", "her", "its", "their", "this", "that", "these", "those", "some", "any", "all", "our", "my", "your", "be", "date", "power", "office", "court", "jail", "prison", "hospital", "war"]
)


def _cue(word: str, right: str | None, lang: str) -> int:
    if word in _FUTURE[lang] or (lang == "en" and word.endswith(("'ll", "’ll"))):
        return 1
    if lang == "en" and word == "to" and right and right not in _NOT_VERB_AFTER_TO and right.isalpha():
        return 1 if not right.endswith(("ed", "ing")) else 0
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
    if lang == "de" and len(word) > 5 and word.startswith("ge") and word.endswith(("t", "en")):
        return -1
    return 0


def tense_near(text: str, start: int, end: int, lang: str) -> int:
    """-1, +1 or 0: the tense cue nearest the span ``text[start:end]`` (see the module docstring)."""
    lang = lang if lang in _FUTURE else "en"
    left = text[max(0, start - 90) : start]
    cut = None
    for cut in _BOUNDARY.finditer(left):
        pass
    if cut is not None:
        left = left[cut.end() :]
    words = [w.casefold() for w in _WORD.findall(left)][-10:]
    right_of: str | None = None
    for word in reversed(words):
        cue = _cue(word, right_of, lang)
        if cue:
            return cue
        right_of = word
    right = text[end : end + 60]
    stop = _BOUNDARY.search(right)
    if stop is not None:
        right = right[: stop.start()]
    after = [w.casefold() for w in _WORD.findall(right)][:6]
    for i, word in enumerate(after):
        cue = _cue(word, after[i + 1] if i + 1 < len(after) else None, lang)
        if cue:
            return cue
    return 0
