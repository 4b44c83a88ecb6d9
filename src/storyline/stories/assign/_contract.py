"""What the pipeline needs from a story assigner, as structural types.

The pipeline depends on these, not on an implementation: an assigner is created through the
registry (role ``"assigner"``, the name in ``settings.assigner``; ``stories.v1`` is the default
``StoryAssigner``), and any object with ``restore``, ``horizon`` and ``assign`` (an
``AssignInput`` from ``prepare_assign_inputs`` in, an outcome carrying these fields out) fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from storyline.model import Assignment, Story, StoryEvent, Storyline

if TYPE_CHECKING:
    from storyline.stories.assign._assign import AssignInput

ROLE = "assigner"
"""The registry role assigners register under (``registry.create(ROLE, settings.assigner, ...)``)."""


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


@runtime_checkable
class Assigner(Protocol):
    """Online, deterministic assignment of articles to stories."""

    def restore(self, states: Iterable[tuple[Story, bytes]]) -> int: ...

    @property
    def horizon(self) -> timedelta:
        """How long after its last article a story stays in memory (restore reads only these)."""
        ...

    def assign(self, item: AssignInput, *, duplicate_of: str | None = None) -> AssignOutcomeLike:
        """Put one article into a story; ``duplicate_of`` is the original dedup found for it after
        its input was prepared (None: the input's own ``duplicate_of``)."""
        ...
