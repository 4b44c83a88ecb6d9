"""The ``ray`` engine: the per-article work on prepare actors of a Ray cluster.

Each actor is built with the run's settings and loads its models on first use, once for its life;
actors outlive a run (``storyline follow`` runs the pipeline once per poll) and are kept per
settings. Jobs go to the least busy actor; the driver reads results back in submission order
(``engine.ordered``), so the per-article values come back in input order whatever actor computed
them, and the ordered stateful step stays in the driver.

Why not ``ray.util.ActorPool``: it keeps the same ordered submit/read-back, but gives a dead
actor back to its idle list, so every later job sent there fails too. Here an actor that dies
(``RayActorError``: the OOM killer, a lost node, ``ray.kill``) is replaced by a new one at its place
and each of its jobs is sent again, to be read back at the same position: the work is pure, so a
retried job gives the same value. Actors run with ``max_restarts=0`` and ``max_task_retries=0``
(Ray keeps one submitter's order on an actor only without task retries); the retrying is ours. A job
that kills ``MAX_TRIES`` actors in turn ends the run with ``WorkerDied`` (exit 3).

The cluster: ``ray_address`` (``auto``, ``ray://head:10001``), else a local one started with this
process. Every node needs the same storyline, models and Python packages as the driver.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import ray
from ray.exceptions import RayActorError

from storyline.engine.base import Known, Mark, Stages, WorkerDied, run_stage
from storyline.engine.inline import WINDOW_BATCHES
from storyline.engine.ordered import CHUNK, run_ordered
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.pipeline import Prepared

LOGGER = logging.getLogger(__name__)

MAX_TRIES = 3
ACTOR_PREFIX = "storyline-prepare-"
COST = {"light": 0.05, "heavy": 1.0}
"""Rough cost of a job of each stage, to balance the actors (extraction is about 1/20 of the rest)."""


class PrepareActor:
    """One prepare worker: the settings it was built with, and its models once loaded."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, stage: str, *args: Any) -> Any:
        return run_stage(stage, self.settings, *args)

    def pid(self) -> int:
        return os.getpid()


def connect(settings: Settings) -> None:
    """Join the cluster ``ray_address`` names, or start a local one (once per process)."""
    if ray.is_initialized():
        return
    _POOLS.clear()  # actors of an earlier cluster (ray.shutdown) are gone with it
    if settings.ray_address:
        LOGGER.info("ray: connecting to %s", settings.ray_address)
        ray.init(address=settings.ray_address, include_dashboard=False)
    else:
        LOGGER.info("ray: starting a local cluster")
        ray.init(include_dashboard=False)


class ActorPool:
    """``n`` prepare actors built with ``settings``; dead ones replaced in place."""

    def __init__(self, settings: Settings, n: int) -> None:
        self.settings = settings
        self.token = uuid.uuid4().hex[:8]
        self.remote: Any = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(PrepareActor)
        self.generation = [0] * n
        self.actors: list[Any] = [self._start(slot) for slot in range(n)]
        self.pending: list[dict[Any, float]] = [{} for _ in range(n)]

    def _start(self, slot: int) -> Any:
        name = f"{ACTOR_PREFIX}{self.token}-{slot}.{self.generation[slot]}"
        return self.remote.options(name=name).remote(self.settings)

    def submit(self, stage: str, *args: Any) -> _Task:
        return _Task(self, stage, args)

    def busy(self, slot: int) -> float:
        """The work queued on the actor at ``slot`` and not finished (a costly job counts 1)."""
        jobs = self.pending[slot]
        if jobs:
            done, _ = ray.wait(list(jobs), num_returns=len(jobs), timeout=0, fetch_local=False)
            for ref in done:
                del jobs[ref]
        return sum(jobs.values())

    def send(self, stage: str, args: tuple[Any, ...]) -> tuple[int, Any, Any]:
        """``stage`` on the least busy actor (counted by unfinished work, not by results not yet read
        back: the driver reads in input order, so an actor can be done and still owe results)."""
        slot = min(range(len(self.actors)), key=self.busy)
        actor = self.actors[slot]
        ref = actor.run.remote(stage, *args)
        self.pending[slot][ref] = COST.get(stage, 1.0)
        return slot, actor, ref

    def replace(self, slot: int, dead: Any) -> None:
        """A new actor at ``slot`` unless one already replaced ``dead`` there."""
        if self.actors[slot] is not dead:
            return
        try:
            ray.kill(dead, no_restart=True)
        except Exception:  # already gone: nothing to end
            pass
        self.generation[slot] += 1
        self.actors[slot] = self._start(slot)
        LOGGER.warning("ray: prepare actor %d died; replaced, its chunks are sent again", slot)

    def close(self) -> None:
        for actor in self.actors:
            try:
                ray.kill(actor, no_restart=True)
            except Exception:
                pass


class _Task:
    """One job on the pool; ``result`` sends it again to a new actor when its actor died."""

    def __init__(self, pool: ActorPool, stage: str, args: tuple[Any, ...]) -> None:
        self.pool, self.stage, self.args, self.tries = pool, stage, args, 0
        self._send()

    def _send(self) -> None:
        self.slot, self.actor, self.ref = self.pool.send(self.stage, self.args)
        self.tries += 1

    def done(self) -> bool:
        ready, _ = ray.wait([self.ref], timeout=0)
        return bool(ready)

    def result(self) -> Any:
        while True:
            try:
                value = ray.get(self.ref)
            except RayActorError as e:
                if self.tries >= MAX_TRIES:
                    raise WorkerDied(
                        f"a chunk of {len(self.args[1])} articles killed {self.tries} Ray prepare actors "
                        "in turn; the batches committed before it are kept: run the same command "
                        "again to finish, or look for the input that kills the workers"
                    ) from e
                self.pool.replace(self.slot, self.actor)
                self._send()
                continue
            return value


_POOLS: dict[Settings, ActorPool] = {}


def pool_for(settings: Settings) -> ActorPool:
    """The prepare actors for ``settings`` (started on first use, kept for later runs).

    One pool per process: the actors hold the cluster's CPUs, so a run with other settings ends
    the old pool before it starts its own (the store the driver writes to does not count)."""
    connect(settings)
    key = dataclasses.replace(settings, db="", store_url="")
    pool = _POOLS.get(key)
    if pool is None:
        close_pools()
        cpus: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        n = settings.ray_actors or max(1, int(cpus.get("CPU", 1)))
        if n > cpus.get("CPU", 0):
            LOGGER.warning(
                "ray: %d prepare actors asked for, the cluster has %s CPUs: the others wait for one",
                n,
                cpus.get("CPU"),
            )
        LOGGER.info("ray: starting %d prepare actors", n)
        pool = _POOLS[key] = ActorPool(settings, n)
    return pool


def close_pools() -> None:
    """End every prepare actor this process started (the next run starts new ones)."""
    while _POOLS:
        _POOLS.popitem()[1].close()


def prepared(
    items: Iterable[RawDoc | Rejection],
    settings: Settings,
    *,
    stages: Stages,
    known: Known | None = None,
    mark: Mark | None = None,
) -> Iterator[Prepared | Rejection]:
    """Every per-article stage over ``items`` on the prepare actors, in input order."""
    pool = pool_for(settings)
    window = max(2 * len(pool.actors), settings.batch_size * WINDOW_BATCHES // CHUNK)
    yield from run_ordered(items, pool, settings, stages=stages, known=known, mark=mark, max_chunks=window)
