"""The digest of the seeds' storyline: dpa stored first, then AFP (issue 6, "what must be shown" 1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.digest import (
    Sentence,
    article_sentences,
    build_digest,
    digest_json,
    event_timeline,
    reconcile_figures,
    split_new,
    stems,
)
from storyline.embed.sentence_rows import sentence_key
from storyline.embed.use import UseEmbedder
from storyline.model import Article, Figure, TimeMention
from storyline.store import SqliteStore
from tests.conftest import AFP_SEED, DPA_SEED


def invoke(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    return UseEmbedder()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("digest") / "seeds.db"
    invoke(db, "--set", "stories", "true", "ingest", str(DPA_SEED))
    invoke(db, "--set", "stories", "true", "ingest", str(AFP_SEED))
    return db


@pytest.fixture(scope="module")
def seeds_digest(seeded: Path, embedder: UseEmbedder) -> dict[str, Any]:
    with SqliteStore(seeded) as store:
        (line,) = store.list_storylines()
        shape = digest_json(build_digest(store, line.id, embedder=embedder))
    print(f"seeds digest: facts from {shape['facts_from']}")  # which path the test exercised (pytest -s)
    return shape


def _afp_id(seeded: Path) -> str:
    with SqliteStore(seeded) as store:
        return next(a.id for a in store.list_articles() if a.agency == "AFP")


def test_the_afp_article_is_what_is_new(seeds_digest: dict[str, Any], seeded: Path) -> None:
    assert seeds_digest["kind"] == "storyline"
    assert seeds_digest["new"]["articles"] == [_afp_id(seeded)]
    assert seeds_digest["new"]["n_earlier_articles"] == 1
    assert seeds_digest["facts_from"] in ("store", "computed", "mixed")


@pytest.mark.parametrize(
    "fact",
    ["meet on Wednesday", "9,600-strong support mission", "May 1 deadline", "series of offensives"],
    ids=["ministers-meeting", "mission", "deadline", "taliban-offensives"],
)
def test_new_in_afp(seeds_digest: dict[str, Any], fact: str) -> None:
    assert any(fact in s["text"] for s in seeds_digest["new"]["sentences"])


def test_the_2_percent_target_is_not_new(seeds_digest: dict[str, Any]) -> None:
    new = seeds_digest["new"]
    assert not any("gross domestic product" in s["text"] for s in new["sentences"])
    assert not any(f["unit"] == "%" and f["value"] == pytest.approx(0.02) for f in new["figures"])
    assert any(f["value"] == 9600 for f in new["figures"])


def test_afp_timeline_has_the_meeting_and_the_upcoming_deadline(
    seeds_digest: dict[str, Any], seeded: Path
) -> None:
    afp = _afp_id(seeded)
    by_value = {
        e["value"]: e for e in seeds_digest["timeline"] if any(x["article_id"] == afp for x in e["sources"])
    }
    assert by_value["2021-02-17"]["status"] == "happened"
    assert by_value["2021-05-01"]["status"] == "upcoming"
    days = [e["date"] for e in seeds_digest["timeline"] if e["date"]]
    assert days == sorted(days)  # ordered by when things happen


def test_the_dpa_february_meeting_is_linked_to_the_dated_meeting(
    seeds_digest: dict[str, Any], seeded: Path
) -> None:
    meeting = next(e for e in seeds_digest["timeline"] if e["value"] == "2021-02-17")
    assert any("meeting of defense ministers in February" in x["sentence"] for x in meeting["refines"])


def test_label_and_summary(seeds_digest: dict[str, Any]) -> None:
    assert seeds_digest["label"] and len(seeds_digest["label"]) <= 91
    assert 3 <= len(seeds_digest["summary"]) <= 5
    assert {s["source"] for s in seeds_digest["summary"]} == {"AFP", "dpa"}  # both articles contribute
    for s in seeds_digest["summary"]:
        assert s["end"] > s["start"]


def test_summary_sentences_point_into_their_articles(seeds_digest: dict[str, Any], seeded: Path) -> None:
    with SqliteStore(seeded) as store:
        for s in seeds_digest["summary"] + seeds_digest["new"]["sentences"]:
            article = store.get_article(s["article_id"])
            assert article is not None and article.text[s["start"] : s["end"]] == s["text"]


def test_a_copy_brings_nothing_new(seeded: Path, embedder: UseEmbedder, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    text = DPA_SEED.read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text("Rewritten (Reuters) – " + text.replace("Brussels (dpa) – ", ""), encoding="utf-8")
    invoke(db, "--set", "stories", "true", "ingest", str(DPA_SEED))
    invoke(db, "--set", "stories", "true", "ingest", str(copy))
    with SqliteStore(db) as store:
        story = store.list_stories()[0]
        assert story.n_articles == 2
        shape = digest_json(build_digest(store, story.id, embedder=embedder))
    assert shape["new"]["sentences"] == []
    assert shape["new"]["figures"] == []


def test_digest_cli_json(seeded: Path) -> None:
    with SqliteStore(seeded) as store:
        (line,) = store.list_storylines()
    shape = json.loads(invoke(seeded, "digest", line.id, "--json", "--since", "2021-02-01"))
    assert shape["id"] == line.id and shape["new"]["since"] == "2021-02-01T00:00:00Z"
    assert len(shape["new"]["articles"]) == 1  # the undated dpa article was stored before the AFP one
    result = CliRunner().invoke(cli, ["-q", "--db", str(seeded), "digest", "nope"])
    assert result.exit_code == 1 and "no story or storyline" in result.output


def _article(i: str, text: str, at: datetime | None, stored: int) -> Article:
    return Article(
        id=i,
        text=text,
        published_at=at,
        language="en",
        ingested_at=datetime(2026, 1, 1, 0, stored, tzinfo=UTC),
    )


def test_split_new_by_publication_and_by_visit() -> None:
    a = _article("a", "x", None, 0)
    b = _article("b", "x", datetime(2021, 2, 17, tzinfo=UTC), 1)
    c = _article("c", "x", None, 2)
    assert split_new([a, b, c]) == (["c"], ["a", "b"])
    assert split_new([a, b, c], since=datetime(2021, 2, 1, tzinfo=UTC)) == (["b", "c"], ["a"])
    assert split_new([a, b, c], since_ingested=datetime(2026, 1, 1, 0, 1, tzinfo=UTC)) == (["b", "c"], ["a"])


def test_figures_that_disagree_are_flagged() -> None:
    one = _article("one", "Officials said 2,500 troops remain.", None, 0)
    two = _article("two", "About 3,000 American troops remain, a report said.", None, 1)
    figures = {
        "one": [Figure("one", 15, 20, "2,500", 2500.0, None, "troops")],
        "two": [Figure("two", 6, 11, "3,000", 3000.0, None, "American troops")],
    }
    sentences = {a.id: article_sentences(a, min_words=1) for a in (one, two)}
    (group,) = reconcile_figures([one, two], figures, sentences)
    assert group.disagree and group.values == (2500.0, 3000.0)
    assert {e.article_id for _, e in group.evidence} == {"one", "two"}
    figures["two"] = [Figure("two", 6, 11, "2,500", 2500.0, None, "American troops")]
    (agree,) = reconcile_figures([one, two], figures, sentences)
    assert not agree.disagree


def test_timeline_orders_by_event_date_not_report_date() -> None:
    late = _article("late", "The summit was held on 2021-01-10 in Rome.", datetime(2021, 3, 1, tzinfo=UTC), 0)
    early = _article(
        "early", "Talks are planned for 2021-02-20 in Oslo.", datetime(2021, 2, 1, tzinfo=UTC), 1
    )
    times = {
        "late": [TimeMention("late", 23, 33, "2021-01-10", "DATE", "2021-01-10", is_event=True)],
        "early": [TimeMention("early", 22, 32, "2021-02-20", "DATE", "2021-02-20", is_event=True)],
    }
    events = event_timeline([late, early], times, {})
    assert [e.value for e in events] == ["2021-01-10", "2021-02-20"]
    assert [e.upcoming for e in events] == [False, True]


def test_stems_fold_inflection_and_keep_numbers() -> None:
    assert stems("Defence ministers") == stems("defense minister")
    assert "9600" in stems("a 9,600-strong mission")
    assert Sentence("a", 0, 1, "x").text == "x"
    assert np.isfinite(len(stems("")))


def test_without_stored_facts_the_digest_computes_them(embedder: UseEmbedder) -> None:
    from storyline.model import Assignment, Batch, Story
    from storyline.store import MemoryStore

    def seed(path: Path, i: str, at: datetime | None, minute: int) -> Article:
        text = (
            path.read_text(encoding="utf-8").split("\n", 1)[1].strip()
            if i == "afp"
            else path.read_text("utf-8")
        )
        return Article(
            id=i,
            text=text,
            published_at=at,
            language="en",
            agency=i.upper() if i == "afp" else "dpa",
            ingested_at=datetime(2026, 1, 1, 0, minute, tzinfo=UTC),
        )

    store = MemoryStore()
    dpa, afp = seed(DPA_SEED, "dpa", None, 0), seed(AFP_SEED, "afp", datetime(2021, 2, 17, tzinfo=UTC), 1)
    for n, article in enumerate((dpa, afp)):
        store.write_batch(
            Batch(
                articles=(article,),
                assignments=(Assignment(article.id, "s1", 1.0, n == 0),),
                stories=(Story("s1", n_articles=n + 1),),
            )
        )
    digest = build_digest(store, "s1", embedder=embedder)
    shape = digest_json(digest)
    assert shape["facts_from"] == "computed"
    texts = " ".join(s["text"] for s in shape["new"]["sentences"])
    for fact in ("meet on Wednesday", "9,600-strong", "May 1 deadline", "series of offensives"):
        assert fact in texts
    assert "gross domestic product" not in texts
    status = {e["value"]: e["status"] for e in shape["timeline"]}
    assert status["2021-02-17"] == "happened" and status["2021-05-01"] == "upcoming"


def test_ingest_fills_the_sentence_cache_the_digest_reads(tmp_path: Path, embedder: UseEmbedder) -> None:
    """With stories on, ingest keeps the sentence rows it embedded, so a story's first digest embeds
    nothing again; the rows are those the digest would make (float16 as stored)."""
    db = tmp_path / "cache.db"
    invoke(db, "--set", "stories", "true", "ingest", str(DPA_SEED), str(AFP_SEED))
    with SqliteStore(db) as store:
        articles = store.list_articles()
        cached = store.get_sentence_vectors([a.id for a in articles], sentence_key(embedder.name))
        assert set(cached) == {a.id for a in articles}
        for article in articles:
            spans, data = cached[article.id]
            assert spans == tuple((s.start, s.end) for s in article_sentences(article))
            rows = np.frombuffer(data, dtype=np.float16).reshape(len(spans), embedder.dim)
            fresh = embedder.embed([article.text[s:e] for s, e in spans])
            assert np.abs(rows.astype(np.float32) - fresh).max() < 2e-3


def test_whats_new_is_bounded_and_says_so(seeded: Path, embedder: UseEmbedder) -> None:
    """More new sentences than the bound: exactly the bound is reported, flagged as truncated."""
    import storyline.digest._new as digest_new

    with SqliteStore(seeded) as store:
        (line,) = store.list_storylines()
        everything = build_digest(store, line.id, embedder=embedder, since=datetime(2000, 1, 1, tzinfo=UTC))
        n = len(everything.new.sentences)
        assert n > 3 and not everything.new.truncated
        bound, digest_new.MAX_NEW_SENTENCES = digest_new.MAX_NEW_SENTENCES, 3
        try:
            cut = build_digest(store, line.id, embedder=embedder, since=datetime(2000, 1, 1, tzinfo=UTC))
        finally:
            digest_new.MAX_NEW_SENTENCES = bound
    assert cut.new.truncated
    assert [s.sentence for s in cut.new.sentences] == [s.sentence for s in everything.new.sentences[:3]]
