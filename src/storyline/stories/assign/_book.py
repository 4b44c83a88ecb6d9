"""The live stories the assigner holds, with their indexes: add, merge, forget, find candidates.

``StoryBook`` owns every ``StoryState`` in memory, the key statistics and name index over all of
them, and the vector index over the *active* ones (last seen within the assignment window of the
stream's current time). Stories last seen more than ``horizon`` ago (the storyline window) are
forgotten. Everything here is a function of the states it holds and the stream clock, which is
what makes ``StoryAssigner.restore`` exact.

``profile`` (and ``unit_centroid``) keep what scoring needs of a story (``_batch.Profile``: unit
centroid and title, member rows, mean cohesion) for the ``PROFILE_CACHE`` most recently used
stories, until the story changes: an entry is used only while the state's arrays are the same
objects and its counts and times the same numbers (every change replaces an array, never edits one).
"""

from __future__ import annotations

import hashlib
import heapq
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storyline.stories.assign._batch import Profile
from storyline.stories.assign._index import KeyStats, VectorIndex
from storyline.stories.assign._keys import (
    DATE,
    ENTITY,
    HEAD,
    HEAD_NUMBER,
    N_KINDS,
    NAME,
    NUMBER,
    PLACE,
    SHINGLE,
    WEEKDAY,
    WORD,
    YEAR,
    Keys,
    kinds_of,
)
from storyline.stories.assign._model import COHESION, FEATURES, Side
from storyline.stories.assign._state import NO_TIME, StoryState, quantise_member

__all__ = ["StoryBook", "story_id_for"]

LOGGER = logging.getLogger(__name__)

COHESION_AT = tuple(FEATURES.index(name) for name in COHESION)

Floats = npt.NDArray[np.float32]
#: Keys a story profile keeps per kind: the most carried, then those of smallest hash (a consistent
#: sample: two stories with much in common keep much of it in common; keeping the rarest would keep
#: exactly the keys no other story has).
PROFILE_CAPS = {
    NAME: 64,
    ENTITY: 64,
    PLACE: 24,
    NUMBER: 32,
    YEAR: 8,
    DATE: 16,
    WORD: 128,
    HEAD: 24,
    SHINGLE: 48,
    HEAD_NUMBER: 16,
    WEEKDAY: 7,
}
_NO_KEYS: Keys = np.zeros(0, dtype=np.int64)
_CAPS = np.array([PROFILE_CAPS.get(kind, np.iinfo(np.int64).max) for kind in range(N_KINDS)])
#: Member article ids a story remembers (near-copies of them join it).
RECENT_IDS = 64
#: Stories whose unit centroid and ``Profile`` are kept between calls (the most recently used).
PROFILE_CACHE = 2048


class Probe(Protocol):
    """What finding candidates reads of a side: its centroid and keys (a ``Side`` or a ``Profile``)."""

    @property
    def centroid(self) -> Floats: ...

    @property
    def keys(self) -> Keys: ...


def story_id_for(article_id: str) -> str:
    """The id of the story an article founds: ``s`` + 15 hex digits of sha256(article id)."""
    return "s" + hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:15]


class _Held:
    """What is kept of one story between calls, with the state's arrays and numbers it was built
    from: it is valid while those are the same (a change replaces an array, never edits it)."""

    __slots__ = (
        "centroid",
        "cohesion",
        "counts",
        "first_us",
        "keys",
        "last_us",
        "members",
        "n",
        "n_cohesion",
        "profile",
        "title",
        "unit",
    )

    def __init__(self, story: StoryState) -> None:
        self.keys, self.counts, self.n = story.keys, story.counts, story.n
        self.centroid, self.title, self.members = story.centroid, story.title, story.members
        self.cohesion, self.n_cohesion = story.cohesion, story.n_cohesion
        self.first_us, self.last_us = story.first_us, story.last_us
        self.unit: Floats | None = None
        self.profile: Profile | None = None

    def holds(self, story: StoryState) -> bool:
        return (
            self.centroid is story.centroid
            and self.keys is story.keys
            and self.counts is story.counts
            and self.title is story.title
            and self.members is story.members
            and self.cohesion is story.cohesion
            and self.n == story.n
            and self.n_cohesion == story.n_cohesion
            and self.first_us == story.first_us
            and self.last_us == story.last_us
        )


def _later(a: int, b: int) -> int:
    return b if a == NO_TIME else a if b == NO_TIME else max(a, b)


def _earlier(a: int, b: int) -> int:
    return b if a == NO_TIME else a if b == NO_TIME else min(a, b)


class StoryBook:
    """Live stories by id and slot, with key statistics, a name index and a vector index."""

    def __init__(self, *, window_us: int, horizon_us: int, n_members: int, idf_prior: float) -> None:
        self.window_us, self.horizon_us, self.n_members = window_us, horizon_us, n_members
        self.stories: dict[str, StoryState] = {}
        self.by_slot: dict[int, StoryState] = {}
        self.stats = KeyStats(prior=idf_prior)
        self.dim = 0
        self.vectors = VectorIndex(0)
        self.on_forget: Callable[[StoryState], None] = lambda story: None
        self.article_story: dict[str, str] = {}
        self.now_us = NO_TIME
        self.seq = 0
        self._free: list[int] = []
        self._next_slot = 0
        self._posted: dict[int, Keys] = {}  # slot -> the keys its story posts
        self._idle: list[tuple[int, str]] = []  # (last_us, id); stale entries are skipped
        self._old: list[tuple[int, str]] = []
        self._profiles: OrderedDict[str, _Held] = OrderedDict()  # least recently used first

    def use_dim(self, dim: int) -> None:
        """Fix the vector dimension on the first vector seen."""
        if self.dim == 0:
            self.dim = dim
            self.vectors = VectorIndex(dim)
        elif dim != self.dim:
            raise ValueError(f"vectors of {dim} dimensions, but the stories hold {self.dim}")

    # -- sides -------------------------------------------------------------------------------
    def story_side(self, story: StoryState) -> Side:
        """The story's side built afresh, nothing cached (what ``profile`` keeps, with the IDF now)."""
        return _new_profile(story, story.unit_centroid()).side(self.stats.idf)

    def _held(self, story: StoryState) -> _Held:
        """The cache entry of ``story``: the one held while the story is unchanged, else a new one."""
        held = self._profiles.get(story.id)
        if held is not None and held.holds(story):
            self._profiles.move_to_end(story.id)
            return held
        held = self._profiles[story.id] = _Held(story)
        if len(self._profiles) > PROFILE_CACHE:
            self._profiles.popitem(last=False)
        return held

    def unit_centroid(self, story: StoryState) -> Floats:
        """``story.unit_centroid()``, kept until the story changes."""
        held = self._held(story)
        if held.unit is None:
            held.unit = story.unit_centroid()
        return held.unit

    def profile(self, story: StoryState) -> Profile:
        """The story's side without its IDF (what ``story_side`` gives, less ``idf``), kept until the
        story changes."""
        held = self._held(story)
        if held.profile is None:
            if held.unit is None:
                held.unit = story.unit_centroid()
            held.profile = _new_profile(story, held.unit)
        return held.profile

    @staticmethod
    def article_profile(keys: Keys, document: Floats, title: Floats, at_us: int) -> Profile:
        """An article as a side of one member (``article_side`` without the IDF)."""
        return Profile(
            keys=keys,
            counts=np.ones(len(keys), dtype=np.int32),
            n=1,
            centroid=document,
            title=title,
            members=document[None, :],
            first_us=at_us,
            last_us=at_us,
        )

    def article_side(self, keys: Keys, document: Floats, title: Floats, at_us: int) -> Side:
        return Side(
            keys=keys,
            counts=np.ones(len(keys), dtype=np.int32),
            n=1,
            idf=self.stats.idf(keys),
            centroid=document,
            title=title,
            members=document[None, :],
            first_us=at_us,
            last_us=at_us,
        )

    # -- the clock -----------------------------------------------------------------------------
    def tick(self, published_us: int) -> int:
        """Advance the stream clock; the article's time (its own, else the stream's "now")."""
        self.seq += 1
        self.now_us = _later(self.now_us, published_us)
        self._expire()
        if self.vectors.wants_reload:  # crossed ``index.EXACT_MAX`` live stories, one way or the other
            self._reload_vectors()
        return published_us if published_us != NO_TIME else self.now_us

    def is_active(self, story: StoryState, at_us: int) -> bool:
        if at_us == NO_TIME or story.last_us == NO_TIME:
            return True
        return story.last_us >= at_us - self.window_us and story.first_us <= at_us + self.window_us

    def _expire(self) -> None:
        """Drop stories idle past the window from the vector index, and past the horizon from memory."""
        if self.now_us == NO_TIME:
            return
        for heap, before in (
            (self._idle, self.now_us - self.window_us),
            (self._old, self.now_us - self.horizon_us),
        ):
            while heap and heap[0][0] < before:
                last_us, story_id = heapq.heappop(heap)
                story = self.stories.get(story_id)
                if story is None or story.last_us != last_us:
                    continue  # an older entry of a story seen since, or one already gone
                if heap is self._idle:
                    self.vectors.drop(story.slot)
                else:
                    self.forget(story)
        if len(self._old) > 4 * len(self.stories) + 64:  # compact stale entries now and then
            self._idle = [e for e in self._idle if self._current(e)]
            self._old = [e for e in self._old if self._current(e)]
            heapq.heapify(self._idle)
            heapq.heapify(self._old)

    def _current(self, entry: tuple[int, str]) -> bool:
        story = self.stories.get(entry[1])
        return story is not None and story.last_us == entry[0]

    # -- candidates ----------------------------------------------------------------------------
    def candidates(self, side: Probe, at_us: int, k: int, exclude: str = "") -> list[StoryState]:
        """Active stories near ``side`` by centroid or sharing a rare name, sorted by id."""
        found = {s for s in self.vectors.search(side.centroid, k + 1)}
        found.update(self.stats.lookup(side.keys))
        out = [self.by_slot[s] for s in found if s in self.by_slot]
        return sorted((s for s in out if s.id != exclude and self.is_active(s, at_us)), key=lambda s: s.id)

    def linked_candidates(self, story: StoryState) -> list[StoryState]:
        """Stories sharing a posted key with ``story`` (any age in memory), sorted by id."""
        slots = self.stats.lookup(self._posted.get(story.slot, _NO_KEYS))
        return sorted((self.by_slot[s] for s in slots if self.by_slot[s].id != story.id), key=lambda s: s.id)

    # -- changes -------------------------------------------------------------------------------
    def _slot(self) -> int:
        if self._free:
            return heapq.heappop(self._free)
        self._next_slot += 1
        return self._next_slot - 1

    def create(self, article_id: str, label: str) -> StoryState:
        story = StoryState(
            id=story_id_for(article_id),
            founder=article_id,
            label=label,
            n=0,
            keys=np.zeros(0, dtype=np.int64),
            counts=np.zeros(0, dtype=np.int32),
            centroid=np.zeros(self.dim, dtype=np.float16),
            title=np.zeros(self.dim, dtype=np.float16),
            members=np.zeros((0, self.dim), dtype=np.int8),
            first_seq=self.seq,
            last_seq=self.seq,
            slot=self._slot(),
        )
        self.stories[story.id] = story
        self.by_slot[story.slot] = story
        return story

    def _profile(self, story: StoryState, keys: Keys, counts: npt.NDArray[np.int32], counted: bool) -> None:
        """Replace the story's profile (capped per kind) and update statistics and postings."""
        if counted:
            self.stats.add(story.keys, -1)
        kinds = kinds_of(keys)
        if (np.bincount(kinds, minlength=N_KINDS)[:N_KINDS] > _CAPS).any():
            keep = np.zeros(len(keys), dtype=bool)
            for kind, cap in PROFILE_CAPS.items():
                mine = np.flatnonzero(kinds == kind)
                keep[mine[np.lexsort((keys[mine], -counts[mine]))[:cap]]] = True
            keys, counts = keys[keep], counts[keep]
        story.keys, story.counts = keys, counts.astype(np.int32)
        self.stats.add(keys, 1)
        posted = KeyStats.posted(keys, story.counts, story.n)
        self.stats.post(story.slot, self._posted.get(story.slot, ()), posted)
        self._posted[story.slot] = posted

    def add_article(
        self, story: StoryState, article_id: str, keys: Keys, document: Floats, title: Floats, at_us: int
    ) -> None:
        """Make the article a member of ``story``."""
        merged = np.union1d(story.keys, keys)
        counts = np.zeros(len(merged), dtype=np.int32)
        counts[np.searchsorted(merged, story.keys)] += story.counts
        counts[np.searchsorted(merged, keys)] += 1
        n_old = story.n
        story.n += 1
        self._profile(story, merged, counts, counted=n_old > 0)
        story.centroid = ((story.centroid.astype(np.float32) * n_old + document) / story.n).astype(np.float16)
        story.title = ((story.title.astype(np.float32) * n_old + title) / story.n).astype(np.float16)
        story.members = np.vstack([story.members, quantise_member(document)[None, :]])[-self.n_members :]
        self._remember(story, (*story.recent_ids, article_id))
        story.first_us = _earlier(story.first_us, at_us) if n_old else at_us
        story.last_us = _later(story.last_us, at_us)
        story.last_seq = self.seq
        self._touch(story)

    def _touch(self, story: StoryState) -> None:
        if story.last_us != NO_TIME:
            entry = (story.last_us, story.id)  # one tuple in both heaps
            heapq.heappush(self._idle, entry)
            heapq.heappush(self._old, entry)
        if (
            self.now_us == NO_TIME
            or story.last_us == NO_TIME
            or story.last_us >= self.now_us - self.window_us
        ):
            self.vectors.put(story.slot, self.unit_centroid(story), story.n)

    def cohere(self, story: StoryState, row: npt.NDArray[np.float64]) -> None:
        """Count the join features of a new member into the story's cohesion sums."""
        story.cohesion = (story.cohesion + row[list(COHESION_AT)]).astype(np.float32)
        story.n_cohesion += 1

    def merge(self, survivor: StoryState, merged: StoryState) -> None:
        """Fold ``merged`` into ``survivor`` and forget ``merged`` (its id stays valid in the store)."""
        union = np.union1d(survivor.keys, merged.keys)
        counts = np.zeros(len(union), dtype=np.int32)
        counts[np.searchsorted(union, survivor.keys)] += survivor.counts
        counts[np.searchsorted(union, merged.keys)] += merged.counts
        n_a, n_b = survivor.n, merged.n
        self.forget(merged)
        survivor.n = n_a + n_b
        self._profile(survivor, union, counts, counted=True)
        for name in ("centroid", "title"):
            mean = (
                getattr(survivor, name).astype(np.float32) * n_a
                + getattr(merged, name).astype(np.float32) * n_b
            )
            setattr(survivor, name, (mean / survivor.n).astype(np.float16))
        survivor.members = np.vstack([survivor.members, merged.members])[-self.n_members :]
        self._remember(survivor, (*survivor.recent_ids, *merged.recent_ids))
        survivor.cohesion = (survivor.cohesion + merged.cohesion).astype(np.float32)
        survivor.n_cohesion += merged.n_cohesion
        survivor.first_us = _earlier(survivor.first_us, merged.first_us)
        survivor.last_us = _later(survivor.last_us, merged.last_us)
        survivor.first_seq = min(survivor.first_seq, merged.first_seq)
        survivor.last_seq = self.seq
        self._touch(survivor)

    def _remember(self, story: StoryState, ids: tuple[str, ...]) -> None:
        """Keep the last ``RECENT_IDS`` member ids, so near-copies of them find the story."""
        for article_id in ids[:-RECENT_IDS]:
            if self.article_story.get(article_id) in (story.id, None):
                self.article_story.pop(article_id, None)
        story.recent_ids = ids[-RECENT_IDS:]
        self.article_story.update((a, story.id) for a in story.recent_ids)

    def forget(self, story: StoryState) -> None:
        """Drop a story from memory and every index (merged away, or past the horizon)."""
        self.on_forget(story)
        self._profiles.pop(story.id, None)
        self.stats.add(story.keys, -1)
        self.stats.post(story.slot, self._posted.pop(story.slot, ()), ())
        self.vectors.drop(story.slot)
        del self.stories[story.id]
        del self.by_slot[story.slot]
        heapq.heappush(self._free, story.slot)
        for article_id in story.recent_ids:
            if self.article_story.get(article_id) == story.id:
                del self.article_story[article_id]

    # -- restore -------------------------------------------------------------------------------
    def load(self, states: Iterator[StoryState]) -> int:
        """Hold saved states (restore / bulk load); returns how many were kept.

        Stories past the horizon are dropped before any is indexed: their slots were freed when the
        run that wrote them forgot them, and a later story may hold the same slot now."""
        loaded, clashing = list(states), []
        for story in loaded:
            self.use_dim(len(story.centroid))
            self.seq = max(self.seq, story.last_seq)
            self.now_us = _later(self.now_us, story.last_us)
        for story in loaded:
            if (
                self.now_us != NO_TIME
                and story.last_us != NO_TIME
                and story.last_us < self.now_us - self.horizon_us
            ):
                continue
            if story.slot in self.by_slot:  # never written so (one slot per live story): still load it
                clashing.append(story)
                continue
            self.stories[story.id] = story
            self.by_slot[story.slot] = story
        used = set(self.by_slot)
        self._next_slot = max(used) + 1 if used else 0
        self._free = sorted(set(range(self._next_slot)) - used)
        for story in clashing:
            LOGGER.warning(
                "assign: story %s shares slot %d with a live story; given a new one", story.id, story.slot
            )
            story.slot = self._slot()
            self.stories[story.id] = story
            self.by_slot[story.slot] = story
        for story in self.stories.values():
            self.stats.add(story.keys, 1)
            self._posted[story.slot] = KeyStats.posted(story.keys, story.counts, story.n)
            self.stats.post(story.slot, (), self._posted[story.slot])
            self.article_story.update((a, story.id) for a in story.recent_ids)
            if story.last_us != NO_TIME:
                entry = (story.last_us, story.id)
                self._idle.append(entry)
                self._old.append(entry)
        heapq.heapify(self._idle)
        heapq.heapify(self._old)
        self._reload_vectors()
        return len(self.stories)

    def _reload_vectors(self) -> None:
        """Rebuild the vector index from every active story (in the mode their number calls for)."""
        active = [s for s in self.stories.values() if self.is_active(s, self.now_us)]
        slots = np.asarray([s.slot for s in active], dtype=np.int64)

        def rows(start: int, stop: int) -> Floats:
            out = np.empty((stop - start, self.vectors.dim), dtype=np.float32)
            for i, story in enumerate(active[start:stop]):
                out[i] = story.unit_centroid()
            return out

        self.vectors.reload(slots, rows)


def _new_profile(story: StoryState, unit: Floats) -> Profile:
    """``story``'s profile with ``unit`` as its unit centroid."""
    return Profile(
        keys=story.keys,
        counts=story.counts,
        n=story.n,
        centroid=unit,
        title=story.unit_title(),
        members=story.member_rows(),
        first_us=story.first_us,
        last_us=story.last_us,
        cohesion=(story.cohesion / np.float32(story.n_cohesion)).astype(np.float32)
        if story.n_cohesion
        else None,
    )
