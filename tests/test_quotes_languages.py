"""Issue 16 part 6: quotes beyond English (de, es, it, pt, nl; French without its model).

Hand-written sentences (this project's own) with „…“, »…«, «…», dialogue dashes, post-posed cues
and ``laut``/``según``/``secondo``... phrases; pronoun and relative-word speakers are never shown;
speakers come from NER entity spans when the NLP pass has them (hand-built ``Analysis`` here).
"""

from __future__ import annotations

import pytest

from storyline.understand.nlp import Analysis, EntitySpan, raw_sentences
from storyline.understand.quotes import DEFAULT_MIN_CONFIDENCE, check_speaker, find_attributions


def _shown(text: str, lang: str, entities: tuple[EntitySpan, ...] = ()) -> list[tuple[str, str | None]]:
    """(content, speaker) of the quotes shown by default, found without a parser."""
    analysis = Analysis(text, lang, tuple(raw_sentences(text)), (), entities, False)
    found = find_attributions(text, article_id="t", language=lang, analysis=analysis)
    return [
        (a.quote.text, a.quote.speaker)
        for a in found
        if a.quote.confidence is None or a.quote.confidence >= DEFAULT_MIN_CONFIDENCE
    ]


def _entity(text: str, name: str, label: str = "PER") -> EntitySpan:
    start = text.index(name)
    return EntitySpan(start, start + len(name), label, name)


@pytest.mark.parametrize(
    ("lang", "text", "content", "speaker"),
    [
        ("de", "„Wir werden das Projekt fortsetzen“, sagte die Ministerin am Dienstag.",
         "Wir werden das Projekt fortsetzen", "die Ministerin"),
        ("de", "»Die Lage ist ernst, aber beherrschbar«, erklärte am Abend der Bürgermeister.",
         "Die Lage ist ernst, aber beherrschbar", "der Bürgermeister"),
        ("de", "Die Brücke bleibt bis Ende Juni gesperrt, sagte ein Sprecher der Stadtverwaltung.",
         "Die Brücke bleibt bis Ende Juni gesperrt", "ein Sprecher"),
        ("de", "Laut Feuerwehr wurden bei dem Brand drei Menschen verletzt.",
         "wurden bei dem Brand drei Menschen verletzt", "Feuerwehr"),
        ("es", "«Vamos a ganar estas elecciones», dijo el candidato en un mitin.",
         "Vamos a ganar estas elecciones", "el candidato"),
        ("es", "—No tenemos miedo de nadie —dijo la alcaldesa—. Luego se marchó.",
         "No tenemos miedo de nadie", "la alcaldesa"),
        ("es", "Según la policía, el incendio comenzó en la cocina del restaurante.",
         "el incendio comenzó en la cocina del restaurante", "la policía"),
        ("es", "El puente estará cerrado hasta junio, afirmó el portavoz municipal.",
         "El puente estará cerrado hasta junio", "el portavoz municipal"),
        ("it", "«Non ci sono alternative al piano», ha detto il ministro ieri sera.",
         "Non ci sono alternative al piano", "il ministro"),
        ("it", "Secondo i carabinieri, l'uomo era armato e pericoloso.",
         "l'uomo era armato e pericoloso", "i carabinieri"),
        ("pt", "«Vamos continuar a lutar pelos nossos direitos», afirmou o presidente da câmara.",
         "Vamos continuar a lutar pelos nossos direitos", "o presidente"),
        ("pt", "O presidente disse que as obras terminam em março.",
         "que as obras terminam em março", "O presidente"),
        ("nl", "„We gaan gewoon door met het project”, zei de burgemeester.",
         "We gaan gewoon door met het project", "de burgemeester"),
        ("nl", "Volgens de politie was de bestuurder onder invloed van alcohol.",
         "was de bestuurder onder invloed van alcohol", "de politie"),
    ],
)  # fmt: skip
def test_quote_and_speaker_per_language(lang: str, text: str, content: str, speaker: str) -> None:
    assert (content, speaker) in _shown(text, lang)


def test_pronoun_speaker_is_not_shown_without_an_antecedent() -> None:
    for lang, text in [
        ("de", "„Das ist ein schwerer Fehler gewesen“, sagte er am Montag."),
        ("es", "«Es un error muy grave para todos», dijo él."),
        ("it", "«È stato un errore molto grave», ha detto lei."),
        ("nl", "„Het was een ernstige fout van iedereen”, zei hij."),
    ]:
        shown = _shown(text, lang)
        assert shown and all(speaker is None for _, speaker in shown), (lang, shown)


def test_pronoun_speaker_resolves_to_the_preceding_person_entity() -> None:
    text = "Anna Berger leitet das Amt seit 2019. „Wir sind auf alles vorbereitet“, sagte sie."
    shown = _shown(text, "de", (_entity(text, "Anna Berger"),))
    assert shown == [("Wir sind auf alles vorbereitet", "Anna Berger")]


def test_person_entity_next_to_the_cue_is_preferred() -> None:
    text = "Zwei Surfer seien Rettungsschwimmer gewesen, sagte Den Haags Bürgermeister Pat Smith im Radio."
    assert _shown(text, "de", (_entity(text, "Pat Smith"),))[0][1] == "Pat Smith"
    text = "«El acuerdo llegará pronto», dijo a la prensa Marta López, ministra de Hacienda."
    assert _shown(text, "es", (_entity(text, "Marta López"),)) == [
        ("El acuerdo llegará pronto", "Marta López")
    ]


def test_relative_words_and_pronouns_are_refused_in_every_language() -> None:
    for word in [
        "er",
        "sie",
        "der",
        "die",
        "él",
        "ella",
        "que",
        "lui",
        "lei",
        "che",
        "ele",
        "hij",
        "zij",
        "wat",
    ]:
        assert check_speaker(word, 0, len(word), []).status == "refused", word


def test_topic_phrases_headline_colons_and_names_in_quotes_are_not_attributions() -> None:
    assert _shown("Laut einer neuen Studie steigen die Mieten in allen Großstädten weiter.", "de") in (
        [],
        [("steigen die Mieten in allen Großstädten weiter", None)],
    )
    assert _shown("Corona: Schulen bleiben bis Ostern geschlossen\nDie Regierung berät.", "de") == []
    nickname = _shown('La hermana de Jorge "La Hiena" Barrios dijo que no vio nada.', "es")
    assert nickname == [("que no vio nada", 'La hermana de Jorge "La Hiena" Barrios')] or all(
        content != "La Hiena" for content, _ in nickname
    )
    assert ("La Hiena", None) not in _shown('Jorge "La Hiena" Barrios, dijo la policía, fue herido.', "es")


def test_scare_quotes_are_not_shown() -> None:
    for lang, text in [
        ("de", "Die Regierung nennt das Gesetz ein „Zukunftspaket“ für alle."),
        ("es", "El ministro defendió el «rescate» de los bancos ante el Congreso."),
        ("it", "Il sindaco ha presentato il piano «rivoluzionario» per la città."),
    ]:
        assert all(len(c.split()) > 2 for c, _ in _shown(text, lang)), (lang, _shown(text, lang))


def test_laut_as_an_adjective_is_no_cue() -> None:
    assert _shown("Die Proteste gegen das Projekt sind seit Wochen laut.", "de") == []
