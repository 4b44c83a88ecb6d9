"""Storylines: stories that continue each other over months, linked as stories change.

Every story starts in a storyline of its own (``l`` + 15 hex digits of sha256 of the story id).
When a story is founded, reaches 2, 4, 8... members or absorbs another story, it is compared with
stories of other storylines within ``storyline_window_days`` that share one of its key names,
entities or places (or whose centroid is near): the ``link`` score of ``assign_model.json`` (hand
set: the development data has no storyline labels; see docs/evaluation.md) weighs centroid
closeness and shared key names. When it passes, the younger storyline is merged into the older
(``storyline_merge`` event, ``merged_into`` set; ids never change), and the stories of the merged
storyline point to the survivor from then on.

A storyline's running totals travel in the state of each of its stories (``LineSnapshot``, with
the ingest sequence of its last change), so ``restore`` takes the newest snapshot of each.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import UTC, datetime, timedelta

from storyline.model import StoryEvent, Storyline
from storyline.stories.assign._batch import Profile, batch_features
from storyline.stories.assign._book import StoryBook
from storyline.stories.assign._model import AssignModel, gap_days
from storyline.stories.assign._state import NO_TIME, LineSnapshot, StoryState

__all__ = ["StorylineBook", "storyline_id_for"]

LOGGER = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def storyline_id_for(story_id: str) -> str:
    """The id of the storyline a story founds: ``l`` + 15 hex digits of sha256(story id)."""
    return "l" + hashlib.sha256(story_id.encode("utf-8", "surrogatepass")).hexdigest()[:15]


def _time(us: int) -> datetime | None:
    return None if us == NO_TIME else _EPOCH + timedelta(microseconds=us)


def _later(a: int, b: int) -> int:
    return b if a == NO_TIME else a if b == NO_TIME else max(a, b)


def _earlier(a: int, b: int) -> int:
    return b if a == NO_TIME else a if b == NO_TIME else min(a, b)


class StorylineBook:
    """Live storylines (those with a story in memory) and the link decision."""

    def __init__(self, book: StoryBook, *, window_us: int, model: AssignModel) -> None:
        self.book, self.window_us, self.model = book, window_us, model
        self.lines: dict[str, LineSnapshot] = {}
        self.ids: dict[int, str] = {}  # id(snapshot) -> storyline id
        self.members: dict[str, set[str]] = {}
        self._changed: dict[str, Storyline] = {}
        book.on_forget = self._forget

    # -- bookkeeping ---------------------------------------------------------------------------
    def _hold(self, line_id: str, line: LineSnapshot) -> None:
        self.lines[line_id] = line
        self.ids[id(line)] = line_id
        self.members.setdefault(line_id, set())

    def _row(self, line_id: str, line: LineSnapshot, merged_into: str | None = None) -> Storyline:
        return Storyline(
            id=line_id,
            label=line.label,
            n_articles=line.n_articles,
            first_seen_at=_time(line.first_us),
            last_seen_at=_time(line.last_us),
            merged_into=merged_into,
        )

    def _mark(self, line_id: str) -> None:
        self._changed[line_id] = self._row(line_id, self.lines[line_id])

    def changed_rows(self) -> tuple[Storyline, ...]:
        """Storyline rows changed since the last call."""
        rows, self._changed = tuple(self._changed.values()), {}
        return rows

    def _forget(self, story: StoryState) -> None:
        holders = self.members.get(story.storyline_id)
        if holders is not None:
            holders.discard(story.id)
            if not holders:
                line = self.lines.pop(story.storyline_id)
                self.ids.pop(id(line), None)
                del self.members[story.storyline_id]

    def restore(self) -> None:
        """Rebuild the live storylines from the restored stories (newest snapshot of each wins)."""
        newest: dict[str, LineSnapshot] = {}
        for story in self.book.stories.values():
            held = newest.get(story.storyline_id)
            if held is None or story.line.version > held.version:
                newest[story.storyline_id] = story.line
        for line_id, line in newest.items():
            self._hold(line_id, line)
        for story in self.book.stories.values():
            story.line = self.lines[story.storyline_id]
            self.members[story.storyline_id].add(story.id)

    # -- changes -------------------------------------------------------------------------------
    def found(self, story: StoryState) -> None:
        """A new story starts a storyline of its own."""
        line_id = storyline_id_for(story.id)
        line = LineSnapshot(version=self.book.seq, first_seq=self.book.seq, label=story.label)
        self._hold(line_id, line)
        story.storyline_id, story.line = line_id, line
        self.members[line_id].add(story.id)

    def grow(self, story: StoryState, at_us: int) -> None:
        """One more article in ``story`` (already added to it)."""
        line = story.line
        line.n_articles += 1
        line.first_us = _earlier(line.first_us, at_us)
        line.last_us = _later(line.last_us, at_us)
        line.version = self.book.seq
        self._mark(story.storyline_id)

    def merge_stories(
        self,
        survivor: StoryState,
        merged: StoryState,
        changed: dict[str, StoryState],
        events: list[StoryEvent],
    ) -> None:
        """``merged`` is about to be folded into ``survivor``: their storylines become one."""
        if merged.storyline_id != survivor.storyline_id:
            self._merge_lines(
                survivor.storyline_id, merged.storyline_id, "their stories merged", changed, events
            )

    def link(
        self,
        story: StoryState,
        at_us: int,
        changed: dict[str, StoryState],
        events: list[StoryEvent],
        near: list[StoryState] | None = None,
    ) -> None:
        """Join ``story``'s storyline to the best linked one, at its founding and as it doubles.
        ``near``: the story's candidates (``StoryBook.candidates``) when the caller has them."""
        if story.n & (story.n - 1):
            return  # not a power of two
        link = self.model.link
        side = self.book.profile(story)
        if near is None:
            near = self.book.candidates(side, at_us, self.model.n_candidates, exclude=story.id)
        pool = {s.id: s for s in (*self.book.linked_candidates(story), *near)}
        others: list[StoryState] = []
        profiles: list[Profile] = []
        cosines: list[float] = []
        for other_id in sorted(pool):
            other = pool[other_id]
            if other.storyline_id == story.storyline_id:
                continue
            cosine = float(side.centroid @ self.book.unit_centroid(other))
            if cosine < self.model.min_cosine:
                continue
            profile = self.book.profile(other)
            if gap_days(side, profile, NO_TIME) * 86_400e6 > self.window_us:
                continue
            others.append(other)
            profiles.append(profile)
            cosines.append(cosine)
        rows = batch_features(side, profiles, self.book.stats.idf, cosines)
        best: StoryState | None = None
        best_score = -math.inf
        for other, score in zip(others, link.many(rows), strict=True):
            if score > best_score:
                best, best_score = other, score
        if best is not None and best_score >= link.threshold:
            reason = f"link score {best_score:.2f} with story {best.id}"
            self._merge_lines(story.storyline_id, best.storyline_id, reason, changed, events)

    def _merge_lines(
        self, a: str, b: str, reason: str, changed: dict[str, StoryState], events: list[StoryEvent]
    ) -> None:
        line_a, line_b = self.lines[a], self.lines[b]
        if (line_b.first_us, line_b.first_seq, b) < (line_a.first_us, line_a.first_seq, a):
            a, b, line_a, line_b = b, a, line_b, line_a
        line_a.n_articles += line_b.n_articles
        line_a.first_us = _earlier(line_a.first_us, line_b.first_us)
        line_a.last_us = _later(line_a.last_us, line_b.last_us)
        line_a.version = self.book.seq
        for story_id in sorted(self.members.pop(b, set())):
            story = self.book.stories.get(story_id)
            if story is not None:
                story.storyline_id, story.line = a, line_a
                self.members[a].add(story_id)
                changed[story_id] = story
        del self.lines[b]
        self.ids.pop(id(line_b), None)
        self._changed[b] = self._row(b, line_b, merged_into=a)
        self._mark(a)
        at = _time(self.book.now_us) or datetime.now(UTC)
        events.append(StoryEvent("storyline_merge", b, a, reason, at=at))
        LOGGER.debug("storylines: merged %s into %s (%s)", b, a, reason)
