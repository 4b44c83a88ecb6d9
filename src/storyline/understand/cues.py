"""Cue lexicons: the words that introduce reported speech, per language.

English: ``cues.json`` is a table learned on the tuning part (70 %) of PolNeAR: for each
lemma and part of speech, the frames (``ccomp``, ``para``, ``xcomp``, ``dobj``, ``prep:<word>``) in
which at least 25 % of its occurrences (3 or more) outside quotation marks were annotated cues
(``scripts/learn_quote_cues.py`` rebuilds it; the held-out 30 % is never read);
``CORE_FRAMES`` adds the frames of the core reporting verbs whatever the table says. The hand lists
``SPEECH_VERBS`` (take a clause: ``said that ...``) and ``OBJECT_VERBS`` (report with a plain
object: ``called for a ban``) serve French and the cheap sentence test. Other languages list their
reporting verbs in the forms news text uses (no lemmatizer is needed for them), and the prepositions
of ``according to``.
``has_cue_word`` is the cheap test ``nlp.analyse`` uses to decide which sentences to parse.
This module sits beside the ``nlp`` and ``quotes`` packages, not in ``quotes``: ``nlp`` reads it
too, and ``quotes`` builds on ``nlp``.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from storyline.model import lang_code

__all__ = [
    "ACCORDING",
    "CORE_FRAMES",
    "CUE_FORMS",
    "OBJECT_VERBS",
    "PRONOUNS",
    "SPEECH_VERBS",
    "cue_table",
    "has_cue_word",
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

# Surface forms for languages without a parser (and for the cheap sentence test in every language).
_FORMS = {
    "de": """sagte sagten sagt sagen gesagt erklärte erklärten erklärt betonte betonten betont sagte
        warnte warnten warnt fügte_hinzu teilte_mit teilten_mit meinte meinten meint forderte
        forderten fordert kündigte_an kritisierte kritisiert unterstrich unterstrichen versicherte räumte_ein
        erläuterte berichtete berichtet berichteten schrieb schreibt twitterte antwortete antwortet
        zitiert zitierte bekräftigte verkündete bestätigte bestätigt dementierte mahnte betonen erklären
        glaubt glaubte hofft hoffte befürchtet befürchtete behauptete behauptet argumentierte""",
    "es": """dijo dice dicen dijeron afirmó afirma afirmaron aseguró asegura aseguraron declaró declara
        explicó explica añadió agregó añade agrega señaló señala indicó indica advirtió advierte subrayó
        destacó destaca insistió manifestó sostuvo sostiene comentó apuntó precisó reconoció anunció
        anuncia respondió escribió tuiteó recordó criticó denunció pidió reiteró considera consideró
        cree creía opinó""",
    "it": """ha_detto detto dice disse dichiarato dichiarò ha_dichiarato affermato affermò afferma spiegato
        spiegò spiega aggiunto aggiunse aggiunge sottolineato sottolineò sottolinea osservato ribadito
        ribadì annunciato annunciò avvertito avvertì assicurato assicurò precisato precisò ricordato
        ricordò commentato commentò scritto scrisse risposto rispose dichiara ammesso ammise criticato
        denunciato sostiene sostenuto evidenziato""",
    "pt": """disse diz dizem disseram afirmou afirma afirmaram declarou declara explicou explica
        acrescentou acrescenta salientou sublinhou destacou destaca garantiu garante assegurou advertiu
        alertou alerta ressaltou observou indicou anunciou anuncia respondeu escreveu comentou lembrou
        recordou reconheceu sustentou defendeu criticou denunciou insistiu considerou considera""",
    "nl": """zei zegt zeggen zeiden gezegd verklaarde verklaart verklaarden stelde stelt benadrukte
        benadrukt waarschuwde waarschuwt voegde_toe liet_weten laat_weten meldde meldt schreef schrijft
        antwoordde antwoordt vertelde vertelt kondigde_aan erkende zegde beklemtoonde onderstreepte
        bevestigde reageerde reageert vindt vond denkt dacht twitterde""",
    "fr": """dit déclaré déclare affirmé affirme ajouté ajoute expliqué explique estimé estime souligné
        souligne indiqué indique assuré assure annoncé annonce précisé précise rappelé rappelle prévenu
        averti insisté insiste jugé juge considéré considère confié confie répondu répond répété répète
        reconnu reconnaît raconté raconte admis noté note observé constaté martelé lancé poursuivi
        conclu écrit tweeté promis démenti nié regretté dénoncé déploré espère craint croit pense avoué
        révélé confirmé demandé plaidé réclamé exigé selon""",
}
ACCORDING: dict[str, tuple[str, ...]] = {
    "en": ("according to",),
    "fr": ("selon", "d'après", "d’après"),
    "de": ("laut", "zufolge", "nach Angaben", "nach Ansicht"),
    "es": ("según", "de acuerdo con"),
    "it": ("secondo", "stando a"),
    "pt": ("segundo", "de acordo com", "conforme"),
    "nl": ("volgens", "aldus"),
}
PRONOUNS: dict[str, dict[str, str]] = {
    "en": {"he": "m", "she": "f", "they": "p", "him": "m", "her": "f", "it": "n", "we": "p", "i": "s"},
    "fr": {"il": "m", "elle": "f", "ils": "p", "elles": "p", "lui": "m", "on": "p"},
    "de": {"er": "m", "sie": "f"},
    "es": {"él": "m", "ella": "f", "ellos": "p", "ellas": "p"},
    "it": {"lui": "m", "lei": "f", "loro": "p"},
    "pt": {"ele": "m", "ela": "f", "eles": "p", "elas": "p"},
    "nl": {"hij": "m", "zij": "f", "ze": "f"},
}


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
    lang: frozenset(_words(text)) | frozenset(w for p in ACCORDING.get(lang, ()) for w in p.split()[:1])
    for lang, text in _FORMS.items()
}


@functools.cache
def _cue_pattern(language: str) -> re.Pattern[str]:
    forms = CUE_FORMS.get(language) or frozenset().union(*CUE_FORMS.values())
    alternatives = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def has_cue_word(sentence: str, language: str | None) -> bool:
    """Whether ``sentence`` holds a cue word of ``language`` (of any language when it is unknown)."""
    return bool(_cue_pattern(lang_code(language)).search(sentence))
