"""Datelines, bylines and agency names: every supported style, and sentences that must not count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.extract import Dateline, parse_dateline
from storyline.extract.bylines import find_byline_agency
from storyline.extract.datelines import locate_dateline, tidy_place
from storyline.extract.lexicon import MONTHS, canonical_agency

BODY = "NATO defence ministers met on Wednesday."

# (dateline as it opens the text, place, agency, month, day, year)
STYLES = [
    ("Brussels (dpa) – ", "Brussels", "dpa", None, None, None),
    ("BRUSSELS, Feb 17 (Reuters) - ", "Brussels", "Reuters", 2, 17, None),
    ("WASHINGTON (AP) — ", "Washington", "AP", None, None, None),
    ("PARIS, 3 mars (AFP) - ", "Paris", "AFP", 3, 3, None),
    ("BERLIN, 17. Februar (dpa) - ", "Berlin", "dpa", 2, 17, None),
    ("Berlin (dpa/AFP) - ", "Berlin", "dpa", None, None, None),
    ("MADRID, 17 feb (EFE).- ", "Madrid", "EFE", 2, 17, None),
    ("Bruselas, 17 feb (EFE).- ", "Bruselas", "EFE", 2, 17, None),
    ("ROMA, 17 FEB - (ANSA) - ", "Roma", "ANSA", 2, 17, None),
    ("(ANSA) - ROMA, 17 FEB - ", "Roma", "ANSA", 2, 17, None),
    ("BEIJING, Feb. 17 (Xinhua) -- ", "Beijing", "Xinhua", 2, 17, None),
    ("WARSZAWA (PAP) - ", "Warszawa", "PAP", None, None, None),
    ("ANKARA (AA) - ", "Ankara", "Anadolu", None, None, None),
    ("Ankara (Anadolu Agency) - ", "Ankara", "Anadolu", None, None, None),
    ("TOKYO, Feb 17 (Kyodo) - ", "Tokyo", "Kyodo", 2, 17, None),
    ("WASHINGTON, Feb. 17 (UPI) -- ", "Washington", "UPI", 2, 17, None),
    ("NEW YORK (Reuters) - ", "New York", "Reuters", None, None, None),
    ("KABUL, Afghanistan (AP) — ", "Kabul", "AP", None, None, None),
    ("LONDON, February 17, 2021 (Reuters) - ", "London", "Reuters", 2, 17, 2021),
    ("Brüssel (dpa) - ", "Brüssel", "dpa", None, None, None),
    ("SÃO PAULO, 17 fev (Reuters) - ", "São Paulo", "Reuters", 2, 17, None),
    ("Brussels/Washington (dpa) - ", "Brussels", "dpa", None, None, None),
    ("BRUSSELS — ", "Brussels", None, None, None, None),
    ("Genève, 17 février (AFP) - ", "Genève", "AFP", 2, 17, None),
    ("MOSCOW, Feb 17 (Reuters) - ", "Moscow", "Reuters", 2, 17, None),
    ("NEW DELHI (AP) - ", "New Delhi", "AP", None, None, None),
    ("Rio de Janeiro, 17 de fevereiro (Lusa) - ", "Rio de Janeiro", "Lusa", 2, 17, None),
    ("Wien (APA) - ", "Wien", "APA", None, None, None),
    ("Den Haag (ANP) - ", "Den Haag", "ANP", None, None, None),
    ("Lisboa, 17 fev (Lusa) - ", "Lisboa", "Lusa", 2, 17, None),
    ("SEOUL, Feb. 17 (Yonhap) -- ", "Seoul", "Yonhap", 2, 17, None),
    ("Moskau (dpa) - ", "Moskau", "dpa", None, None, None),
    ("UNITED NATIONS (AP) - ", "United Nations", "AP", None, None, None),
    # more shapes and languages
    ("WARSZAWA, 17 lutego (PAP) - ", "Warszawa", "PAP", 2, 17, None),
    ("AMSTERDAM, 17 februari (ANP) - ", "Amsterdam", "ANP", 2, 17, None),
    ("MILANO, 17 febbraio (ANSA) - ", "Milano", "ANSA", 2, 17, None),
    ("PARIS, 1er mars (AFP) - ", "Paris", "AFP", 3, 1, None),
    ("Wien, 17. Jänner 2021 (APA) - ", "Wien", "APA", 1, 17, 2021),
    ("BERLIN, 3. MÄRZ (dpa) - ", "Berlin", "dpa", 3, 3, None),
    ("Paris, 17 févr. (AFP) - ", "Paris", "AFP", 2, 17, None),
    ("WASHINGTON, Sept. 9 (Reuters) - ", "Washington", "Reuters", 9, 9, None),
    ("LISBOA, 5 out (Lusa) - ", "Lisboa", "Lusa", 10, 5, None),
    ("BRUSSELS, Feb 17 (Reuters): ", "Brussels", "Reuters", 2, 17, None),
    ("PORT-AU-PRINCE, Haiti (AP) — ", "Port-au-Prince", "AP", None, None, None),
    ("WASHINGTON, D.C., Feb 17 (UPI) - ", "Washington", "UPI", 2, 17, None),
    ("Frankfurt am Main (dpa-AFX) - ", "Frankfurt am Main", "dpa", None, None, None),
    ("MOSCOW (Interfax) - ", "Moscow", "Interfax", None, None, None),
    ("NEW DELHI, Feb 17 (PTI) - ", "New Delhi", "PTI", 2, 17, None),
    ("BRUXELLES (Belga) - ", "Bruxelles", "Belga", None, None, None),
    ("MADRID, 17 Feb. (Europa Press) - ", "Madrid", "Europa Press", 2, 17, None),
    ("LONDON (Bloomberg) -- ", "London", "Bloomberg", None, None, None),
    ("MOSCOW, Feb 17 (TASS) - ", "Moscow", "TASS", 2, 17, None),
    ("BONN (KNA) - ", "Bonn", "KNA", None, None, None),
    ("PARIS (Agence France-Presse) - ", "Paris", "AFP", None, None, None),
    ("NEW YORK (Associated Press) — ", "New York", "AP", None, None, None),
    ("BERLIN (Deutsche Presse-Agentur) - ", "Berlin", "dpa", None, None, None),
    ("BRUSSELS, Feb 17 — ", "Brussels", None, 2, 17, None),
    ("   BRUSSELS (Reuters) - ", "Brussels", "Reuters", None, None, None),
    ("(AFP) - ", None, "AFP", None, None, None),
]


@pytest.mark.parametrize(("opener", "place", "agency", "month", "day", "year"), STYLES, ids=lambda v: str(v))
def test_dateline_style(
    opener: str, place: str | None, agency: str | None, month: int | None, day: int | None, year: int | None
) -> None:
    text = opener + BODY
    found = parse_dateline(text)
    assert found is not None
    assert (found.place, found.agency) == (place, agency)
    assert (found.month, found.day, found.year) == (month, day, year)
    assert found.end == len(opener)
    assert text[found.end :] == BODY


def test_there_are_at_least_thirty_styles() -> None:
    assert len(STYLES) >= 30


def test_old_ap_style_without_a_dash_needs_capitals() -> None:
    found = parse_dateline("WASHINGTON (AP) The Senate voted on Tuesday.")
    assert found == Dateline("Washington", "AP", None, None, None, 16)
    assert parse_dateline("Brussels (dpa) According to NATO, the plan holds.") is None


def test_agency_first_followed_by_a_sentence_keeps_only_the_agency() -> None:
    text = "(AFP) - The minister said - and repeated it - that talks would go on."
    found = parse_dateline(text)
    assert found == Dateline(None, "AFP", None, None, None, 8)
    assert text[found.end :].startswith("The minister")


@pytest.mark.parametrize(
    "text",
    [
        "The minister (who spoke to AP) said the talks would resume.",
        "NATO defense ministers meet on Wednesday for their first talks.",
        "However, the minister (AFP) - a veteran - disagreed.",
        "Meanwhile, ministers met in Brussels on Feb 17 (Reuters reported) - briefly.",
        "Brussels, the seat of NATO, hosted the meeting.",
        "NATO — the alliance — met again.",
        "The minister (AP) said nothing.",
        "In Brussels (dpa) - the ministers met.",
        "BREAKING - NATO ministers meet",
        "By Jane Doe (Reuters) - NATO ministers met.",
        "Ministers met. BRUSSELS (Reuters) - a late dateline does not count.",
        "",
        "   ",
        "(Foo News) - an unknown agency.",
        "Stoltenberg, 61, said (AFP) - nothing new.",
    ],
)
def test_ordinary_sentences_are_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None


def test_parse_dateline_from_an_offset() -> None:
    text = "Headline\n\nBRUSSELS (Reuters) - Body."
    found = parse_dateline(text, 10)
    assert found is not None
    assert found.place == "Brussels"
    assert text[found.end :] == "Body."


def test_locate_dateline_skips_a_byline_line() -> None:
    text = "By Jane Doe\n\nBRUSSELS, Feb 17 (Reuters) - NATO met."
    found = locate_dateline(text)
    assert found is not None
    assert (found.place, found.agency, found.month, found.day) == ("Brussels", "Reuters", 2, 17)
    assert text[found.end :] == "NATO met."


@pytest.mark.parametrize(
    ("place", "tidy"),
    [
        ("BRUSSELS", "Brussels"),
        ("NEW YORK", "New York"),
        ("RIO DE JANEIRO", "Rio de Janeiro"),
        ("SÃO PAULO", "São Paulo"),
        ("PORT-AU-PRINCE", "Port-au-Prince"),
        ("THE HAGUE", "The Hague"),
        ("ST. LOUIS", "St. Louis"),
        ("N'DJAMENA", "N'Djamena"),
        ("Den Haag", "Den Haag"),
        ("McAllen", "McAllen"),
    ],
)
def test_tidy_place(place: str, tidy: str) -> None:
    assert tidy_place(place) == tidy


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Associated Press", "AP"),
        ("agence france-presse", "AFP"),
        ("AA", "Anadolu"),
        ("Anadolu Agency", "Anadolu"),
        ("Deutsche Presse-Agentur", "dpa"),
        ("DPA", "dpa"),
        ("Press Trust of India", "PTI"),
        ("europa press", "Europa Press"),
        ("ITAR-TASS", "TASS"),
        ("Yonhap News Agency", "Yonhap"),
        ("The Daily Example", None),
    ],
)
def test_canonical_agency(name: str, canonical: str | None) -> None:
    assert canonical_agency(name) == canonical


def test_month_names_cover_eight_languages() -> None:
    feb = ["feb", "february", "februar", "février", "fevrier", "febrero", "febbraio", "fevereiro"]
    assert {MONTHS[w] for w in [*feb, "februari", "lutego", "luty", "lut", "fev"]} == {2}
    assert MONTHS["märz"] == MONTHS["mrt"] == MONTHS["marca"] == MONTHS["março"] == 3
    assert MONTHS["okt"] == MONTHS["ott"] == MONTHS["out"] == MONTHS["paź"] == 10
    assert MONTHS["dez"] == MONTHS["déc"] == MONTHS["dic"] == MONTHS["gru"] == 12


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("By Jane Doe, Reuters\n\nNATO ministers met on Wednesday.", "Reuters"),
        ("By Jane Doe and John Roe | AFP\n\nNATO ministers met.", "AFP"),
        ("By JANE DOE of The Associated Press\n\nNATO ministers met.", "AP"),
        ("NATO ministers met.\n\n(Reporting by Jane Doe; Editing by John Roe)", "Reuters"),
        ("NATO ministers met.\n\nReporting by Jane Doe; Editing by John Roe", "Reuters"),
        ("NATO ministers met.\n\nAFP", "AFP"),
        ("NATO ministers met.\n\n© Agence France-Presse", "AFP"),
        ("NATO ministers met.\n\nCopyright 2021 The Associated Press. All rights reserved.", "AP"),
        ("NATO ministers met.\n\njd/ab (AFP, Reuters)", "AFP"),
        ("NATO ministers met.\n\n(dpa)", "dpa"),
        ("NATO ministers met, the minister told AP on Monday.", None),
        ("By Jane Doe, staff writer\n\nNATO ministers met.", None),
        ("Ministers (AFP) met.\nMore text follows here.", None),
    ],
)
def test_byline_agency(text: str, agency: str | None) -> None:
    assert find_byline_agency(text) == agency


@given(st.text(max_size=300))
def test_parse_dateline_never_fails_and_end_is_in_range(text: str) -> None:
    found = parse_dateline(text)
    if found is not None:
        assert 0 < found.end <= len(text)
        assert found.month is None or 1 <= found.month <= 12
        assert found.day is None or 1 <= found.day <= 31
