"""Understanding on ingest: facts of the seeds stored with their articles, canonical across articles."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline import pipeline
from storyline.batching import RunStats
from storyline.cli import cli
from storyline.ingest import iter_inputs
from storyline.model import Article, Quote, RawDoc
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import MemoryStore, Store
from storyline.understand import Findings, find_facts_many
from storyline.understand import _findings as findings_mod
from storyline.understand.canonical import FactResolver

from .conftest import AFP_SEED, DPA_SEED

SETTINGS = Settings(workers=1)


def _ingest(store: Store, paths: Iterable[Path], settings: Settings = SETTINGS) -> RunStats:
    items = iter_inputs([str(p) for p in paths], settings)
    return run(items, Components.for_store(settings, store), store)


def _by_agency(store: Store) -> dict[str | None, Article]:
    return {a.agency: a for a in store.list_articles()}


@pytest.fixture(scope="module")
def seeded() -> MemoryStore:
    store = MemoryStore()
    stats = _ingest(store, [AFP_SEED, DPA_SEED])
    assert (stats.stored, stats.rejected) == (2, 0)
    return store


def _stoltenberg_id(store: Store) -> str:
    found = store.find_entities("Jens Stoltenberg")
    assert len(found) == 1 and found[0].name == "Jens Stoltenberg" and found[0].type == "PER"
    return found[0].id


def _quote(quotes: Iterable[Quote], starts: str) -> Quote:
    return next(q for q in quotes if q.text.startswith(starts))


def test_stoltenberg_quotes_in_both_seeds_link_to_one_entity(seeded: MemoryStore) -> None:
    entity_id = _stoltenberg_id(seeded)
    articles = _by_agency(seeded)
    afp = seeded.article_facts(articles["AFP"].id).quotes
    dpa = seeded.article_facts(articles["dpa"].id).quotes
    assert _quote(afp, "Although no ally wants").speaker_entity_id == entity_id
    assert _quote(dpa, "NATO’s most important task").speaker_entity_id == entity_id  # said the Norwegian
    stressed = [q for q in dpa if q.cue == "stressed"]
    assert stressed and all(q.speaker_entity_id == entity_id for q in stressed)
    his = seeded.list_quotes(speaker_entity_id=entity_id, limit=100)
    assert {q.article_id for q in his} == {articles["AFP"].id, articles["dpa"].id}
    assert all(q.speaker_entity_id == entity_id for q in his)


def test_unnamed_speakers_are_kept_as_text(seeded: MemoryStore) -> None:
    afp = seeded.article_facts(_by_agency(seeded)["AFP"].id).quotes
    official = _quote(afp, "All options remain under consideration")
    diplomat = _quote(afp, "This war is not winnable")
    assert official.speaker == "a senior US official" and official.speaker_entity_id is None
    assert diplomat.speaker == "a European diplomat" and diplomat.speaker_entity_id is None


def test_afp_dates_resolve_against_the_publication_day(seeded: MemoryStore) -> None:
    times = seeded.article_facts(_by_agency(seeded)["AFP"].id).time_mentions
    values = {t.text: t for t in times}
    assert values["Wednesday"].value == "2021-02-17" and values["Wednesday"].is_event
    assert values["May 1"].value == "2021-05-01" and values["May 1"].anchor == "2021-02-17"


def test_afp_figures_are_normalised(seeded: MemoryStore) -> None:
    figures = {f.value: f for f in seeded.article_facts(_by_agency(seeded)["AFP"].id).figures}
    assert {9600.0, 2500.0, 0.02, 13.0} <= set(figures)
    assert figures[0.02].unit == "%" and figures[2500.0].counts == "troops"


def test_mentions_carry_offsets_and_entity_ids(seeded: MemoryStore) -> None:
    for article in seeded.list_articles():
        mentions = seeded.article_facts(article.id).mentions
        assert mentions and all(article.text[m.start : m.end] == m.text for m in mentions)
        assert any(m.entity_id for m in mentions)
    nato = [e for e in seeded.list_entities(limit=1000) if e.name == "NATO"]
    assert len(nato) == 1 and "NATO" in nato[0].aliases


def test_entities_restored_from_the_store_link_across_runs() -> None:
    store = MemoryStore()
    _ingest(store, [AFP_SEED])
    first = _stoltenberg_id(store)
    _ingest(store, [DPA_SEED])  # a new run: the resolver starts from the stored entity rows
    assert _stoltenberg_id(store) == first
    assert {q.article_id for q in store.list_quotes(speaker_entity_id=first, limit=100)} == {
        a.id for a in store.list_articles()
    }


def test_rerun_adds_no_facts_twice(seeded: MemoryStore) -> None:
    before = {a.id: seeded.article_facts(a.id) for a in seeded.list_articles()}
    stats = _ingest(seeded, [AFP_SEED, DPA_SEED])
    assert stats.unchanged == 2 and stats.stored == 0
    assert {a.id: seeded.article_facts(a.id) for a in seeded.list_articles()} == before


def test_a_copy_gets_no_facts_of_its_own(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(AFP_SEED.read_text(encoding="utf-8") + "\nEditing by a desk.\n", encoding="utf-8")
    store = MemoryStore()
    _ingest(store, [AFP_SEED, copy])
    dup = next(a for a in store.list_articles() if a.duplicate_of)
    facts = store.article_facts(dup.id)
    assert (facts.mentions, facts.quotes, facts.time_mentions, facts.figures) == ((), (), (), ())
    assert store.article_facts(dup.duplicate_of or "").quotes


def test_understanding_can_be_turned_off() -> None:
    store = MemoryStore()
    _ingest(store, [AFP_SEED], SETTINGS.replace(understand=False))
    article = store.list_articles()[0]
    assert store.article_facts(article.id).quotes == () and store.list_entities() == []


def test_a_failure_in_understanding_stores_the_article_without_facts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = findings_mod.find_facts_one

    def broken_for_dpa(article: Article, analysis: object) -> Findings:
        if "dpa" in article.text[:40]:
            raise RuntimeError("boom")
        return real(article, analysis)  # type: ignore[arg-type]

    monkeypatch.setattr(findings_mod, "find_facts_one", broken_for_dpa)
    store = MemoryStore()
    stats = _ingest(store, [AFP_SEED, DPA_SEED])
    assert (stats.stored, stats.rejected) == (2, 0)
    articles = _by_agency(store)
    assert store.article_facts(articles["dpa"].id).mentions == ()
    assert store.article_facts(articles["AFP"].id).quotes
    assert "boom" in caplog.text


def test_a_failure_resolving_entities_stores_the_article_without_facts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: FactResolver, article: Article, findings: Findings) -> object:
        raise ValueError("resolver bug")

    monkeypatch.setattr(FactResolver, "resolve", broken)
    store = MemoryStore()
    stats = _ingest(store, [AFP_SEED])
    assert stats.stored == 1 and store.article_facts(store.list_articles()[0].id).quotes == ()


def test_bad_text_never_raises() -> None:
    texts = ["", "“" * 50, "\x00\ufffd" * 30, "said " * 200, "a" * (findings_mod.MAX_TEXT_CHARS + 1)]
    articles = [
        Article(id=f"x{i}", text=t, language=lang) for i, t in enumerate(texts) for lang in ("en", "de", None)
    ]
    found = find_facts_many(articles)
    assert [f.article_id for f in found] == [a.id for a in articles]
    assert found[-1].error is not None


def test_the_process_pool_finds_the_same_facts(tmp_path: Path) -> None:
    stores = []
    for workers in (1, 2):
        store = MemoryStore()
        _ingest(store, [AFP_SEED, DPA_SEED], Settings(workers=workers))
        stores.append(store)
    one, two = stores
    assert one.list_entities(limit=1000) == two.list_entities(limit=1000)
    for article in one.list_articles():
        assert one.article_facts(article.id) == two.article_facts(article.id)


def test_pipeline_module_names_its_stage_order() -> None:
    assert "understand" in (pipeline.__doc__ or "")


def _cli(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), *args])
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("facts") / "t.db"
    code, out = _cli(db, "ingest", str(AFP_SEED), str(DPA_SEED))
    assert code == 0, out
    return db


def test_cli_entities_lists_nato_once_with_aliases(seeded_db: Path) -> None:
    code, out = _cli(seeded_db, "entities", "--json", "--limit", "1000")
    rows = json.loads(out)
    assert code == 0 and {"id", "name", "type", "aliases", "languages", "n_mentions"} <= set(rows[0])
    nato = [r for r in rows if r["name"] == "NATO"]
    assert len(nato) == 1 and nato[0]["aliases"] and nato[0]["languages"] == ["en"]
    assert [r["n_mentions"] for r in rows] == sorted((r["n_mentions"] for r in rows), reverse=True)


def test_cli_quotes_by_speaker_come_from_both_seeds(seeded_db: Path) -> None:
    code, out = _cli(seeded_db, "quotes", "--speaker", "Stoltenberg", "--json")
    rows = json.loads(out)
    assert code == 0 and len({r["article_id"] for r in rows}) == 2
    assert {r["speaker"] for r in rows} == {"Jens Stoltenberg"} and len(
        {r["speaker_entity_id"] for r in rows}
    ) == 1
    code, out = _cli(seeded_db, "quotes", "--speaker", "European diplomat", "--json")
    assert code == 0 and [r["speaker"] for r in json.loads(out)] == ["a European diplomat"]


def test_cli_entity_shows_who_said_what(seeded_db: Path) -> None:
    code, out = _cli(seeded_db, "entity", "Stoltenberg", "--json")
    shape = json.loads(out)
    assert code == 0 and shape["name"] == "Jens Stoltenberg" and len(shape["quotes"]) >= 4
    code, out = _cli(seeded_db, "entity", "Stoltenberg")
    assert code == 0 and "Although no ally wants" in out
    assert _cli(seeded_db, "entity", "Nobody Atall")[0] == 1


def test_cli_show_includes_the_facts(seeded_db: Path) -> None:
    afp = next(a for a in json.loads(_cli(seeded_db, "articles", "--json")[1]) if a["agency"] == "AFP")
    code, out = _cli(seeded_db, "show", afp["id"], "--json")
    shape = json.loads(out)
    assert code == 0 and {"entities", "mentions", "quotes", "dates", "figures"} <= set(shape)
    assert {"text": "Wednesday", "value": "2021-02-17", "is_event": True}.items() <= next(
        d for d in shape["dates"] if d["text"] == "Wednesday"
    ).items()
    assert any(e["name"] == "Jens Stoltenberg" for e in shape["entities"])
    code, out = _cli(seeded_db, "show", afp["id"])
    assert code == 0 and "a European diplomat [unlinked]" in out and "2021-05-01" in out and "9600" in out


def test_raw_inputs_of_every_kind_still_end_stored() -> None:
    raw = RawDoc("stdin:1", "text", "Berlin (dpa) - Scholz sagte am Montag: „Wir bleiben.“".encode())
    store = MemoryStore()
    stats = run([raw], Components.for_store(SETTINGS, store), store)
    assert stats.stored == 1
    facts = store.article_facts(store.list_articles()[0].id)
    assert facts.quotes and facts.quotes[0].cue
