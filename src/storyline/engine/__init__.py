"""Where the per-article work runs: ``inline`` (a fork pool on this machine) or ``ray`` (prepare
actors on a Ray cluster), chosen by the ``engine`` setting.

Both run the same pure functions (``Stages``: ``pipeline`` hands in its ``prepare_light`` and
``prepare_heavy``) through the same ordered loop (``engine.ordered``), so they hand the driver the
same values in input order; the ordered stateful step stays in the driver (``pipeline.run``), so the
stories do not depend on the engine. An engine only decides which process computes a chunk, and
imports nothing of ``pipeline``: the stages are module-level functions, which pickle by reference,
so a fork worker or a Ray actor gets them with each job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from storyline.engine.base import Known, Mark, Stages, WorkerDied, run_stage
from storyline.errors import ConfigError

if TYPE_CHECKING:
    from storyline.model import RawDoc, Rejection
    from storyline.pipeline import Prepared
    from storyline.settings import Settings

__all__ = ["ENGINES", "Known", "Mark", "Stages", "WorkerDied", "prepared", "run_stage"]

ENGINES = ("inline", "ray")


def prepared(
    items: Iterable[RawDoc | Rejection],
    settings: Settings,
    *,
    stages: Stages,
    known: Known | None = None,
    mark: Mark | None = None,
) -> Iterator[Prepared | Rejection]:
    """Every per-article stage (``stages``) over ``items``, in input order, on the engine
    ``settings.engine`` names.

    ``known`` (the store's id lookup) is asked once per chunk, in this process, between the cheap
    and the costly stages; an article it knows comes back ``known`` without findings or vectors.
    ``mark`` (the copy decision) is asked next for each new article, in input order: a copy is
    embedded but skips the NLP pass (its facts are its original's)."""
    if settings.engine == "ray":
        try:
            from storyline.engine import ray as on_ray  # imports ray: only when asked for
        except ModuleNotFoundError as e:
            if e.name != "ray":
                raise
            raise ConfigError(
                "engine ray needs Ray, which is not installed: pip install 'storyline[scale]'"
            ) from e
        return on_ray.prepared(items, settings, stages=stages, known=known, mark=mark)
    from storyline.engine import inline

    return inline.prepared(items, settings, stages=stages, known=known, mark=mark)
