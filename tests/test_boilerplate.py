"""The boilerplate index (``stories.boilerplate``): what counts as a unit, the threshold, copies,
outlets, the window, the bound, and a restore that decides as the uninterrupted index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storyline.model import Article, BoilerplateCount
from storyline.stories.boilerplate import (
    GRAM,
    LINE,
    OPENING,
    TITLE,
    BoilerplateIndex,
    normalise_unit,
    story_text,
    story_title,
    strip_spans,
    text_units,
    title_units,
)

DAY0 = datetime(2021, 3, 1, tzinfo=UTC)
SUBSCRIBE = "Subscribe to get the top news of the day."
BODIES = [
    "Inspectors fined a tailor who had sewn face masks in his flat without a permit.",
    "A polling centre counted shoppers in supermarket branches and found half crowded.",
    "Detectives arrested two men suspected of stealing cars from a parking garage.",
    "Butchers raised the price of lamb ahead of the holiday and shoppers bought poultry.",
    "A cooperative bank opened a branch that lends to small farmers at low interest.",
]


def article(
    n: int, text: str, *, source: str | None = "voice.example", day: int | None = None, **kw: object
) -> Article:
    published = DAY0 + timedelta(days=n if day is None else day)
    return Article(id=f"a{n}", text=text, source=source, published_at=published, **kw)  # type: ignore[arg-type]


def marked_text(index: BoilerplateIndex, a: Article) -> list[str]:
    out = index.observe(a).article
    return [out.text[s:e] for s, e in out.boilerplate]


def test_normalisation_folds_case_digits_punctuation_and_spacing() -> None:
    assert normalise_unit("Subscribe  for the TOP 10 news!") == normalise_unit("subscribe for the top 7 news")
    assert normalise_unit("Read more: 3 Comments") == "read more 0 comments"
    assert normalise_unit("اشترك لتصلك أهم الأخبار.") == "اشترك لتصلك أهم الأخبار"
    assert normalise_unit("Subscribe for the top news") != normalise_unit("Subscribe for top news")


def test_units_are_lines_sentences_openings_edge_word_runs_and_title_parts() -> None:
    text = "Voice - Riverton: Inspectors fined a tailor on Monday. Mr. Smith paid.\n" + SUBSCRIBE
    units = text_units(text)
    kinds = {u.kind for u in units}
    assert kinds == {LINE, OPENING, GRAM}
    lines = {text[u.start : u.end] for u in units if u.kind == LINE}
    assert SUBSCRIBE in lines and "Voice - Riverton: Inspectors fined a tailor on Monday." in lines
    assert "Mr." not in lines and "Smith paid." not in lines  # abbreviation pieces are not sentences
    openings = [text[u.start : u.end] for u in units if u.kind == OPENING]
    assert openings == ["Voice - ", "Voice - Riverton: "]
    grams = [text[u.start : u.end] for u in units if u.kind == GRAM]
    assert "to get the top" in grams and not any("Smith" in g for g in grams)  # names are not runs
    title = "Tailor fined | Riverton Voice"
    assert [title[u.start : u.end] for u in title_units(title) if u.kind == TITLE] == [
        "Tailor fined | ",
        " | Riverton Voice",
    ]


def test_a_unit_is_boilerplate_once_min_articles_earlier_articles_of_the_outlet_held_it() -> None:
    index = BoilerplateIndex(min_articles=2)
    assert marked_text(index, article(0, f"{BODIES[0]}\n{SUBSCRIBE}")) == []
    assert marked_text(index, article(1, f"{BODIES[1]}\n{SUBSCRIBE}")) == []  # one earlier article
    assert marked_text(index, article(2, f"{BODIES[2]}\n{SUBSCRIBE}")) == [SUBSCRIBE]  # two
    # another outlet's articles are not counted, and an article without a source is never marked
    assert marked_text(index, article(3, f"{BODIES[3]}\n{SUBSCRIBE}", source="other.example")) == []
    assert marked_text(index, article(4, f"{BODIES[4]}\n{SUBSCRIBE}", source=None)) == []
    assert index.count("voice.example", text_units(SUBSCRIBE)[0].key) == 3


def test_a_line_repeated_inside_one_article_counts_once() -> None:
    index = BoilerplateIndex(min_articles=2)
    index.observe(article(0, f"{SUBSCRIBE}\n{BODIES[0]}\n{SUBSCRIBE}"))
    assert marked_text(index, article(1, f"{BODIES[1]}\n{SUBSCRIBE}")) == []


def test_copies_are_marked_but_not_counted() -> None:
    index = BoilerplateIndex(min_articles=2)
    index.observe(article(0, f"{BODIES[0]}\n{SUBSCRIBE}"))
    for n in (1, 2, 3):  # three copies of the first article say nothing about the outlet
        copy = index.observe(article(n, f"{BODIES[0]}\n{SUBSCRIBE}", duplicate_of="a0"))
        assert copy.changes == ()
    assert marked_text(index, article(4, f"{BODIES[1]}\n{SUBSCRIBE}")) == []
    assert marked_text(index, article(5, f"{BODIES[2]}\n{SUBSCRIBE}")) == [SUBSCRIBE]


def test_the_opening_and_the_title_site_name_are_marked_and_left_out_of_the_story_view() -> None:
    index = BoilerplateIndex(min_articles=1)
    index.observe(
        article(0, f"Riverton Voice - Riverton: {BODIES[0]}", title="Tailor fined | Riverton Voice")
    )
    out = index.observe(
        article(1, f"Riverton Voice - Riverton: {BODIES[1]}", title="Shops crowded | Riverton Voice")
    ).article
    assert out.text[slice(*out.boilerplate[0])] == "Riverton Voice - Riverton: "
    assert story_text(out) == BODIES[1]
    assert story_title(out) == "Shops crowded"
    assert out.text.startswith("Riverton Voice")  # the article's own text is unchanged


def test_an_inline_subscription_line_is_found_by_its_word_run_one_article_later() -> None:
    subscribe = "اشترك لتصلك أهم الأخبار"
    index = BoilerplateIndex(min_articles=1)
    index.observe(article(0, f"بوابة فيتو | ضبط ترزي {subscribe} ضبطت مباحث التموين ترزيا"))
    out = index.observe(article(1, f"بوابة فيتو | مسح في سوبر ماركت {subscribe} أجرى مركز مسحا")).article
    assert story_text(out) == f"مسح في سوبر ماركت {subscribe} أجرى مركز مسحا"  # the opening only
    out = index.observe(article(2, f"بوابة فيتو | القبض على عاطلين {subscribe} ألقت الشرطة القبض")).article
    assert story_text(out) == "القبض على عاطلين ألقت الشرطة القبض"  # a word run needs two articles
    assert index.needs(GRAM) == index.needs(LINE) + 1


def test_counts_older_than_the_window_are_forgotten() -> None:
    index = BoilerplateIndex(min_articles=1, window_days=10)
    index.observe(article(0, f"{BODIES[0]}\n{SUBSCRIBE}", day=0))
    assert marked_text(index, article(1, f"{BODIES[1]}\n{SUBSCRIBE}", day=9)) == [SUBSCRIBE]
    assert marked_text(index, article(2, f"{BODIES[2]}\n{SUBSCRIBE}", day=30)) == []  # 21 days on
    assert marked_text(index, article(3, f"{BODIES[3]}\n{SUBSCRIBE}", day=31)) == [SUBSCRIBE]


def test_an_outlet_keeps_at_most_max_keys_and_drops_those_seen_once_first() -> None:
    index = BoilerplateIndex(min_articles=1, max_keys=40)
    index.observe(article(0, f"{BODIES[0]}\n{SUBSCRIBE}"))
    for n in range(1, 30):
        index.observe(
            article(n, f"Report number {n} tells of {BODIES[n % 5]} in district {n * 7}.\n{SUBSCRIBE}")
        )
        assert len(index) <= 40
    assert marked_text(index, article(99, f"{BODIES[1]}\n{SUBSCRIBE}", day=30)) == [SUBSCRIBE]


def test_an_index_restored_from_its_rows_decides_as_the_uninterrupted_one() -> None:
    stream = [
        article(n, f"Voice - Town: {BODIES[n % 5]} Day {n} of {k}.\n{SUBSCRIBE}", day=n * 3)
        for n, k in enumerate(["spring", "summer", "autumn", "winter"] * 6)
    ]
    whole = BoilerplateIndex(min_articles=2, window_days=20, max_keys=64)
    expected = [whole.observe(a).article.boilerplate for a in stream]
    swept = BoilerplateIndex(min_articles=2, window_days=20, max_keys=64)
    decided = []
    for a in stream:  # dropping expired counts from memory at any time changes no decision
        decided.append(swept.observe(a).article.boilerplate)
        swept.prune()
    assert decided == expected
    first = BoilerplateIndex(min_articles=2, window_days=20, max_keys=64)
    rows: dict[tuple[str, int], BoilerplateCount] = {}
    got = []
    for a in stream[:11]:
        marked = first.observe(a)
        got.append(marked.article.boilerplate)
        rows.update(((c.outlet, c.key), c) for c in marked.changes)
    second = BoilerplateIndex(min_articles=2, window_days=20, max_keys=64)
    second.tick(max(a.published_at for a in stream[:11] if a.published_at))
    since = second.since()
    assert since is not None
    low = int((since - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1_000_000)
    second.load(r for r in rows.values() if r.n_articles and (r.last_seen_us or 0) >= low)
    got += [second.observe(a).article.boilerplate for a in stream[11:]]
    assert got == expected
    assert any(expected[11:])  # the restored part does mark boilerplate


def test_strip_spans_closes_up_spaces_and_drops_wordless_lines() -> None:
    text = "Site | Headline\n•\nSubscribe now\nBody text."
    assert strip_spans(text, ((0, 7), (18, 31))) == "Headline\nBody text."
    assert strip_spans(text, ()) == text
