"""Online story assignment: each article joins the best live story or starts a new one.

For each article, in stream order:

1. The stream clock advances (an undated article is "now": the latest date seen so far).
   Stories idle for more than ``window_days`` stop taking members; stories idle for more than
   ``storyline_window_days`` are forgotten.
2. A near-copy (``duplicate_of``) joins its original's story.
3. Otherwise the candidates are the active stories nearest by centroid plus those posting one of
   the article's rare names, entities or places. Those whose centroid is at least ``min_cosine``
   close (the pairs the score was fitted on) are scored by the fitted ``join`` score
   (``_model.py``) less a time penalty, all in one batch (``_batch.py``, from the story profiles
   ``StoryBook.profile`` keeps); the best (ties: smallest id) takes the article if it
   reaches the threshold (a lower one for a bare headline: ``short_threshold``), else the article
   founds a new story.
4. The story that changed is compared with its own (plausible) candidates by the ``merge`` score; the younger
   of a pair that reaches the threshold is merged into the older (``story_merge`` event; the
   merged id stays valid, with ``merged_into`` set).
5. Storylines are linked (``_storylines.py``; when the merge check found no merge, with the
   candidates it found, which are those a new look-up would find).

Ids never change and are never reused: a story is ``s`` + 15 hex digits of sha256 of its first
article id. Everything is deterministic for a given input order, and ``restore`` (from the
states the store kept) resumes exactly as an uninterrupted run would decide while the number of
active stories stays below ``_index.EXACT_MAX``.

``StoryAssigner`` is registered as the ``"assigner"`` named ``stories.v1`` (``settings.assigner``).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.embed import ArticleVectors, Embedder, article_title, embed_articles
from storyline.model import Article, Assignment, Story, StoryEvent, Storyline
from storyline.registry import register
from storyline.stories.assign._batch import Profile, batch_features
from storyline.stories.assign._book import StoryBook
from storyline.stories.assign._contract import ROLE
from storyline.stories.assign._keys import ArticleKeys, article_keys
from storyline.stories.assign._model import MODEL_PATH, AssignModel, Score, gap_days
from storyline.stories.assign._state import NO_TIME, StoryState, decode_state, encode_state
from storyline.stories.assign._storylines import StorylineBook
from storyline.stories.boilerplate import story_text, story_title
from storyline.stories.similarity import TextSignals, text_signals

__all__ = ["AssignInput", "AssignOutcome", "StoryAssigner", "from_us", "prepare_assign_inputs", "to_us"]

LOGGER = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_US = 86_400_000_000
#: Merges one article may set off at most (a story that merged is checked again).
MAX_MERGES = 3
LABEL_CHARS = 120


def word_safe_label(text: str, limit: int = LABEL_CHARS) -> str:
    """The first line of ``text`` in at most ``limit`` characters, cut at a word boundary (with
    ``…``) rather than mid-word; a single word longer than ``limit`` is cut hard (so a label is
    never longer than ``limit``)."""
    lines = text.strip().split("\n")
    line = " ".join(lines[0].split()) if lines else ""
    if len(line) <= limit:
        return line
    head = line[: limit - 1]
    if not line[limit - 1].isspace() and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:-–—") + "…"


@dataclass(frozen=True)
class AssignInput:
    """Everything the assigner needs about one article."""

    article_id: str
    title: str
    text: str
    language: str | None
    source: str | None
    published_at: datetime | None
    duplicate_of: str | None  # a near-copy joins its original's story
    vectors: ArticleVectors
    signals: TextSignals
    entities: tuple[str, ...] = ()  # canonical entity keys (understanding stage), used when present
    places: tuple[str, ...] = ()  # dateline / NER places, when known
    keys: ArticleKeys | None = None  # ``article_keys`` of the above (None: ``assign`` finds them)

    def article_keys(self) -> ArticleKeys:
        """The article's keys: ``keys`` when prepared, else found now."""
        if self.keys is not None:
            return self.keys
        return article_keys(self.title, self.text, self.signals, entities=self.entities, places=self.places)


@dataclass(frozen=True)
class AssignOutcome:
    """What one assignment changed: the decision, changed story rows and states, storylines, merges."""

    assignment: Assignment
    stories: tuple[Story, ...]
    story_states: Mapping[str, bytes]
    storylines: tuple[Storyline, ...]
    events: tuple[StoryEvent, ...]


def prepare_assign_inputs(articles: Sequence[Article], embedder: Embedder) -> list[AssignInput]:
    """The assignment inputs of ``articles``: one batched embedding call, then signals and keys per
    article (everything that depends on the article alone, so ``assign`` does only the ordered part).

    The story stages read the article without its boilerplate (``Article.boilerplate``, marked by
    the pipeline in input order): the vectors, the signals and the keys."""
    views = [(story_title(a), story_text(a)) for a in articles]
    vectors = embed_articles(embedder, views)
    out: list[AssignInput] = []
    for article, (title_view, body), vec in zip(articles, views, vectors, strict=True):
        title = article_title(title_view, body)
        text = body if not title or body.startswith(title) else f"{title}\n{body}"
        item = AssignInput(
            article_id=article.id,
            title=title,
            text=body,
            language=article.language,
            source=article.source,
            published_at=article.published_at,
            duplicate_of=article.duplicate_of,
            vectors=vec,
            signals=text_signals(text),
            places=(article.place,) if article.place else (),
        )
        out.append(dataclasses.replace(item, keys=item.article_keys()))
    return out


def to_us(at: datetime | None) -> int:
    """Microseconds since the epoch (naive datetimes read as UTC); ``NO_TIME`` for None."""
    if at is None:
        return NO_TIME
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return (at - _EPOCH) // timedelta(microseconds=1)


def from_us(us: int) -> datetime | None:
    return None if us == NO_TIME else _EPOCH + timedelta(microseconds=us)


@register(ROLE, "stories.v1")
class StoryAssigner:
    """Assigns articles to stories online; see the module docstring for the decision."""

    def __init__(
        self, *, window_days: float = 30, storyline_window_days: float = 180, model_path: Path = MODEL_PATH
    ) -> None:
        self.window_days = window_days
        self.storyline_window_days = storyline_window_days
        self.model_path = model_path
        self.model = AssignModel.load(model_path)
        horizon = max(window_days, storyline_window_days)
        self.book = StoryBook(
            window_us=int(window_days * _DAY_US),
            horizon_us=int(horizon * _DAY_US),
            n_members=self.model.n_members,
            idf_prior=self.model.idf_prior,
        )
        self.lines = StorylineBook(
            self.book, window_us=int(storyline_window_days * _DAY_US), model=self.model
        )
        self._merged_rows: dict[str, Story] = {}

    def __repr__(self) -> str:
        return (
            f"StoryAssigner(window_days={self.window_days},"
            f" storyline_window_days={self.storyline_window_days}, model_path={str(self.model_path)!r})"
        )

    @property
    def horizon(self) -> timedelta:
        """How long after its last article a story stays in memory (``restore`` needs only these)."""
        return timedelta(microseconds=self.book.horizon_us)

    # -- restore -------------------------------------------------------------------------------
    def restore(self, states: Iterable[tuple[Story, bytes]]) -> int:
        """Take back the live stories a store kept; returns how many are held (old ones are dropped)."""
        decoded: list[StoryState] = []
        for story, blob in states:
            try:
                state = decode_state(blob)
            except ValueError as e:
                LOGGER.warning("assign: story %s has an unreadable state (%s); not restored", story.id, e)
                continue
            state.languages, state.sources = story.languages, story.sources
            decoded.append(state)
        n = self.book.load(iter(decoded))
        self.lines.restore()
        LOGGER.info("assign: restored %d live stories (%d read)", n, len(decoded))
        return n

    def load_states(self, states: Iterable[StoryState]) -> int:
        """Hold decoded states directly (bulk load: benchmarks, rebuilds); returns how many are held."""
        n = self.book.load(iter(states))
        self.lines.restore()
        return n

    # -- assign --------------------------------------------------------------------------------
    def assign(self, item: AssignInput, *, duplicate_of: str | None = None) -> AssignOutcome:
        """Put one article into a story (deterministic for a given input order). ``duplicate_of``:
        the original dedup found for the article after its input was prepared (None: the input's
        own ``duplicate_of``); a near-copy joins its original's story."""
        duplicate_of = duplicate_of or item.duplicate_of
        document = np.asarray(item.vectors.document, dtype=np.float32)
        title = np.asarray(item.vectors.title, dtype=np.float32)
        book = self.book
        book.use_dim(len(document))
        at_us = book.tick(to_us(item.published_at))
        keys = item.article_keys()
        changed: dict[str, StoryState] = {}
        events: list[StoryEvent] = []
        original = book.article_story.get(duplicate_of) if duplicate_of else None
        if original is not None:
            story, score, is_new = book.stories[original], 1.0, False
        else:
            side = book.article_profile(keys.keys, document, title, at_us)
            short = len(item.text) < self.model.short_chars
            best, score, row = self._best(side, at_us, short)
            is_new = best is None
            if best is not None and row is not None:
                book.cohere(best, row)
                story = best
            else:
                label = word_safe_label(item.title or item.text)
                story = book.create(item.article_id, label)
                self.lines.found(story)
        book.add_article(story, item.article_id, keys.keys, document, title, at_us)
        story.languages = _with(story.languages, item.language)
        story.sources = _with(story.sources, item.source)
        self.lines.grow(story, at_us)
        changed[story.id] = story
        story, near = self._merge_from(story, at_us, changed, events)
        self.lines.link(story, at_us, changed, events, near=near)
        assignment = Assignment(item.article_id, story.id, round(score, 6), is_new)
        return self._outcome(assignment, changed, events)

    def _best(
        self, side: Profile, at_us: int, short: bool
    ) -> tuple[StoryState | None, float, npt.NDArray[np.float64] | None]:
        join = self.model.join
        threshold = self.model.short_threshold if short else join.threshold
        found = self.book.candidates(side, at_us, self.model.n_candidates)
        stories, scores, rows = self._scores(join, side, found)
        best: StoryState | None = None
        best_score, best_row = -math.inf, None
        for candidate, score, row in zip(stories, scores, rows, strict=True):
            if score > best_score:  # candidates come sorted by id: ties keep the smallest
                best, best_score, best_row = candidate, score, row
        if best is None or best_score < threshold:
            return None, best_score if best is not None else 0.0, None
        return best, best_score, best_row

    def _scores(
        self, score: Score, side: Profile, candidates: Sequence[StoryState]
    ) -> tuple[list[StoryState], list[float], npt.NDArray[np.float64]]:
        """The candidates close enough to be scored (centroid cosine at least ``min_cosine``: cheaper
        to skip before building features), each one's score less the time penalty, and their
        feature rows: one batch for all (``_batch.batch_features``)."""
        kept: list[StoryState] = []
        profiles: list[Profile] = []
        cosines: list[float] = []
        for candidate in candidates:
            cosine = float(side.centroid @ self.book.unit_centroid(candidate))
            if cosine < self.model.min_cosine:
                continue  # too far to be the same story
            kept.append(candidate)
            profiles.append(self.book.profile(candidate))
            cosines.append(cosine)
        rows = batch_features(side, profiles, self.book.stats.idf, cosines)
        penalty = self.model.time_penalty
        scores = [
            s - penalty * math.log1p(gap_days(side, p, NO_TIME))
            for s, p in zip(score.many(rows), profiles, strict=True)
        ]
        return kept, scores, rows

    def _merge_from(
        self, story: StoryState, at_us: int, changed: dict[str, StoryState], events: list[StoryEvent]
    ) -> tuple[StoryState, list[StoryState] | None]:
        """Merge the changed story with its best candidates while they pass; the story that remains,
        and its candidates when the last look found no merge (the story has not changed since)."""
        merge, book = self.model.merge, self.book
        for _ in range(MAX_MERGES):
            side = book.profile(story)
            found = book.candidates(side, at_us, self.model.n_candidates, exclude=story.id)
            stories, scores, _ = self._scores(merge, side, found)
            best: StoryState | None = None
            best_score = -math.inf
            for candidate, score in zip(stories, scores, strict=True):
                if score > best_score:
                    best, best_score = candidate, score
            if best is None or best_score < merge.threshold:
                return story, found
            survivor, merged = (story, best) if _older(story, best) else (best, story)
            merged_row = self._row(merged, merged_into=survivor.id)
            self.lines.merge_stories(survivor, merged, changed, events)
            book.merge(survivor, merged)
            changed.pop(merged.id, None)
            changed[survivor.id] = survivor
            self._merged_rows[merged.id] = merged_row
            events.append(
                StoryEvent(
                    "story_merge", merged.id, survivor.id, f"merge score {best_score:.2f}", at=self._at()
                )
            )
            LOGGER.debug("assign: merged story %s into %s (%.2f)", merged.id, survivor.id, best_score)
            story = survivor
        return story, None

    def _at(self) -> datetime:
        at = from_us(self.book.now_us)
        return at if at is not None else datetime.now(UTC)

    def _row(self, story: StoryState, merged_into: str | None = None) -> Story:
        return Story(
            id=story.id,
            label=story.label,
            n_articles=story.n,
            languages=story.languages,
            sources=story.sources,
            first_seen_at=from_us(story.first_us),
            last_seen_at=from_us(story.last_us),
            storyline_id=story.storyline_id or None,
            merged_into=merged_into,
        )

    def _outcome(
        self, assignment: Assignment, changed: dict[str, StoryState], events: list[StoryEvent]
    ) -> AssignOutcome:
        rows = [self._row(s) for s in changed.values()]
        rows.extend(self._merged_rows.values())
        self._merged_rows = {}
        return AssignOutcome(
            assignment=assignment,
            stories=tuple(rows),
            story_states={s.id: encode_state(s) for s in changed.values()},
            storylines=self.lines.changed_rows(),
            events=tuple(events),
        )


def _older(a: StoryState, b: StoryState) -> bool:
    """True when ``a`` was first seen before ``b`` (stream time, then ingest order, then id)."""
    return (a.first_us, a.first_seq, a.id) < (b.first_us, b.first_seq, b.id)


def _with(values: tuple[str, ...], value: str | None) -> tuple[str, ...]:
    return values if not value or value in values else tuple(sorted((*values, value)))
