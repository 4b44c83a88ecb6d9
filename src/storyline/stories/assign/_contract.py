"""What the pipeline needs from a story assigner, as structural types.

The pipeline depends on these, not on an implementation: any assigner whose ``assign`` takes an
input carrying the article's vectors and returns these fields fits (``storyline.stories.assign``
provides the default one, loaded by name at run time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar, Protocol

from storyline.embed import ArticleVectors, Embedder
from storyline.model import Article, Assignment, Story, StoryEvent, Storyline

ASSIGN_MODULE = "storyline.stories.assign"


class AssignInputLike(Protocol):
    """One article ready for assignment (a dataclass: the pipeline sets ``duplicate_of`` on a copy)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def vectors(self) -> ArticleVectors: ...

    @property
    def duplicate_of(self) -> str | None: ...


class AssignOutcomeLike(Protocol):
    """What one assignment changed."""

    @property
    def assignment(self) -> Assignment: ...

    @property
    def stories(self) -> tuple[Story, ...]: ...

    @property
    def story_states(self) -> Mapping[str, bytes]: ...

    @property
    def storylines(self) -> tuple[Storyline, ...]: ...

    @property
    def events(self) -> tuple[StoryEvent, ...]: ...


class StoryAssignerLike(Protocol):
    """Online, deterministic assignment of articles to stories."""

    def restore(self, states: Iterable[tuple[Story, bytes]]) -> int: ...

    @property
    def horizon(self) -> timedelta:
        """How long after its last article a story stays in memory (restore reads only these)."""
        ...

    def assign(self, item: Any) -> AssignOutcomeLike: ...


class PrepareInputs(Protocol):
    """``prepare_assign_inputs``: one batched embedding call for many articles."""

    def __call__(self, articles: Sequence[Article], embedder: Embedder, /) -> Sequence[AssignInputLike]: ...
