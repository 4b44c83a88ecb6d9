from __future__ import annotations

import pytest

from storyline.language import detect_language, with_language
from storyline.model import Article

SAMPLES = {
    "en": "NATO defence ministers meet on Wednesday for their first talks since the new president came in.",
    "de": "Die Verteidigungsminister der Nato treffen sich am Mittwoch zum ersten Mal seit dem Amtsantritt.",
    "fr": "Les ministres de la Défense de l'Otan se réunissent mercredi pour leurs premiers entretiens.",
    "es": "Los ministros de Defensa de la OTAN se reúnen el miércoles por primera vez desde la investidura.",
    "pl": "Ministrowie obrony NATO spotykają się w środę po raz pierwszy od zaprzysiężenia prezydenta.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_news_languages(lang: str) -> None:
    found, confidence = detect_language(SAMPLES[lang])
    assert found == lang and confidence > 0.5


def test_blank_text_has_no_language() -> None:
    assert detect_language("   \n ") == (None, 0.0)


def test_a_language_given_by_the_source_is_kept() -> None:
    article = with_language(Article(id="x", text=SAMPLES["de"], language="de"))
    assert (article.language, article.language_confidence) == ("de", 1.0)
    detected = with_language(Article(id="y", text=SAMPLES["fr"]))
    assert detected.language == "fr" and 0.5 < detected.language_confidence <= 1.0
