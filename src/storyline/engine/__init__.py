"""Where the per-article work runs: ``inline`` (a fork pool on this machine) or ``ray`` (prepare
actors on a Ray cluster), chosen by the ``engine`` setting.

Both run the same pure functions of ``pipeline`` (``prepare_light``, then ``prepare_heavy``) through
the same ordered loop (``engine.ordered``), so they hand the driver the same values in input order;
the ordered stateful step stays in the driver (``pipeline.run``), so the stories do not depend on
the engine. An engine only decides which process computes a chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from storyline.errors import ConfigError, StorylineError

if TYPE_CHECKING:
    from storyline.model import RawDoc, Rejection
    from storyline.pipeline import Prepared
    from storyline.settings import Settings

__all__ = ["ENGINES", "Known", "WorkerDied", "prepared"]

ENGINES = ("inline", "ray")

Known = Callable[[Sequence[str]], set[str]]
"""Which of these article ids the store already holds (``StoryWriter.existing_article_ids``)."""


class WorkerDied(StorylineError):
    """A worker of the per-article stages died (the OOM killer, SIGKILL) and the run cannot go on.

    ``multiprocessing.Pool.map`` waits forever for a worker that died; ``ProcessPoolExecutor`` notices
    (``BrokenProcessPool``), so an inline run ends with this error (CLI exit 3) instead of hanging. On
    Ray a dead actor is replaced and its chunk retried; only a chunk that kills its actor again and
    again ends the run so. The batches committed before stay; the open batch is never written, so a
    re-run completes the input."""

    exit_code = 3


def prepared(
    items: Iterable[RawDoc | Rejection], settings: Settings, *, known: Known | None = None
) -> Iterator[Prepared | Rejection]:
    """Every per-article stage over ``items``, in input order, on the engine ``settings.engine`` names.

    ``known`` (the store's id lookup) is asked once per chunk, in this process, between the cheap
    and the costly stages; an article it knows comes back ``known`` without findings or vectors."""
    if settings.engine == "ray":
        try:
            from storyline.engine import ray as on_ray  # imports ray: only when asked for
        except ModuleNotFoundError as e:
            if e.name != "ray":
                raise
            raise ConfigError(
                "engine ray needs Ray, which is not installed: pip install 'storyline[scale]'"
            ) from e
        return on_ray.prepared(items, settings, known=known)
    from storyline.engine import inline

    return inline.prepared(items, settings, known=known)
