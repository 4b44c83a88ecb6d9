"""The default engine: the per-article work in a fork pool on this machine (``workers`` processes).

Each worker gets the settings once (``initializer``) and loads its models on first use, so a model
loads once per worker and run. With ``workers`` at 1 everything runs in this process. A worker that
dies (the out-of-memory killer, SIGKILL) breaks the pool: ``ProcessPoolExecutor`` notices and the
run ends with ``WorkerDied`` (exit 3) rather than waiting forever for a result that never comes.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from storyline.engine.base import Known, Mark, Stages, WorkerDied, run_stage
from storyline.engine.ordered import CHUNK, run_ordered
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.pipeline import Prepared

WINDOW_BATCHES = 4
"""Chunks in flight cover this many store batches (``batch_size``) of input."""

_WORKER_SETTINGS: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the process that forked it dies: a pool worker blocks
    on its call queue and would outlive a SIGKILLed ingest forever (idle, holding its models)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl here: the worker may outlive its parent
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(0)


PR_SET_PDEATHSIG = 1


def _in_worker(stage: str, *args: Any) -> Any:
    assert _WORKER_SETTINGS is not None
    return run_stage(stage, _WORKER_SETTINGS, *args)


class _Pool:
    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    def submit(self, stage: str, *args: Any) -> Future[Any]:
        return self.pool.submit(_in_worker, stage, *args)


class _Here:
    """Runs each job at once in this process (``workers`` at 1)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def submit(self, stage: str, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(run_stage(stage, self.settings, *args))
        return future


def prepared(
    items: Iterable[RawDoc | Rejection],
    settings: Settings,
    *,
    stages: Stages,
    known: Known | None = None,
    mark: Mark | None = None,
) -> Iterator[Prepared | Rejection]:
    """Every per-article stage over ``items`` in input order (see ``engine.prepared``)."""
    workers = settings.workers or min(2, os.cpu_count() or 1)
    if workers <= 1:
        yield from run_ordered(
            items, _Here(settings), settings, stages=stages, known=known, mark=mark, max_chunks=1
        )
        return
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(settings,),
    )
    window = max(2 * workers, settings.batch_size * WINDOW_BATCHES // CHUNK)
    try:
        yield from run_ordered(
            items, _Pool(pool), settings, stages=stages, known=known, mark=mark, max_chunks=window
        )
    except BrokenProcessPool as e:
        raise WorkerDied(
            "a worker process died while preparing articles (killed by a signal: the out-of-memory "
            "killer or SIGKILL?); the batches committed before it are kept and the open batch was "
            "not written: run the same command again to finish"
        ) from e
    finally:  # also when the caller stops early: drop the window's queued chunks, do not finish them
        pool.shutdown(wait=True, cancel_futures=True)
