"""Figures: values, units and what they count; what is not a figure; languages; offsets."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Figure
from storyline.understand.figures import find_figures

# Sentences from the AFP seed (Brussels, 2021-02-17).
AFP = (
    "Key to the agenda for the two-day virtual conference is the future of NATO’s 9,600-strong support "
    "mission in Afghanistan after Trump sidelined his allies.\n\n"
    "Trump reduced the number of American troops in his last days in power to 2,500 – their lowest "
    "number since the war began in 2001.\n\n"
    "Trump has harangued top countries like Germany as he pressured them to increase defense spending "
    "to 2% of gross domestic product.\n\n"
    "President Recep Tayyip Erdogan blasted Washington’s response to the killing of 13 Turks by Kurdish "
    "forces in Iraq, including the Article 5 obligation and S-400 air defense systems."
)


def figures(text: str, language: str = "en") -> list[Figure]:
    return find_figures(text, article_id="a1", language=language)


def summary(text: str, language: str = "en") -> dict[str, tuple[float, str | None, str | None]]:
    return {f.text: (f.value, f.unit, f.counts) for f in figures(text, language)}


def test_afp_seed_figures_and_what_they_count() -> None:
    result = summary(AFP)
    assert result == {
        "9,600-strong": (9600.0, None, "mission"),
        "2,500": (2500.0, None, "troops"),
        "2%": (0.02, "%", "gross domestic product"),
        "13": (13.0, None, "Turks"),
    }
    assert all(AFP[f.start : f.end] == f.text and f.article_id == "a1" for f in figures(AFP))


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "counts"),
    [
        ("NATO sent 2,500 troops.", "2,500", 2500, None, "troops"),
        ("The fund holds $1.2 billion.", "$1.2 billion", 1.2e9, "USD", None),
        ("A grant of €50m was paid.", "€50m", 5e7, "EUR", None),
        ("It helps 3.5 million people.", "3.5 million", 3.5e6, None, "people"),
        ("About two-thirds of voters agreed.", "two-thirds", 2 / 3, None, "voters"),
        ("There were twelve soldiers.", "twelve", 12, None, "soldiers"),
        ("Rates rose 5 percentage points.", "5 percentage points", 0.05, "pp", None),
        ("The pipeline is 300 km long.", "300 km", 300, "km", None),
        ("Output is 1.5 million barrels a day.", "1.5 million barrels", 1.5e6, "bbl", None),
        ("It sold 40 km of road.", "40 km", 40, "km", "road"),
        ("They paid 40 billion dollars.", "40 billion dollars", 4e10, "USD", None),
    ],
)
def test_english_figures(text: str, span: str, value: float, unit: str | None, counts: str | None) -> None:
    got = summary(text)[span]
    assert math.isclose(got[0], value, rel_tol=1e-6) and got[1:] == (unit, counts)


@pytest.mark.parametrize(
    ("language", "text", "span", "value", "unit", "counts"),
    [
        ("de", "Die Mission umfasst 1.000 Soldaten.", "1.000", 1000, None, "Soldaten"),
        ("de", "Sie kostet 1,5 Milliarden Euro.", "1,5 Milliarden Euro", 1.5e9, "EUR", None),
        ("de", "Die Inflation lag bei 2,5 %.", "2,5 %", 0.025, "%", None),
        ("de", "Zwei Millionen Menschen flohen.", "Zwei Millionen", 2e6, None, "Menschen"),
        ("de", "Zwei Drittel der Wähler stimmten zu.", "Zwei Drittel", 2 / 3, None, "Wähler"),
        ("fr", "La mission compte 9 600 soldats américains.", "9 600", 9600, None, "soldats"),
        ("fr", "Elle coûte 1,2 milliard d'euros.", "1,2 milliard d'euros", 1.2e9, "EUR", None),
        ("fr", "Soit 2 % du PIB.", "2 %", 0.02, "%", "PIB"),
        ("es", "La misión cuenta con 9.600 soldados.", "9.600", 9600, None, "soldados"),
        ("es", "Cuesta 3 mil millones de dólares.", "3 mil millones de dólares", 3e9, "USD", None),
        ("es", "Un 2,5 % del PIB.", "2,5 %", 0.025, "%", "PIB"),
        ("es", "Llegaron doce soldados.", "doce", 12, None, "soldados"),
    ],
)
def test_other_languages(
    language: str, text: str, span: str, value: float, unit: str | None, counts: str | None
) -> None:
    got = summary(text, language)[span]
    assert math.isclose(got[0], value, rel_tol=1e-6) and got[1:] == (unit, counts)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The war began in 2001."),
        ("en", "The deadline is May 1, and talks start at 10:30 a.m. on 2021-02-17."),
        ("en", "It is the 21st century and the 3rd round."),
        ("en", "Under Article 5, S-400 systems and the 9/11 attacks."),
        ("en", "The 70-year-old alliance met for two years."),
        ("en", "One of them left."),
        ("de", "Am 1. Mai um 10.30 Uhr, im 20. Jahrhundert, nach Artikel 5, im Jahr 2021, drei Jahre lang."),
        ("fr", "Le 1er mai 2021 à 21h30, au XXe siècle."),
        ("es", "El 1 de mayo de 2021 a las 21:30 horas."),
    ],
)
def test_not_figures(language: str, text: str) -> None:
    assert figures(text, language) == []


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.lists(
            st.sampled_from(["2,500", "1.000", "9 600", "$", "€", "50m", "two", "-thirds", "%", "of",
                             "troops", "million", "Milliarden", "Euro", "May", "1", "2021", "10:30", "a.m.",
                             "Article", "the", "-strong", ",", ".", "d'euros", "de", "1,5", "\n"]),
            max_size=25,
        ).map(" ".join),
    ),
    language=st.sampled_from(["en", "de", "fr", "es", None]),
)  # fmt: skip
def test_any_text_gives_figures_that_slice_the_text(text: str, language: str | None) -> None:
    found = find_figures(text, article_id="x", language=language)
    assert all(text[f.start : f.end] == f.text and f.start < f.end for f in found)
    assert all(math.isfinite(f.value) for f in found)
