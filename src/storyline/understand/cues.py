"""Cue lexicons: the words that introduce reported speech, per language.

English: ``cues.json`` is a table learned on the tuning part (70 %) of PolNeAR: for each
lemma and part of speech, the frames (``ccomp``, ``para``, ``xcomp``, ``dobj``, ``prep:<word>``) in
which at least 25 % of its occurrences (3 or more) outside quotation marks were annotated cues
(``scripts/learn_quote_cues.py`` rebuilds it; the held-out 30 % is never read);
``CORE_FRAMES`` adds the frames of the core reporting verbs whatever the table says. The hand lists
``SPEECH_VERBS`` (take a clause: ``said that ...``) and ``OBJECT_VERBS`` (report with a plain
object: ``called for a ban``) serve French and the cheap sentence test. Other languages (de, es, it,
pt, nl, and French without its model) read ``speech.json``: reporting verbs as forms (de, nl, fr) or
as lemmas inflected by rule (es, it, pt: present, preterite and imperfect 3rd persons, and the
participle after an auxiliary, ``ha dicho``/``ha detto``), with their irregular forms; the phrases
of ``according to``; and the word lists of ``SpeechTable`` (determiners, person and topic nouns...).
``has_cue_word`` is the cheap test ``nlp.analyse`` uses to decide which sentences to parse.
This module sits beside the ``nlp`` and ``quotes`` packages, not in ``quotes``: ``nlp`` reads it
too, and ``quotes`` builds on ``nlp``.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from storyline.model import lang_code

__all__ = [
    "ACCORDING",
    "CORE_FRAMES",
    "CUE_FORMS",
    "OBJECT_VERBS",
    "PRONOUNS",
    "SPEECH",
    "SPEECH_VERBS",
    "SpeechTable",
    "cue_table",
    "has_cue_word",
    "inflect",
    "inflect_en",
]


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a lexicon literal (``_`` joins a multi-word form)."""
    return [w.replace("_", " ") for w in text.split()]


_EN_SPEECH = _words(
    """say tell add write suggest note argue ask report announce explain acknowledge claim insist continue
    point declare conclude state indicate warn tweet agree hope reveal question predict admit respond fear
    recall reply estimate assert worry assure promise wonder recognize recognise deny concede complain allege
    imply confirm emphasize emphasise stress post mention vow joke caution remind maintain signal demand
    reiterate remark contend proclaim testify clarify shout hint disclose believe observe comment speculate
    quip counter retort rebut inform notify underline underscore highlight tout boast brag lament grant
    guarantee swear advise instruct threaten urge recommend propose pledge forecast muse concur object protest
    plead whisper yell scream cry exclaim murmur mutter reason posit theorize surmise guess figure think feel
    know expect decry lecture"""
)
_EN_OBJECT = _words(
    """call ask describe endorse cite express respond offer promise mention denounce urge propose oppose
    defend blast criticize criticise slam praise attack accuse blame reject dismiss condemn support back tout
    pledge vow deny question demand threaten label dub brand hail applaud welcome thank"""
)
_EN_IRREGULAR = {
    "say": ["said"], "tell": ["told"], "write": ["wrote", "written"], "think": ["thought"],
    "feel": ["felt"], "know": ["knew", "known"], "swear": ["swore", "sworn"], "speak": ["spoke", "spoken"],
    "find": ["found"], "hear": ["heard"], "forecast": ["forecast"],
}  # fmt: skip

SPEECH_VERBS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN_SPEECH),
    "fr": frozenset(
        _words(
            """dire déclarer affirmer ajouter expliquer estimer souligner indiquer assurer annoncer préciser
            rappeler prévenir avertir insister juger considérer confier répondre répéter reconnaître raconter
            admettre noter observer constater marteler lancer poursuivre conclure écrire tweeter promettre
            démentir nier regretter dénoncer déplorer espérer craindre croire penser avouer révéler confirmer
            interroger demander plaider réclamer exiger prédire"""
        )
    ),
}
# Frames every English reporting verb keeps, whatever the learned table says.
CORE_FRAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": dict.fromkeys(
        _words("say tell add warn stress insist argue claim announce explain note declare state"),
        ("ccomp", "para"),
    )
    | {"warn": ("ccomp", "para", "prep:against", "prep:of", "dobj"), "tell": ("ccomp", "para", "xcomp")}
}
OBJECT_VERBS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN_OBJECT),
    "fr": frozenset(_words("dénoncer démentir nier réclamer exiger demander saluer critiquer condamner")),
}

# Languages without a parser: the table ``speech.json`` (per language: reporting-verb forms or lemmas
# with their irregular forms, auxiliaries, ``according to`` phrases, pronouns, determiners,
# complementisers, time words, person and topic nouns, words never shown as speakers).


@dataclass(frozen=True, slots=True)
class SpeechTable:
    """The word lists of one language that the parser-less quote rules read (``speech.json``)."""

    determiners: frozenset[str] = frozenset()
    complementisers: frozenset[str] = frozenset()
    time: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    unresolved: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()  # that join a speaker's head to its complement (des, del)
    stop: frozenset[str] = frozenset()  # function words that end a speaker phrase


def _speech_json() -> dict[str, dict[str, Any]]:
    raw = resources.files("storyline.understand").joinpath("speech.json").read_text(encoding="utf-8")
    table: dict[str, dict[str, Any]] = json.loads(raw)
    return table


# Regular endings by infinitive ending: 3rd person present (sg, pl), preterite (sg, pl), imperfect
# (sg, pl), and the past participle (used only after an auxiliary: ``ha dicho``, ``ha detto``).
_ENDINGS: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "es": {
        "ar": (("a", "an", "ó", "aron", "aba", "aban"), "ado"),
        "er": (("e", "en", "ió", "ieron", "ía", "ían"), "ido"),
        "ir": (("e", "en", "ió", "ieron", "ía", "ían"), "ido"),
    },
    "it": {
        "are": (("a", "ano", "ò", "arono", "ava", "avano"), "ato"),
        "ere": (("e", "ono", "é", "erono", "eva", "evano"), "uto"),
        "ire": (("e", "ono", "ì", "irono", "iva", "ivano"), "ito"),
    },
    "pt": {
        "ar": (("a", "am", "ou", "aram", "ava", "avam"), "ado"),
        "er": (("e", "em", "eu", "eram", "ia", "iam"), "ido"),
        "ir": (("e", "em", "iu", "iram", "ia", "iam"), "ido"),
    },
}
_PARTICIPLE_ENDINGS = ("ado", "ido", "ato", "uto", "ito", "to", "so", "cho", "é", "i", "u", "it", "is", "t")


def inflect(language: str, lemma: str) -> tuple[list[str], list[str]]:
    """(finite forms, past participles) of a regular ``lemma`` of ``language`` (es, it, pt)."""
    for ending, (finite, participle) in _ENDINGS.get(language, {}).items():
        if lemma.endswith(ending):
            stem = lemma[: -len(ending)]
            return [stem + e for e in finite], [stem + participle]
    return [lemma], []


def _plain_forms(language: str, entry: dict[str, Any]) -> frozenset[str]:
    """Every cue form of one language of ``speech.json``, auxiliary + participle forms included."""
    forms = set(_words(entry.get("forms", "")))
    participles: set[str] = set()
    for lemma in _words(entry.get("regular", "")):
        finite, parts = inflect(language, lemma)
        forms.update(finite)
        participles.update(parts)
    for irregular in entry.get("irregular", {}).values():
        for form in _words(irregular):
            (participles if form.endswith(_PARTICIPLE_ENDINGS[:7]) else forms).add(form)
    if language == "fr":  # French participles stand alone in the list (``a-t-il déclaré``)
        participles = {f for f in forms if f.endswith(("é", "it", "is", "u", "i"))}
    auxiliaries = _words(entry.get("auxiliaries", ""))
    forms.update(f"{aux} {part}" for aux in auxiliaries for part in participles)
    if language == "fr":
        forms.update(participles)
    return frozenset(forms)


_SPEECH = _speech_json()
SPEECH: dict[str, SpeechTable] = {
    lang: SpeechTable(
        **{
            name: frozenset(_words(entry.get(name, "")))
            for name in (
                "determiners",
                "complementisers",
                "time",
                "people",
                "topics",
                "unresolved",
                "prepositions",
                "stop",
            )
        }
    )
    for lang, entry in _SPEECH.items()
}
ACCORDING: dict[str, tuple[str, ...]] = {"en": ("according to",)} | {
    lang: tuple(entry.get("according", ())) for lang, entry in _SPEECH.items()
}
PRONOUNS: dict[str, dict[str, str]] = {
    "en": {"he": "m", "she": "f", "they": "p", "him": "m", "her": "f", "it": "n", "we": "p", "i": "s"},
} | {lang: dict(entry.get("pronouns", {})) for lang, entry in _SPEECH.items()}


@functools.cache
def cue_table(language: str) -> dict[str, dict[str, list[str]]]:
    """The learned cue table of ``language``: part of speech -> lemma -> frames (empty when none)."""
    raw = resources.files("storyline.understand").joinpath("cues.json").read_text(encoding="utf-8")
    table: dict[str, dict[str, dict[str, list[str]]]] = json.loads(raw)
    return table.get(language, {})


def inflect_en(lemma: str) -> list[str]:
    """The inflected forms of a regular English verb (``note`` -> notes, noted, noting), plus irregulars."""
    forms = [lemma, *_EN_IRREGULAR.get(lemma, [])]
    if lemma.endswith("e"):
        forms += [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms += [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms += [lemma + "es", lemma + "ed", lemma + "ing"]
    else:
        forms += [lemma + "s", lemma + "ed", lemma + "ing"]
    return forms


def _english_forms() -> frozenset[str]:
    table = cue_table("en")
    words = set(_EN_SPEECH) | set(_EN_OBJECT) | {lemma for lemmas in table.values() for lemma in lemmas}
    return frozenset(form for lemma in words for form in inflect_en(lemma)) | {"according"}


CUE_FORMS: dict[str, frozenset[str]] = {"en": _english_forms()} | {
    lang: _plain_forms(lang, entry) | frozenset(ACCORDING.get(lang, ())) for lang, entry in _SPEECH.items()
}


@functools.cache
def _cue_pattern(language: str) -> re.Pattern[str]:
    forms = CUE_FORMS.get(language) or frozenset().union(*CUE_FORMS.values())
    alternatives = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def has_cue_word(sentence: str, language: str | None) -> bool:
    """Whether ``sentence`` holds a cue word of ``language`` (of any language when it is unknown)."""
    return bool(_cue_pattern(lang_code(language)).search(sentence))
