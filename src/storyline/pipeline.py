"""The only module that knows the order of the stages.

::

    RawDoc ─► extract ─► language ─► signature ─► (stored? copy? boilerplate?) ─► understand ─► embed ─►
              └──── per article, workers ───┘      └── in order, here ──┘    └──── workers ────┘
        ─► canonical entities ─► assign ─► store
           └──── in order, in this process ────┘

The per-article stages (extract, language, MinHash signature, with ``understand`` on the NLP pass
and the facts derived from it, and with ``stories`` on the embedding and surface signals) are pure
functions of the item (``prepare_chunk``), so an engine (``storyline.engine``: a fork pool, or
prepare actors on Ray) runs them over bounded windows of input and hands them back in input order
(each worker loads its models once); inputs already stored skip the NLP pass and the embedding
(``prepare_light`` gives the id, the store is asked, ``prepare_heavy`` runs for the new ones only),
and copies of earlier articles skip the NLP pass (dedup decides in input order between the two,
and so does the boilerplate index: the spans of text the article's outlet repeats, which the
embedding and the story keys then leave out).
The stateful steps (the "already stored" check, dedup,
canonical entities and speaker links, story assignment, writing) run in this process, in input
order, so a run is deterministic for a given input. An article and its facts are written in one
transaction and count as stored only once it is committed, so a run killed at any point loses
nothing it reported, and re-running stores nothing twice (the entity resolver is restored from the
committed entity rows, as the dedup index is).

Duplicates (exact and near copies) get no facts of their own: their facts are their original's,
so quotes and entity mention counts are not inflated by copies of one wire report. An article whose
understanding fails is stored without facts (the failure is logged).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from storyline import engine, registry
from storyline.batching import BatchWriter, RunStats
from storyline.dedup import Deduplicator, Signature, make_signature
from storyline.embed import embedder_for
from storyline.engine.ordered import attach_heavy
from storyline.errors import ConfigError, Rejected
from storyline.extract import extract_article
from storyline.language import with_language
from storyline.model import Article, Batch, BoilerplateCount, RawDoc, Rejection, ResolvedFacts
from storyline.settings import Settings
from storyline.store import StoryWriter
from storyline.stories.assign import ROLE, Assigner, AssignInput, prepare_assign_inputs
from storyline.stories.boilerplate import BoilerplateIndex
from storyline.understand import Findings, find_facts_many
from storyline.understand.canonical import FactResolver

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """What the parallel stages hand back for one raw input."""

    raw: RawDoc
    article: Article
    signature: Signature
    assign_input: AssignInput | None = None
    findings: Findings | None = None
    known: bool = False
    """Already stored, or earlier in this run, when the engine looked: the NLP pass and the
    embedding were skipped, and the ordered step counts it unchanged."""
    copy_checked: bool = False
    """The run's ``Deduplicator`` has seen the article (``article.duplicate_of`` is its decision),
    before the costly stages: a copy was embedded but not analysed."""
    boilerplate_changes: tuple[BoilerplateCount, ...] = ()
    """The boilerplate index rows that learning this article changed (written with the article)."""


class Components:
    """The stateful stage objects of a run, built once per store."""

    def __init__(
        self,
        settings: Settings,
        *,
        dedup: Deduplicator,
        assigner: Assigner | None = None,
        facts: FactResolver | None = None,
        boilerplate: BoilerplateIndex | None = None,
    ) -> None:
        self.settings = settings
        self.dedup = dedup
        self.assigner = assigner
        self.facts = facts
        self.boilerplate = boilerplate

    @classmethod
    def for_store(cls, settings: Settings, store: StoryWriter) -> Components:
        """Components primed with what ``store`` already holds (dedup index, live stories).

        Only the live window is read: near-copy signatures published within
        ``near_copy_window_days`` of the latest stored article, and stories last seen within the
        assigner's horizon of the latest story, so start-up time and memory stay flat as the store
        ages. Both stages forget by the same rule during a run, so the restored state is exactly
        what an uninterrupted run would hold."""
        dedup = Deduplicator(
            shingle_words=settings.shingle_words,
            num_perm=settings.minhash_perms,
            threshold=settings.near_copy_threshold,
            window_days=settings.near_copy_window_days,
            lookup=store.original_with_hash,
        )
        dedup.tick(store.latest_published())
        dedup.load(store.iter_minhashes(dedup.since()))
        assigner = None
        boilerplate = None
        if settings.stories:
            assigner = _new_assigner(settings)
            latest = store.latest_story_seen()
            since = None if latest is None else latest - assigner.horizon
            n = assigner.restore(store.iter_story_states(since))
            LOGGER.info("assign: restored %d live stories", n)
            boilerplate = BoilerplateIndex.from_settings(settings)
            boilerplate.tick(store.latest_published())
            boilerplate.load(store.iter_boilerplate(boilerplate.since()))
        facts = FactResolver.restored(store.iter_entities()) if settings.understand else None
        return cls(settings, dedup=dedup, assigner=assigner, facts=facts, boilerplate=boilerplate)

    def check_copy(self, item: Prepared) -> Prepared:
        """``item`` with its article marked by the dedup index, then by the boilerplate index (the
        engine's ``mark``: asked once per new article, in input order, before the costly stages)."""
        article = self.dedup.mark(item.article, item.signature)
        changes: tuple[BoilerplateCount, ...] = ()
        if self.boilerplate is not None:
            marked = self.boilerplate.observe(article)
            article, changes = marked.article, marked.changes
        return dataclasses.replace(item, article=article, copy_checked=True, boilerplate_changes=changes)


def article_from(raw: RawDoc, settings: Settings) -> Article:
    """The article of one raw input: extract, then language; raises ``Rejected`` as those stages do.

    The one place these two stages are put in order: runs go through it (``prepare_one``), and so
    does every entry point that reads a single input outside a run (``storyline compare``, the web's
    compare)."""
    return with_language(extract_article(raw, settings))


def prepare_one(item: RawDoc | Rejection, settings: Settings) -> Prepared | Rejection:
    """The per-article stages: extract, language, signature. Never raises for bad input."""
    if isinstance(item, Rejection):
        return item
    try:
        article = article_from(item, settings)
    except Rejected as r:
        return Rejection(item.origin, r.stage, r.reason, r.detail, raw=item.body[:65_536])
    signature = make_signature(
        article.text, shingle_words=settings.shingle_words, num_perm=settings.minhash_perms
    )
    return Prepared(item, article, signature)


def _new_assigner(settings: Settings) -> Assigner:
    """The assigner ``settings.assigner`` names in the registry (``stories.v1``), made once per run."""
    assigner = registry.create(
        ROLE,
        settings.assigner,
        window_days=settings.story_window_days,
        storyline_window_days=settings.storyline_window_days,
    )
    if not isinstance(assigner, Assigner):
        raise ConfigError(f"{ROLE} {settings.assigner!r} is not a story assigner: {assigner!r}")
    return assigner


def prepare_light(items: list[RawDoc | Rejection], settings: Settings) -> list[Prepared | Rejection]:
    """The cheap per-article stages of a chunk (``prepare_one``): enough to know each article's id,
    so the engine can ask the store which are new before paying for ``prepare_heavy``."""
    return [prepare_one(item, settings) for item in items]


Heavy = tuple[Findings | None, AssignInput | None]
"""What ``prepare_heavy`` adds to one new article: its findings and its assigner input."""


def prepare_heavy(
    articles: list[Article], settings: Settings, *, new: list[bool] | None = None
) -> list[Heavy]:
    """The costly per-article stages: with ``understand`` on one batched NLP pass over the ``new``
    articles that copy nothing (a copy's facts are its original's, so its findings are None), with
    ``stories`` on one batched embedding call; one pair per new article, in order.

    The embedding runs over the whole chunk whenever one article of it is new: a vector depends on
    the rest of its batch in the last bits (BLAS blocking), so embedding only the new articles would
    give a resumed run vectors a few ulps off those of an uninterrupted one. The NLP pass, about
    60 % of the work and independent of the batch, runs over the new articles only."""
    keep = [i for i in range(len(articles)) if new is None or new[i]]
    if not keep:
        return []
    found: list[Findings | None] = [None] * len(keep)
    if settings.understand:
        originals = [k for k, i in enumerate(keep) if articles[i].duplicate_of is None]
        for k, findings in zip(
            originals, find_facts_many([articles[keep[k]] for k in originals]), strict=True
        ):
            found[k] = findings
    inputs: list[AssignInput | None] = [None] * len(keep)
    if settings.stories:
        every = prepare_assign_inputs(articles, embedder_for(settings.embedder))
        inputs = [every[i] for i in keep]
    return list(zip(found, inputs, strict=True))


STAGES = engine.Stages(light=prepare_light, heavy=prepare_heavy)
"""What an engine runs per chunk: module-level functions, so a worker or an actor gets them by name."""


def prepare_chunk(items: list[RawDoc | Rejection], settings: Settings) -> list[Prepared | Rejection]:
    """Every per-article stage over one chunk, every article taken as new (``prepare_light``, then
    ``prepare_heavy``): what both engines compute, split in two so stored inputs skip the second."""
    results = prepare_light(items, settings)
    articles = [r.article for r in results if isinstance(r, Prepared)]
    return attach_heavy(results, [True] * len(articles), prepare_heavy(articles, settings))


def run(
    items: Iterable[RawDoc | Rejection],
    components: Components,
    store: StoryWriter,
    *,
    on_progress: Callable[[RunStats], None] | None = None,
    on_stored: Callable[[Batch], object] | None = None,
) -> RunStats:
    """Run every stage over ``items`` and store the results; returns the counts.

    ``on_stored`` sees each batch once it is committed (the alerts hook); its failures are logged."""
    settings = components.settings
    stats = RunStats()
    batch = BatchWriter(store, stats, on_stored=on_stored)
    seen: set[str] = set()
    prepared = engine.prepared(
        items, settings, stages=STAGES, known=store.existing_article_ids, mark=components.check_copy
    )
    for result in prepared:
        stats.read += 1
        if isinstance(result, Rejection):
            batch.rejections.append(result)
        elif result.known or result.article.id in seen or store.existing_article_ids([result.article.id]):
            stats.unchanged += 1
        else:
            if not result.copy_checked:
                result = components.check_copy(result)
            article = result.article
            batch.add_boilerplate(result.boilerplate_changes)
            seen.add(article.id)
            if article.duplicate_of is None and components.facts is not None and result.findings is not None:
                batch.add_facts(_resolve_facts(components.facts, article, result.findings))
            if components.assigner is not None and result.assign_input is not None:
                item = result.assign_input
                outcome = components.assigner.assign(item, duplicate_of=article.duplicate_of)
                batch.add_outcome(outcome, item.vectors)
                if article.duplicate_of is None and not article.boilerplate:
                    batch.add_sentence_rows(article, item.vectors)  # rows of the whole text only
            batch.articles.append(article)
            batch.raws.append(result.raw)
            if article.duplicate_of is None:
                batch.minhashes[article.id] = result.signature.to_bytes()
        if len(batch) >= settings.batch_size:
            batch.flush()
        if on_progress is not None:
            on_progress(stats)
    batch.flush()
    if on_progress is not None:
        on_progress(stats)
    LOGGER.info("pipeline: %s", stats.summary())
    return stats


def _resolve_facts(facts: FactResolver, article: Article, findings: Findings) -> ResolvedFacts:
    """The article's stored facts; a failure leaves the article without facts (logged), never lost."""
    try:
        return facts.resolve(article, findings)
    except Exception as e:
        LOGGER.warning(
            "understand: %s: resolving entities failed, stored without facts: %s: %s",
            article.id,
            type(e).__name__,
            e,
        )
        return ResolvedFacts()


def rebuild_stories(
    store: StoryWriter, settings: Settings, *, on_progress: Callable[[int], None] | None = None
) -> int:
    """Forget every story decision and assign all stored articles again, in the order stored.

    Deterministic: the same store gives the same stories as the original ingest did (with the same
    settings), because assignment depends only on the articles and their order. The boilerplate
    index is rebuilt the same way (``clear_stories`` forgets it too), every article marked again in
    the order stored."""
    store.clear_stories()
    assigner = _new_assigner(settings)
    embedder = embedder_for(settings.embedder)
    boilerplate = BoilerplateIndex.from_settings(settings)
    n = 0
    articles = iter(list(store.iter_articles()))
    while raw_chunk := list(islice(articles, settings.batch_size)):
        batch = BatchWriter(store, RunStats())
        chunk: list[Article] = []
        for article in raw_chunk:
            marked = boilerplate.observe(article)
            batch.add_boilerplate(marked.changes)
            chunk.append(marked.article)
        for article, item in zip(chunk, prepare_assign_inputs(chunk, embedder), strict=True):
            batch.add_outcome(assigner.assign(item, duplicate_of=article.duplicate_of), item.vectors)
        batch.flush()
        n += len(chunk)
        if on_progress is not None:
            on_progress(n)
    LOGGER.info("rebuild: %d articles assigned again", n)
    return n
