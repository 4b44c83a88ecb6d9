"""The story side of ``MemoryStore``: the same behaviour as ``sqlite_stories``, in dicts."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime

from storyline.model import Article, Batch, Story, StoryEvent, Storyline


def _time_key(article: Article, seq: int) -> tuple[bool, str, int]:
    at = article.published_at
    return (at is None, at.isoformat() if at else "", seq)


class MemoryStoryStore:
    """Mixed into ``MemoryStore``, which provides ``_lock``, ``_articles`` and ``_seq``."""

    _lock: threading.RLock
    _articles: dict[str, Article]
    _seq: dict[str, int]

    def _init_stories(self) -> None:
        self._stories: dict[str, tuple[int, Story, bytes | None]] = {}
        self._members: dict[str, str] = {}
        self._storylines: dict[str, tuple[int, Storyline]] = {}
        self._events: list[StoryEvent] = []
        self._vectors: dict[str, tuple[str, bytes]] = {}

    def _write_stories(self, batch: Batch) -> None:
        for article_id, (name, vec) in batch.vectors.items():
            self._vectors.setdefault(article_id, (name, bytes(vec)))
        for a in batch.assignments:
            self._members[a.article_id] = a.story_id
        for story in batch.stories:
            seq, _, old_state = self._stories.get(story.id, (len(self._stories) + 1, story, None))
            state = batch.story_states.get(story.id, old_state)
            self._stories[story.id] = (seq, dataclasses.replace(story, article_ids=()), state)
        for line in batch.storylines:
            seq = self._storylines.get(line.id, (len(self._storylines) + 1, line))[0]
            self._storylines[line.id] = (seq, dataclasses.replace(line, story_ids=()))
        self._events.extend(batch.events)

    def clear_stories(self) -> None:
        """Forget every story decision (for a rebuild); articles and vectors stay."""
        with self._lock:
            vectors = self._vectors
            self._init_stories()
            self._vectors = vectors

    def list_stories(
        self, *, language: str | None = None, since: datetime | None = None, limit: int = 50, offset: int = 0
    ) -> list[Story]:
        """Live stories, most active first."""
        with self._lock:
            live = [
                (seq, s)
                for seq, s, _ in self._stories.values()
                if s.merged_into is None
                and (language is None or language in s.languages)
                and (since is None or (s.last_seen_at is not None and s.last_seen_at >= since))
            ]
        live.sort(
            key=lambda p: (
                -p[1].n_articles,
                -(p[1].last_seen_at.timestamp() if p[1].last_seen_at else -1e18),
                p[0],
            )
        )
        return [s for _, s in live[offset : offset + limit]]

    def get_story(self, story_id: str) -> Story | None:
        """A story with its article ids in time order, those of stories merged into it included."""
        with self._lock:
            if story_id not in self._stories:
                return None
            family, todo = {story_id}, [story_id]
            while todo:
                current = todo.pop()
                for _seq, s, _ in self._stories.values():
                    if s.merged_into == current and s.id not in family:
                        family.add(s.id)
                        todo.append(s.id)
            ids = [aid for aid, sid in self._members.items() if sid in family and aid in self._articles]
            ids.sort(key=lambda aid: _time_key(self._articles[aid], self._seq[aid]))
            return dataclasses.replace(self._stories[story_id][1], article_ids=tuple(ids))

    def story_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """``article_id -> story_id`` for assigned articles."""
        with self._lock:
            return {aid: self._members[aid] for aid in article_ids if aid in self._members}

    def _storyline(self, line: Storyline) -> Storyline:
        members = [
            (s.first_seen_at is None, s.first_seen_at.isoformat() if s.first_seen_at else "", seq, s.id)
            for seq, s, _ in self._stories.values()
            if s.storyline_id == line.id and s.merged_into is None
        ]
        return dataclasses.replace(line, story_ids=tuple(m[-1] for m in sorted(members)))

    def list_storylines(self, *, limit: int = 50, offset: int = 0) -> list[Storyline]:
        """Live storylines, largest first."""
        with self._lock:
            live = sorted(
                (p for p in self._storylines.values() if p[1].merged_into is None),
                key=lambda p: (-p[1].n_articles, p[0]),
            )
            return [self._storyline(line) for _, line in live[offset : offset + limit]]

    def get_storyline(self, storyline_id: str) -> Storyline | None:
        """A storyline with its story ids in time order."""
        with self._lock:
            found = self._storylines.get(storyline_id)
            return None if found is None else self._storyline(found[1])

    def story_events(self, story_id: str) -> list[StoryEvent]:
        """Merges in which the id took part, oldest first."""
        with self._lock:
            return [e for e in self._events if story_id in (e.subject_id, e.object_id)]

    def iter_story_states(self, since: datetime | None = None) -> Iterator[tuple[Story, bytes]]:
        """Live stories seen since ``since`` with the assigner's saved state, oldest first."""
        with self._lock:
            rows = [
                (s, state)
                for _, s, state in sorted(self._stories.values(), key=lambda t: t[0])
                if state is not None
                and s.merged_into is None
                and (since is None or s.last_seen_at is None or s.last_seen_at >= since)
            ]
        return iter(rows)

    def latest_story_seen(self) -> datetime | None:
        """The latest ``last_seen_at`` of a live story with a saved state."""
        with self._lock:
            return max(
                (
                    s.last_seen_at
                    for _, s, state in self._stories.values()
                    if state is not None and s.merged_into is None and s.last_seen_at is not None
                ),
                default=None,
            )

    def get_vectors(self, article_ids: Sequence[str], embedder: str) -> dict[str, bytes]:
        """Stored vectors of ``embedder`` for ``article_ids``."""
        with self._lock:
            return {
                aid: self._vectors[aid][1]
                for aid in article_ids
                if aid in self._vectors and self._vectors[aid][0] == embedder
            }
