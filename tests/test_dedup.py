"""Near-copy detection: edited copies are found, different articles on the same topic are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.dedup import Deduplicator, Signature
from storyline.model import Article, fingerprint

ORIGINAL = """NATO defence ministers meet on Wednesday for their first talks since US President Joe Biden
succeeded Donald Trump with the wish to ease tensions between Washington and its closest partners.

Key to the agenda for the two-day virtual conference is the future of NATO's 9,600-strong support mission
in Afghanistan after Trump sidelined his allies and struck a deal with the Taliban to withdraw troops.

Biden's administration is considering whether to stick to the looming May 1 deadline to pull out or risk
a bloody backlash from the insurgents by staying.

Defence ministers won't make any firm announcements after talks close on Thursday, but other NATO members
insist they are ready to stay in Afghanistan, as long as Washington also stays.

"Although no ally wants to stay in Afghanistan longer than necessary, we will not leave until the time is
right," NATO Secretary General Jens Stoltenberg said on Monday."""

# An outlet's rewrite: new first line, a sentence changed, the last paragraph cut.
EDITED = """BRUSSELS (AFP) - NATO defence ministers meet on Wednesday for their first talks since US President
Joe Biden succeeded Donald Trump with the wish to ease tensions between Washington and its closest partners.

Key to the agenda for the two-day virtual conference is the future of NATO's 9,600-strong support mission
in Afghanistan after Trump sidelined his allies and struck a deal with the Taliban to withdraw troops.

The new US administration is weighing whether to stick to the looming May 1 deadline to pull out or risk
a bloody backlash from the insurgents by staying.

Defence ministers won't make any firm announcements after talks close on Thursday, but other NATO members
insist they are ready to stay in Afghanistan, as long as Washington also stays."""

# Same topic, same people, different article.
SAME_TOPIC = """NATO Secretary General Jens Stoltenberg said on Thursday that allies had not yet decided
on the future of the Afghanistan mission, after two days of talks among defence ministers. "We face many
dilemmas," Stoltenberg told reporters, adding that the Taliban must reduce violence. US Defense Secretary
Lloyd Austin told allies that Washington was conducting a thorough review of the peace deal signed with
the Taliban last year. Ministers also discussed Iraq, where NATO will expand its training mission from
500 to around 4,000 personnel, and the alliance's plans to increase common funding."""


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, text=text, content_hash=fingerprint(text))


def test_edited_copy_is_a_near_copy_of_its_original() -> None:
    dedup = Deduplicator()
    assert dedup.mark(_article("orig", ORIGINAL)).duplicate_of is None
    assert dedup.mark(_article("edit", EDITED)).duplicate_of == "orig"


def test_same_topic_different_article_is_not_a_copy() -> None:
    dedup = Deduplicator()
    dedup.mark(_article("orig", ORIGINAL))
    assert dedup.mark(_article("other", SAME_TOPIC)).duplicate_of is None


def test_excerpt_is_a_copy_but_the_longer_article_after_it_is_not() -> None:
    dedup = Deduplicator()
    first_half = ORIGINAL[: len(ORIGINAL) // 2]
    assert dedup.mark(_article("orig", ORIGINAL)).duplicate_of is None
    assert dedup.mark(_article("excerpt", first_half)).duplicate_of == "orig"
    reverse = Deduplicator()
    reverse.mark(_article("excerpt", first_half))
    assert reverse.mark(_article("orig", ORIGINAL)).duplicate_of is None


def test_exact_copy_differing_in_case_and_spacing_points_at_the_first() -> None:
    dedup = Deduplicator()
    dedup.mark(_article("a", ORIGINAL))
    assert dedup.mark(_article("b", "  " + ORIGINAL.upper().replace("\n", " "))).duplicate_of == "a"


def test_copies_point_at_the_original_not_at_another_copy() -> None:
    dedup = Deduplicator()
    dedup.mark(_article("orig", ORIGINAL))
    dedup.mark(_article("copy1", EDITED))
    assert dedup.mark(_article("copy2", EDITED + "\n\nMore.")).duplicate_of == "orig"


def test_index_reloads_from_stored_signatures() -> None:
    dedup = Deduplicator()
    sig = dedup.signature(ORIGINAL)
    dedup.add("orig", fingerprint(ORIGINAL), sig)
    fresh = Deduplicator()
    assert fresh.load([("orig", fingerprint(ORIGINAL), sig.to_bytes())]) == 1
    assert fresh.mark(_article("edit", EDITED)).duplicate_of == "orig"


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=0, max_value=2**31))
def test_signature_round_trips_through_bytes(text: str, n: int) -> None:
    sig = Deduplicator(num_perm=32).signature(text)
    back = Signature.from_bytes(sig.to_bytes())
    assert (back.hashvalues == sig.hashvalues).all() and back.n_shingles == sig.n_shingles


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_identical_text_is_always_a_copy(text: str) -> None:
    dedup = Deduplicator(num_perm=32)
    dedup.mark(_article("a", text))
    assert dedup.mark(_article("b", text)).duplicate_of == "a"
