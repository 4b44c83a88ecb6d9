"""What the engines share: the stages they run (``Stages``, ``run_stage``), the store's id lookup
(``Known``) and the error that ends a run whose worker died (``WorkerDied``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from storyline.errors import StorylineError

if TYPE_CHECKING:
    from storyline.model import Article, RawDoc, Rejection
    from storyline.pipeline import Heavy, Prepared
    from storyline.settings import Settings

Known = Callable[[Sequence[str]], set[str]]
"""Which of these article ids the store already holds (``StoryWriter.existing_article_ids``)."""

Mark = Callable[["Prepared"], "Prepared"]
"""Decides, in input order and before the costly stages, whether a new article copies an earlier
one: the item with its article's ``duplicate_of`` set and ``copy_checked`` true (``pipeline``
hands in the run's ``Deduplicator``), so a copy skips the NLP pass."""


class Light(Protocol):
    """The cheap per-article stages of a chunk (``pipeline.prepare_light``)."""

    def __call__(
        self, items: list[RawDoc | Rejection], settings: Settings, /
    ) -> list[Prepared | Rejection]: ...


class HeavyStage(Protocol):
    """The costly per-article stages of the new articles of a chunk (``pipeline.prepare_heavy``)."""

    def __call__(
        self, articles: list[Article], settings: Settings, /, *, new: list[bool] | None = None
    ) -> list[Heavy]: ...


@dataclass(frozen=True)
class Stages:
    """The per-article work an engine runs, as module-level functions (pickled by reference)."""

    light: Light
    heavy: HeavyStage


def run_stage(stage: str, settings: Settings, stages: Stages, *args: Any) -> Any:
    """``stages.light`` or ``stages.heavy`` on ``args`` (what every executor runs for a job)."""
    if stage == "light":
        (items,) = args
        return stages.light(items, settings)
    if stage == "heavy":
        articles, new = args
        return stages.heavy(articles, settings, new=new)
    raise ValueError(f"unknown stage {stage!r}")


class WorkerDied(StorylineError):
    """A worker of the per-article stages died (the OOM killer, SIGKILL) and the run cannot go on.

    ``multiprocessing.Pool.map`` waits forever for a worker that died; ``ProcessPoolExecutor`` notices
    (``BrokenProcessPool``), so an inline run ends with this error (CLI exit 3) instead of hanging. On
    Ray a dead actor is replaced and its chunk retried; only a chunk that kills its actor again and
    again ends the run so. The batches committed before stay; the open batch is never written, so a
    re-run completes the input."""

    exit_code = 3
