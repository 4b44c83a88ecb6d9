"""The pipeline end to end over in-memory inputs: counts, dedup, idempotence, determinism, no crash."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from storyline.ingest import iter_inputs
from storyline.model import RawDoc, Rejection
from storyline.pipeline import Components, prepare_light, run
from storyline.settings import Settings
from storyline.store.memory import MemoryStore

from .conftest import AFP_SEED, DPA_SEED

SETTINGS = Settings(workers=1)


def _raw(path: Path) -> RawDoc:
    return RawDoc(origin=str(path), kind="text", body=path.read_bytes())


def _run(items: list[RawDoc | Rejection], store: MemoryStore, settings: Settings = SETTINGS):  # type: ignore[no-untyped-def]
    return run(items, Components.for_store(settings, store), store)


def test_seeds_are_stored_with_their_dateline_facts() -> None:
    store = MemoryStore()
    stats = _run([_raw(AFP_SEED), _raw(DPA_SEED)], store)
    assert (stats.read, stats.stored, stats.rejected, stats.duplicates) == (2, 2, 0, 0)
    by_agency = {a.agency: a for a in store.list_articles()}
    assert set(by_agency) == {"AFP", "dpa"}
    assert (
        by_agency["AFP"].published_at is not None
        and by_agency["AFP"].published_at.date().isoformat() == "2021-02-17"
    )
    assert by_agency["dpa"].published_at is None
    assert {a.place for a in by_agency.values()} == {"Brussels"}
    assert {a.language for a in by_agency.values()} == {"en"}


def test_rerun_stores_nothing_twice_and_rejections_are_not_piled_up() -> None:
    store = MemoryStore()
    bad = RawDoc(origin="empty.html", kind="html", body=b"<html><body><nav>menu</nav></body></html>")
    first = _run([_raw(AFP_SEED), bad], store)
    second = _run([_raw(AFP_SEED), bad], store)
    assert (first.stored, first.rejected) == (1, 1)
    assert (second.stored, second.unchanged, second.rejected) == (0, 1, 1)
    assert len(store.list_articles()) == 1 and len(store.list_rejections()) == 1


def test_a_near_copy_is_kept_and_points_at_its_original() -> None:
    store = MemoryStore()
    text = AFP_SEED.read_text(encoding="utf-8")
    copy = RawDoc(
        origin="copy.txt", kind="text", body=text.replace("Wednesday", "Wednesday morning").encode()
    )
    stats = _run([_raw(AFP_SEED), copy], store)
    assert (stats.stored, stats.duplicates) == (2, 1)
    original = next(a for a in store.list_articles() if a.duplicate_of is None)
    assert [d.origin for d in store.duplicates_of(original.id)] == ["copy.txt"]


def test_reader_rejections_pass_through_to_the_store() -> None:
    store = MemoryStore()
    stats = _run([Rejection("x.jsonl:3", "read", "bad_json", "x.jsonl:3: not JSON")], store)
    assert (stats.read, stats.rejected, dict(stats.reasons)) == (1, 1, {"bad_json": 1})
    assert store.list_rejections()[0].origin == "x.jsonl:3"


def test_the_process_pool_gives_the_same_result_as_one_process() -> None:
    texts = [AFP_SEED.read_text(encoding="utf-8"), DPA_SEED.read_text(encoding="utf-8")]
    items: list[RawDoc | Rejection] = [
        RawDoc(origin=f"n{i}.txt", kind="text", body=(texts[i % 2] + f"\n\nUpdate number {i}.").encode())
        for i in range(40)
    ]
    results = []
    for workers in (1, 2):
        store = MemoryStore()
        _run(items, store, dataclasses.replace(SETTINGS, workers=workers, batch_size=7))
        results.append(sorted((a.origin, a.id, a.duplicate_of or "") for a in store.list_articles(limit=100)))
    assert results[0] == results[1] and len(results[0]) == 40


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "b.html", "c.jsonl", "d.warc.gz", "e"]))
def test_any_bytes_end_as_articles_or_rejections(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        store = MemoryStore()
        stats = _run(list(iter_inputs([str(path)], SETTINGS)), store)
        assert stats.read == stats.stored + stats.unchanged + stats.rejected
        assert len(store.list_rejections(limit=1000)) + len(store.list_articles(limit=1000)) >= min(
            1, stats.read
        )


def test_copies_are_decided_before_the_nlp_pass_and_skip_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A copy's facts are its original's: dedup decides in input order between the cheap and the
    costly stages, so exact and near copies are embedded (they join the story) but never analysed."""
    import storyline.pipeline as pipeline_module

    analysed: list[str] = []
    real = pipeline_module.find_facts_many

    def counting(articles):  # type: ignore[no-untyped-def]
        articles = list(articles)
        analysed.extend(a.origin for a in articles)
        return real(articles)

    monkeypatch.setattr(pipeline_module, "find_facts_many", counting)
    text = AFP_SEED.read_text(encoding="utf-8")
    items: list[RawDoc | Rejection] = [
        _raw(AFP_SEED),
        RawDoc(origin="updated.txt", kind="text", body=(text + "\n\nThis story was updated.").encode()),
        RawDoc(origin="near.txt", kind="text", body=text.replace("Wednesday", "Wednesday morning").encode()),
        _raw(DPA_SEED),
    ]
    store = MemoryStore()
    stats = _run(items, store, dataclasses.replace(SETTINGS, understand=True))
    assert (stats.stored, stats.duplicates) == (4, 2)
    assert sorted(analysed) == sorted([str(AFP_SEED), str(DPA_SEED)])
    by_origin = {a.origin: a for a in store.list_articles(limit=10)}
    original = by_origin[str(AFP_SEED)]
    copies = [by_origin["updated.txt"], by_origin["near.txt"]]
    assert [c.duplicate_of for c in copies] == [original.id, original.id]
    stories = store.story_ids_of([original.id, *(c.id for c in copies)])
    assert len(stories) == 3 and len(set(stories.values())) == 1


def test_each_article_is_embedded_once_for_stories_digest_rows_and_meaning_alerts(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The vectors the workers make serve the assigner, the digest's sentence rows and the
    watchlists' meaning match: with a meaning watchlist on, an ingest embeds exactly the texts of
    ``embed_articles`` (copies included, since they join their original's story) and nothing more."""
    from storyline.alerts import WatchlistInput, on_batch
    from storyline.embed import embed_articles, embedder_for
    from storyline.embed.use import UseEmbedder

    text = AFP_SEED.read_text(encoding="utf-8")
    items: list[RawDoc | Rejection] = [
        _raw(AFP_SEED),
        RawDoc(origin="near.txt", kind="text", body=text.replace("Wednesday", "Wednesday morning").encode()),
        _raw(DPA_SEED),
    ]
    store = MemoryStore()
    embedder = embedder_for(SETTINGS.embedder)
    store.add_watchlist(
        WatchlistInput(
            "nato spending", example="NATO allies discuss defence spending and Afghanistan"
        ).watchlist(embedder)
    )

    class Recorder:
        name = embedder.name

        def __init__(self) -> None:
            self.texts: list[str] = []

        def embed(self, texts):  # type: ignore[no-untyped-def]
            self.texts.extend(texts)
            return embedder.embed(texts)

    expected = Recorder()
    prepared = [p for p in prepare_light(items, SETTINGS) if not isinstance(p, Rejection)]
    embed_articles(expected, [(p.article.title, p.article.text) for p in prepared])  # type: ignore[arg-type]
    embedded: list[str] = []
    real = UseEmbedder.embed

    def counting(self, texts):  # type: ignore[no-untyped-def]
        embedded.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(UseEmbedder, "embed", counting)
    stats = run(
        items, Components.for_store(SETTINGS, store), store, on_stored=lambda batch: on_batch(store, batch)
    )
    assert (stats.stored, stats.duplicates) == (3, 1)
    assert sorted(embedded) == sorted(expected.texts)
    assert store.list_alerts(limit=10), "the meaning watchlist matched from the stored vectors"
