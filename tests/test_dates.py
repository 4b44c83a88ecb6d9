"""Time expressions: spans, TIMEX3 values against the publication date, is_event, languages, speed path."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import TimeMention
from storyline.understand.timex import find_time_mentions

PUBLISHED = datetime(2021, 2, 17, 9, 0, tzinfo=UTC)  # a Wednesday; the AFP seed's date

# Sentences from the AFP seed (Brussels, 2021-02-17).
AFP = (
    "NATO defense ministers meet on Wednesday for their first talks since US President Joe Biden "
    "succeeded Donald Trump with the wish to ease tensions between Washington and its closest partners.\n\n"
    "Biden’s administration is considering whether to stick to the looming May 1 deadline to pull out "
    "or risk a bloody backlash from the insurgents by staying.\n\n"
    "Defense ministers won’t make any firm announcements after talks close on Thursday – but other NATO "
    "members insist they are ready to stay in Afghanistan, as long as Washington also stays.\n\n"
    "“Although no ally wants to stay in Afghanistan longer than necessary, we will not leave until the "
    "time is right,” NATO Secretary General Jens Stoltenberg said on Monday.\n\n"
    "The United States wants to use this week’s meeting to draw a line under Trump’s tenure.\n\n"
    "They will also consider proposals to reform the 70-year-old alliance ahead of a summit that is "
    "expected to include Biden later this year."
)


def mentions(text: str, language: str = "en", published: datetime | None = PUBLISHED) -> list[TimeMention]:
    return find_time_mentions(text, article_id="a1", published_at=published, language=language)


def found(
    text: str, language: str = "en", published: datetime | None = PUBLISHED
) -> dict[str, tuple[str, str]]:
    """Mention text -> (type, value)."""
    return {m.text: (m.type, m.value) for m in mentions(text, language, published)}


def by_text(ms: list[TimeMention], text: str) -> TimeMention:
    return next(m for m in ms if m.text == text)


def test_afp_seed_dates_and_events() -> None:
    ms = mentions(AFP)
    wednesday, deadline = by_text(ms, "Wednesday"), by_text(ms, "May 1")
    thursday, monday = by_text(ms, "Thursday"), by_text(ms, "Monday")
    assert (wednesday.value, wednesday.is_event) == ("2021-02-17", True)
    assert (deadline.value, deadline.is_event) == ("2021-05-01", True)
    assert (thursday.value, thursday.is_event) == ("2021-02-18", True)
    assert (monday.value, monday.is_event) == ("2021-02-15", False)  # "said on Monday": the statement
    assert by_text(ms, "this week").value == "2021-W07"
    assert by_text(ms, "later this year").value == "2021"
    assert all(m.anchor == "2021-02-17" and m.article_id == "a1" for m in ms)
    assert all(AFP[m.start : m.end] == m.text for m in ms)
    assert "70-year-old" not in {m.text for m in ms}  # an age, not a time expression


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They met in February.", ("February", "DATE", "2021-02")),
        ("It resumes next year.", ("next year", "DATE", "2022")),
        ("They met last week.", ("last week", "DATE", "2021-W06")),
        ("They meet this week.", ("this week", "DATE", "2021-W07")),
        ("He arrived Monday morning.", ("Monday morning", "TIME", "2021-02-15TMO")),
        ("The war lasted two years.", ("two years", "DURATION", "P2Y")),
        ("It took three months.", ("three months", "DURATION", "P3M")),
        ("Prices rose over the past decade.", ("the past decade", "DURATION", "P10Y")),
        ("Prices rose in recent years.", ("recent years", "DATE", "PAST_REF")),
        ("It is now clear.", ("now", "DATE", "PRESENT_REF")),
        ("He is currently abroad.", ("currently", "DATE", "PRESENT_REF")),
        ("He recently left.", ("recently", "DATE", "PAST_REF")),
        ("They fear the future.", ("the future", "DATE", "FUTURE_REF")),
        ("They meet every week.", ("every week", "SET", "P1W")),
        ("Talks start at 10:30 a.m.", ("10:30 a.m.", "TIME", "2021-02-17T10:30")),
        ("Profit will rise in the third quarter.", ("the third quarter", "DATE", "2021-Q3")),
        (
            "Profit fell in the third quarter.",
            ("the third quarter", "DATE", "2020-Q3"),
        ),  # not begun yet: last year's
        ("It rained last summer.", ("last summer", "DATE", "2020-SU")),
        ("It began in the 1990s.", ("the 1990s", "DATE", "199")),
        ("Sales in fiscal 2020 rose.", ("fiscal 2020", "DATE", "2020")),
        ("He left yesterday.", ("yesterday", "DATE", "2021-02-16")),
        ("He arrives tomorrow.", ("tomorrow", "DATE", "2021-02-18")),
        ("They met two weeks ago.", ("two weeks ago", "DATE", "2021-W05")),
        ("It will end in three days.", ("three days", "DATE", "2021-02-20")),
        ("The war began in 2001.", ("2001", "DATE", "2001")),
        ("Signed on 2021-02-03.", ("2021-02-03", "DATE", "2021-02-03")),
        ("Signed on 02/03/2021.", ("02/03/2021", "DATE", "2021-02-03")),
        ("Signed on February 3, 2021.", ("February 3, 2021", "DATE", "2021-02-03")),
        ("Signed on the 5th of January.", ("the 5th of January", "DATE", "2021-01-05")),
        ("He left last Thanksgiving.", ("last Thanksgiving", "DATE", "2020-11-26")),
        ("Dividends are paid twice a year.", ("twice a year", "SET", "P1Y")),
        ("Dividends are paid annually.", ("annually", "SET", "P1Y")),
        ("It happened in the 20th century.", ("the 20th century", "DATE", "19")),
    ],
)
def test_english_values(text: str, expected: tuple[str, str, str]) -> None:
    span, kind, value = expected
    assert found(text).get(span) == (kind, value)


OTHER_LANGUAGES = [
    ("de", "Die Minister treffen sich am Mittwoch.",
     {"Mittwoch": "2021-02-17"}),
    ("de", "Gestern sagte er, letzte Woche sei alles ruhig gewesen.",
     {"Gestern": "2021-02-16", "letzte Woche": "2021-W06"}),
    ("de", "Die Frist endet am 1. Mai; nächstes Jahr folgt ein Gipfel.",
     {"1. Mai": "2021-05-01", "nächstes Jahr": "2022"}),
    ("de", "Vor zwei Jahren begann der Abzug, der drei Monate dauert.",
     {"Vor zwei Jahren": "2019", "drei Monate": "P3M"}),
    ("de", "Das Treffen beginnt Montagmorgen um 10.30 Uhr.",
     {"Montagmorgen": "2021-02-15TMO", "10.30 Uhr": "2021-02-15T10:30"}),
    ("de", "Am 17.02.2021 kamen sie, jeden Tag.",
     {"17.02.2021": "2021-02-17", "jeden Tag": "P1D"}),
    ("fr", "Les ministres se réunissent mercredi.",
     {"mercredi": "2021-02-17"}),
    ("fr", "Mardi dernier, il a parlé de la semaine dernière.",
     {"Mardi dernier": "2021-02-16", "la semaine dernière": "2021-W06"}),
    ("fr", "Le 1er mai 2021, l'année prochaine, il y a deux ans.",
     {"1er mai 2021": "2021-05-01", "l'année prochaine": "2022", "il y a deux ans": "2019"}),
    ("fr", "Hier soir et demain matin, à 21h30.",
     {"Hier soir": "2021-02-16TEV", "demain matin": "2021-02-18TMO", "21h30": "2021-02-18T21:30"}),
    ("es", "Los ministros se reúnen el miércoles.",
     {"miércoles": "2021-02-17"}),
    ("es", "El próximo año y la semana pasada.",
     {"El próximo año": "2022", "la semana pasada": "2021-W06"}),
    ("es", "El 1 de mayo de 2021, hace dos años, durante tres meses.",
     {"1 de mayo de 2021": "2021-05-01", "hace dos años": "2019", "tres meses": "P3M"}),
    ("es", "Ayer por la tarde y esta mañana; cada semana.",
     {"Ayer por la tarde": "2021-02-16TAF", "esta mañana": "2021-02-17TMO", "cada semana": "P1W"}),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), OTHER_LANGUAGES)
def test_other_languages(language: str, text: str, expected: dict[str, str]) -> None:
    values = {span: value for span, (_, value) in found(text, language).items()}
    assert values.items() >= expected.items()


def test_spanish_morning_is_not_tomorrow() -> None:
    assert "mañana" not in found("Llegó por la mañana.", "es")


def test_without_an_anchor_only_absolute_values_are_given() -> None:
    result = found(
        "Ministers meet on Wednesday before the May 1 deadline and next year. It lasted two years. "
        "It ended on 1 May 2021.",
        published=None,
    )
    assert result["Wednesday"] == ("DATE", "XXXX-WXX-3")
    assert result["May 1"] == ("DATE", "XXXX-05-01")
    assert result["next year"] == ("DATE", "")
    assert result["two years"] == ("DURATION", "P2Y")
    assert result["1 May 2021"] == ("DATE", "2021-05-01")
    assert all(m.anchor is None for m in mentions("on Wednesday", published=None))


def test_reporting_date_is_not_an_event_but_a_meeting_is() -> None:
    ms = mentions("On Monday, Stoltenberg said the allies would decide. Stoltenberg and Biden met on Monday.")
    assert [m.is_event for m in ms] == [False, True]
    assert [m.is_event for m in mentions("It lasted two years. It is now clear.")] == [False, False]


def test_published_at_in_another_zone_is_read_as_its_utc_day() -> None:
    late = datetime.fromisoformat("2021-02-17T23:30:00-05:00")  # 2021-02-18 04:30 UTC
    assert by_text(mentions("He left yesterday.", published=late), "yesterday").value == "2021-02-17"


def test_other_languages_get_their_full_dates_from_dateparser() -> None:
    pytest.importorskip("dateparser")
    result = found("Szczyt odbędzie się 17 lutego 2021 w Brukseli, a potem w 2022.", "pl")
    assert result == {"17 lutego 2021": ("DATE", "2021-02-17"), "2022": ("DATE", "2022")}


def test_empty_and_unknown_language() -> None:
    assert mentions("") == []
    assert found("They met last week.", "sv") == {"last week": ("DATE", "2021-W06")}


_TIME_WORDS = st.sampled_from(
    ["Monday", "May", "1", "2021", "last", "next", "week", "the", "of", "ago", "years", "two", "in", "a.m.",
     "10:30", "quarter", "third", "fiscal", "each", "Friday", "morning", "early", "-", ",", ".", "'", "s",
     "gestern", "mai", "dernier", "el", "próximo", "año", "vor", "Jahren", "il", "y", "a", "1er", "\n"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(st.text(max_size=200), st.lists(_TIME_WORDS, max_size=30).map(" ".join)),
    language=st.sampled_from(["en", "de", "fr", "es", "it", "nl", "pt", "pl", None]),
    published=st.sampled_from([PUBLISHED, None]),
)
def test_any_text_gives_mentions_that_slice_the_text(
    text: str, language: str | None, published: datetime | None
) -> None:
    ms = find_time_mentions(text, article_id="x", published_at=published, language=language)
    assert all(text[m.start : m.end] == m.text and m.start < m.end for m in ms)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ms))
    fast = [(m.start, m.end, m.type, m.value) for m in ms]
    slow = find_time_mentions(text, article_id="x", published_at=published, language=language, reference=True)
    assert fast == [(m.start, m.end, m.type, m.value) for m in slow]  # the dispatch skips no rule


def test_fast_scan_equals_reference_scan_on_the_seed() -> None:
    fast = mentions(AFP)
    slow = find_time_mentions(AFP, article_id="a1", published_at=PUBLISHED, language="en", reference=True)
    assert fast == slow
