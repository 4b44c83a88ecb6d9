"""Entity mentions, in-article clusters and the cross-article resolver, on the seeds and small texts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storyline.model import Entity, Mention
from storyline.understand.entities import (
    EntityResolver,
    Gazetteer,
    ResolveOutcome,
    cluster_mentions,
    find_mentions,
    mentions_and_clusters,
)
from storyline.understand.entities._names import fold, person_parts

AFP = (
    "NATO defense ministers meet on Wednesday for their first talks since US President Joe Biden "
    "succeeded Donald Trump with the wish to ease tensions between Washington and its closest partners.\n\n"
    "Biden’s administration is considering whether to stick to the looming May 1 deadline.\n\n"
    "“Although no ally wants to stay in Afghanistan longer than necessary, we will not leave until the "
    "time is right,” NATO Secretary General Jens Stoltenberg said on Monday.\n\n"
    "Trump reduced the number of American troops in his last days in power to 2,500."
)
DPA = (
    "Brussels (dpa) – According to NATO Secretary General Jens Stoltenberg, future US President Joe Biden "
    "will, like Donald Trump, insist on increased defense spending by European allies.\n\n"
    "“But I am sure President-elect Biden will express the same expectation of European partners,” "
    "Stoltenberg told the Funke media group newspapers.\n\n"
    "In an interview with the Funke media group, Stoltenberg again warned of the possibility of "
    "questioning the so-called 2% target.\n\n"
    "“NATO’s most important task is to prevent the Corona health crisis from turning into a security "
    "crisis. That is why we must continue to invest more,” said the Norwegian."
)
FRENCH = (
    "Le secrétaire général de l'OTAN, Jens Stoltenberg, a reçu mercredi à Bruxelles les ministres de la "
    "Défense. L'OTAN reste engagée en Afghanistan, a-t-il dit."
)
WHEN = datetime(2021, 2, 17, tzinfo=UTC)


def run(resolver: EntityResolver, article_id: str, text: str, language: str = "en") -> ResolveOutcome:
    mentions, clusters = mentions_and_clusters(
        text, None, article_id=article_id, language=language, gazetteer=resolver.gazetteer()
    )
    return resolver.resolve(article_id, mentions, clusters, language=language, published_at=WHEN)


def entity_of(outcome: ResolveOutcome, text: str) -> str | None:
    ids = {m.entity_id for m in outcome.mentions if m.text == text}
    assert len(ids) == 1, f"{text!r} -> {ids}"
    return ids.pop()


def by_id(resolver: EntityResolver, entity_id: str | None) -> Entity:
    return next(e for e in resolver.entities() if e.id == entity_id)


@pytest.mark.parametrize("text", [AFP, DPA])
def test_offsets_always_slice(text: str) -> None:
    for mention in find_mentions(text, None, article_id="a", language="en"):
        assert text[mention.start : mention.end] == mention.text
        assert mention.type in {"PER", "ORG", "LOC", "MISC"}


def test_stoltenberg_title_surname_and_the_norwegian_are_one_entity() -> None:
    resolver = EntityResolver()
    outcome = run(resolver, "dpa", DPA)
    stoltenberg = entity_of(outcome, "Jens Stoltenberg")
    assert entity_of(outcome, "Stoltenberg") == stoltenberg
    assert entity_of(outcome, "NATO Secretary General") == stoltenberg
    assert entity_of(outcome, "the Norwegian") == stoltenberg
    assert by_id(resolver, stoltenberg).name == "Jens Stoltenberg"
    assert entity_of(outcome, "NATO") != stoltenberg


def test_clusters_expose_roles_and_the_fullest_name() -> None:
    mentions, clusters = mentions_and_clusters(DPA, None, article_id="dpa", language="en")
    person = next(c for c in clusters if c.name == "Jens Stoltenberg")
    assert person.type == "PER"
    assert {mentions[i].text for i in person.members} >= {"Jens Stoltenberg", "Stoltenberg", "the Norwegian"}
    assert "NATO Secretary General" in person.roles
    assert cluster_mentions(DPA, mentions, language="en") == clusters


def test_across_the_two_seeds_people_and_nato_are_one_entity_each() -> None:
    resolver = EntityResolver()
    afp, dpa = run(resolver, "afp", AFP), run(resolver, "dpa", DPA)
    assert entity_of(afp, "Jens Stoltenberg") == entity_of(dpa, "Jens Stoltenberg")
    biden = entity_of(afp, "Joe Biden")
    assert entity_of(afp, "Biden") == biden == entity_of(dpa, "Joe Biden") == entity_of(dpa, "Biden")
    assert by_id(resolver, biden).name == "Joe Biden"
    assert set(by_id(resolver, biden).aliases) >= {"Joe Biden", "Biden"}
    assert entity_of(afp, "NATO") == entity_of(dpa, "NATO")


def test_biden_alone_then_full_name_end_as_one_entity_named_in_full() -> None:
    resolver = EntityResolver()
    first = run(resolver, "a", "President Biden spoke to reporters on Monday. Biden said little.")
    second = run(resolver, "b", "Joe Biden met the prime minister in Washington on Tuesday.")
    assert entity_of(first, "Biden") == entity_of(second, "Joe Biden")
    assert by_id(resolver, entity_of(second, "Joe Biden")).name == "Joe Biden"


def test_nato_and_otan_across_english_and_french_are_one_entity() -> None:
    resolver = EntityResolver()
    english = run(resolver, "afp", AFP)
    french = run(resolver, "fr", FRENCH, "fr")
    nato = entity_of(english, "NATO")
    assert entity_of(french, "OTAN") == nato
    entity = by_id(resolver, nato)
    assert entity.name == "NATO" and "OTAN" in entity.aliases
    assert set(entity.languages) == {"en", "fr"}
    assert entity_of(french, "Jens Stoltenberg") == entity_of(english, "Jens Stoltenberg")


def test_people_sharing_a_surname_stay_apart_when_first_names_differ() -> None:
    resolver = EntityResolver()
    one = run(resolver, "a", "Serena Williams won the final in London. Williams said she was tired.")
    two = run(resolver, "b", "Esther Williams, the swimmer and actress, has died. Williams was 91.")
    assert entity_of(one, "Serena Williams") != entity_of(two, "Esther Williams")
    assert entity_of(two, "Williams") == entity_of(two, "Esther Williams")


def test_ids_are_deterministic_and_restore_gives_the_same_ids() -> None:
    first, second = EntityResolver(), EntityResolver()
    a1, a2 = run(first, "afp", AFP), run(second, "afp", AFP)
    assert [m.entity_id for m in a1.mentions] == [m.entity_id for m in a2.mentions]
    assert all(e.id.startswith("e") for e in a1.entities)
    restored = EntityResolver()
    restored.restore(first.entities())
    later_first, later_restored = run(first, "dpa", DPA), run(restored, "dpa", DPA)
    assert [m.entity_id for m in later_first.mentions] == [m.entity_id for m in later_restored.mentions]
    assert {e.id: e.name for e in first.entities()} == {e.id: e.name for e in restored.entities()}


def test_outcome_rows_count_mentions_and_dates() -> None:
    resolver = EntityResolver()
    outcome = run(resolver, "dpa", DPA)
    row = next(e for e in outcome.entities if e.name == "Jens Stoltenberg")
    linked = [m for m in outcome.mentions if m.entity_id == row.id]
    assert row.n_mentions == len(linked)
    assert row.first_seen_at == row.last_seen_at == WHEN and row.languages == ("en",)


def test_rule_based_languages_use_titles_capitals_and_the_gazetteer() -> None:
    # Italian has no NER model (de/es/nl/pl/pt/ru do: tests/test_ner_languages.py)
    text = (
        "Il presidente Sergio Mattarella ha incontrato il segretario della NATO Jens Stoltenberg a Bruxelles."
    )
    found = {(m.text, m.type) for m in find_mentions(text, None, article_id="it", language="it")}
    assert {("Sergio Mattarella", "PER"), ("Jens Stoltenberg", "PER"), ("Bruxelles", "LOC")} <= found
    assert ("NATO", "ORG") in found
    spanish = "El presidente Pedro Sánchez viajó a Bruselas para reunirse con la OTAN."
    found = {(m.text, m.type) for m in find_mentions(spanish, None, article_id="es", language="es")}
    assert {("Pedro Sánchez", "PER"), ("Bruselas", "LOC"), ("OTAN", "ORG")} <= found


def test_gazetteer_from_entities_knows_names_and_surnames() -> None:
    gazetteer = Gazetteer.from_entities([Entity("e1", "Jens Stoltenberg", "PER", ("Stoltenberg",))])
    hits = gazetteer.find("Wie Stoltenberg sagte, bleibt die NATO in Polsce.", "pl")
    assert [(h.text, h.type) for h in hits] == [("Stoltenberg", "PER"), ("NATO", "ORG"), ("Polsce", "LOC")]
    assert gazetteer.find("the us and them", "en") == []


def test_name_helpers() -> None:
    assert fold("U.S.") == fold("US") == "us"
    assert fold("NATO’s") == "nato"
    parts = person_parts("Ursula von der Leyen")
    assert parts.first == ("ursula",) and parts.surname == "von der leyen"
    assert person_parts("Joseph R. Biden Jr.").surname == "biden"


def test_mentions_without_clusters_keep_no_entity() -> None:
    resolver = EntityResolver()
    mention = Mention("x", 0, 4, "NATO", "ORG")
    outcome = resolver.resolve("x", [mention], [], language="en", published_at=None)
    assert outcome.mentions == (mention,) and outcome.entities == ()
