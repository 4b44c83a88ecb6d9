"""Batched candidate scoring decides exactly as the per-candidate scorer it replaced.

``ReferenceAssigner`` below is the scorer as it was: one ``side_features`` call and one score call
per candidate, sides built afresh each time (``StoryBook.story_side``), every candidate list looked
up again. The batched assigner must give the same outcomes (assignments, story rows, state bytes,
storylines, merge events) on the synthetic stream of ``benchmarks/bench_assign.py``, with the merge
and link thresholds lowered so that stories merge and storylines link often in a few hundred
articles.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from benchmarks.bench_assign import Synthetic, build_states, probe_items, with_keys

from storyline.model import StoryEvent
from storyline.stories.assign import MODEL_PATH, AssignInput, AssignOutcome, StoryAssigner, side_features
from storyline.stories.assign._assign import MAX_MERGES, _older
from storyline.stories.assign._batch import Profile, batch_features, segment_sums
from storyline.stories.assign._model import Score, Side, gap_days
from storyline.stories.assign._state import NO_TIME, StoryState
from storyline.stories.assign._storylines import StorylineBook


class ReferenceLines(StorylineBook):
    """Storyline links scored one candidate at a time (the code before batching)."""

    def link(
        self,
        story: StoryState,
        at_us: int,
        changed: dict[str, StoryState],
        events: list[StoryEvent],
        near: list[StoryState] | None = None,
    ) -> None:
        if story.n & (story.n - 1):
            return
        link = self.model.link
        side = self.book.story_side(story)
        near = self.book.candidates(side, at_us, self.model.n_candidates, exclude=story.id)
        pool = {s.id: s for s in (*self.book.linked_candidates(story), *near)}
        best: StoryState | None = None
        best_score = -math.inf
        for other_id in sorted(pool):
            other = pool[other_id]
            if other.storyline_id == story.storyline_id:
                continue
            if float(side.centroid @ other.unit_centroid()) < self.model.min_cosine:
                continue
            other_side = self.book.story_side(other)
            if gap_days(side, other_side, NO_TIME) * 86_400e6 > self.window_us:
                continue
            score = link(side_features(side, other_side, self.book.stats.idf))
            if score > best_score:
                best, best_score = other, score
        if best is not None and best_score >= link.threshold:
            reason = f"link score {best_score:.2f} with story {best.id}"
            self._merge_lines(story.storyline_id, best.storyline_id, reason, changed, events)


class ReferenceAssigner(StoryAssigner):
    """Joins and merges scored one candidate at a time (the code before batching)."""

    def __init__(self, *, model_path: Path = MODEL_PATH) -> None:
        super().__init__(model_path=model_path)
        self.lines = ReferenceLines(
            self.book, window_us=int(self.storyline_window_days * 86_400_000_000), model=self.model
        )

    def _score1(self, linear: Score, a: Side, b: Side) -> tuple[float, np.ndarray]:
        row = side_features(a, b, self.book.stats.idf)
        return linear(row) - self.model.time_penalty * math.log1p(gap_days(a, b, NO_TIME)), row

    def _best(
        self, side: Profile, at_us: int, short: bool
    ) -> tuple[StoryState | None, float, np.ndarray | None]:  # type: ignore[override]
        article = self.book.article_side(side.keys, side.centroid, side.title, side.first_us)
        join = self.model.join
        threshold = self.model.short_threshold if short else join.threshold
        best: StoryState | None = None
        best_score, best_row = -math.inf, None
        for candidate in self.book.candidates(article, at_us, self.model.n_candidates):
            if float(article.centroid @ candidate.unit_centroid()) < self.model.min_cosine:
                continue
            score, row = self._score1(join, article, self.book.story_side(candidate))
            if score > best_score:
                best, best_score, best_row = candidate, score, row
        if best is None or best_score < threshold:
            return None, best_score if best is not None else 0.0, None
        return best, best_score, best_row

    def _merge_from(  # type: ignore[override]
        self, story: StoryState, at_us: int, changed: dict[str, StoryState], events: list[StoryEvent]
    ) -> tuple[StoryState, None]:
        merge, book = self.model.merge, self.book
        for _ in range(MAX_MERGES):
            side = book.story_side(story)
            best: StoryState | None = None
            best_score = -math.inf
            for candidate in book.candidates(side, at_us, self.model.n_candidates, exclude=story.id):
                if float(side.centroid @ candidate.unit_centroid()) < self.model.min_cosine:
                    continue
                score, _ = self._score1(merge, side, book.story_side(candidate))
                if score > best_score:
                    best, best_score = candidate, score
            if best is None or best_score < merge.threshold:
                break
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
            story = survivor
        return story, None


@pytest.fixture(scope="module")
def eager_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped model with merge and link thresholds low enough to fire on the synthetic stream."""
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model["merge"]["threshold"] = -1.5
    model["link"]["threshold"] = -3.0
    path = tmp_path_factory.mktemp("model") / "assign_model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    return path


def _stream(held: int, n: int) -> tuple[Synthetic, list[AssignInput]]:
    syn = Synthetic()
    list(build_states(syn, held))  # advance the event counter as a loaded run would
    items, _ = with_keys(probe_items(syn, n, syn.n_events))
    return syn, items


def _run(assigner: StoryAssigner, held: int, items: list[AssignInput]) -> list[AssignOutcome]:
    assigner.load_states(build_states(Synthetic(), held))
    return [assigner.assign(item) for item in items]


def test_batched_assignment_decides_as_the_per_candidate_scorer(eager_model: Path) -> None:
    _, items = _stream(3000, 360)
    batched = _run(StoryAssigner(model_path=eager_model), 3000, items)
    reference = _run(ReferenceAssigner(model_path=eager_model), 3000, items)
    kinds = [e.kind for o in reference for e in o.events]
    joined = sum(not o.assignment.is_new_story for o in reference)
    # the stream exercises every path: joins, new stories, story merges and storyline links
    assert joined > 50 and len(items) - joined > 50
    assert kinds.count("story_merge") >= 5 and kinds.count("storyline_merge") >= 5
    for i, (got, want) in enumerate(zip(batched, reference, strict=True)):
        assert got == want, f"article {i} ({items[i].article_id}) decided otherwise"


def test_batch_rows_equal_side_features_bit_for_bit() -> None:
    """Rows for an article and for stories (with cohesion) against many candidates."""
    _, items = _stream(2000, 80)
    assigner = StoryAssigner()
    assigner.load_states(build_states(Synthetic(), 2000))
    book, n_checked = assigner.book, 0
    for item in items:
        assigner.assign(item)
        stories = sorted(book.stories.values(), key=lambda s: s.id)
        story = max(stories, key=lambda s: (s.n_cohesion, s.id))  # a story that joined articles
        keys = item.article_keys().keys
        document = np.asarray(item.vectors.document, dtype=np.float32)
        for one, one_side in (
            (
                book.article_profile(keys, document, document, 0),
                book.article_side(keys, document, document, 0),
            ),
            (book.profile(story), book.story_side(story)),
        ):
            others = book.candidates(one, NO_TIME, 40)
            rows = batch_features(one, [book.profile(s) for s in others], book.stats.idf)
            want = [side_features(one_side, book.story_side(s), book.stats.idf) for s in others]
            assert np.array_equal(rows, np.reshape(want, rows.shape))
            n_checked += len(others)
    assert n_checked > 1000


def test_segment_sums_add_as_numpy_sums_each_segment() -> None:
    rng = np.random.default_rng(3)
    lengths = rng.integers(0, 300, 200)
    lengths[:40] = rng.integers(0, 9, 40)  # many short segments, as head names are
    values = (rng.random(int(lengths.sum())) * 10.0 ** rng.uniform(-3, 3, int(lengths.sum()))).astype(
        np.float32
    )
    seg = np.repeat(np.arange(len(lengths)), lengths)
    got = segment_sums(values, seg, len(lengths))
    starts = np.cumsum(lengths) - lengths
    want = np.array([values[s : s + n].sum() for s, n in zip(starts, lengths, strict=True)], dtype=np.float32)
    assert got.tobytes() == want.tobytes()
    # a plain running sum differs from numpy's pairwise one somewhere: the check can tell them apart
    running = np.array(
        [np.cumsum(values[s : s + n])[-1] if n else 0.0 for s, n in zip(starts, lengths, strict=True)]
    )
    assert running.astype(np.float32).tobytes() != want.tobytes()
