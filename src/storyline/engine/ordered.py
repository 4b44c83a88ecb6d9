"""The ordered loop both engines share: chunks in, prepared items out, in input order.

Each chunk goes through two jobs. The cheap one (``prepare_light``: extract, language, signature)
gives the article ids; the driver then asks the store which of them it holds (``known``), in this
process and in input order, and sends only a chunk with new articles to the costly job
(``prepare_heavy``: NLP pass, embedding). Given ``mark``, the gate also decides, in input order, which
new articles copy an earlier one: those are embedded but skip the NLP pass, since a copy's facts are
its original's. A chunk is gated only once every chunk before it is, so an
id seen earlier in the run is known to every later chunk, and the ordered step downstream decides
exactly as if every article had been prepared in full: a known article is one it would count as
unchanged anyway (the store only grows, and only through this run's own earlier articles).

At most ``max_chunks`` chunks are in flight, so memory stays flat whatever the input's size; the
executor decides which process runs a job and must give each job's result back unchanged.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol

from storyline.engine.base import Known, Mark, Stages
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.pipeline import Heavy, Prepared

LOGGER = logging.getLogger(__name__)

CHUNK = 16
"""Items per job: large enough to batch the NLP pass and the embedding, small enough to balance."""


class Job(Protocol):
    """One submitted job (a ``concurrent.futures.Future`` is one)."""

    def done(self) -> bool: ...

    def result(self) -> Any: ...


class Executor(Protocol):
    """Runs ``stage`` ("light" or "heavy") with the engine's settings on ``args``: the ``Stages``
    first, then the stage's own arguments (``engine.run_stage``)."""

    def submit(self, stage: str, *args: Any) -> Job: ...


def attach_heavy(
    results: list[Prepared | Rejection], new: list[bool], heavy: list[Heavy]
) -> list[Prepared | Rejection]:
    """``results`` (one chunk's ``prepare_light``) with ``heavy`` attached to the new articles (``new``
    is one flag per ``Prepared``, in order) and the others marked ``known``."""
    flags, parts = iter(new), iter(heavy)
    out: list[Prepared | Rejection] = []
    for r in results:
        if isinstance(r, Rejection):
            out.append(r)
        elif next(flags):
            findings, assign_input = next(parts)
            out.append(dataclasses.replace(r, findings=findings, assign_input=assign_input))
        else:
            out.append(dataclasses.replace(r, known=True))
    return out


@dataclass
class _Slot:
    """One chunk on its way: its cheap job, then (once gated) its light results and costly job."""

    light: Job
    results: list[Prepared | Rejection] | None = None
    new: list[bool] = field(default_factory=list)
    heavy: Job | None = None

    def finish(self) -> list[Prepared | Rejection]:
        assert self.results is not None
        parts: list[Heavy] = self.heavy.result() if self.heavy is not None else []
        if self.heavy is None and any(self.new):  # neither understand nor stories: nothing to add
            parts = [(None, None)] * sum(self.new)
        return attach_heavy(self.results, self.new, parts)


@dataclass
class _Gate:
    """The driver's view of which ids are taken: the store's, and every id earlier in this run."""

    settings: Settings
    stages: Stages
    known: Known | None
    mark: Mark | None = None
    looked: set[str] = field(default_factory=set)
    skipped: int = 0

    def __call__(self, slot: _Slot, executor: Executor) -> None:
        slot.results = slot.light.result()
        articles = [r.article for r in slot.results if not isinstance(r, Rejection)]
        ids = [a.id for a in articles]
        fresh = [i for i in dict.fromkeys(ids) if i not in self.looked]
        stored = self.known(fresh) if self.known is not None and fresh else set()
        new = []
        for article_id in ids:
            new.append(article_id not in stored and article_id not in self.looked)
            self.looked.add(article_id)
        slot.new = new
        self.skipped += len(new) - sum(new)
        if self.mark is not None:
            flags = iter(new)
            slot.results = [
                r if isinstance(r, Rejection) or not next(flags) else self.mark(r) for r in slot.results
            ]
            articles = [r.article for r in slot.results if not isinstance(r, Rejection)]
        if any(new) and (self.settings.understand or self.settings.stories):
            slot.heavy = executor.submit("heavy", self.stages, articles, new)


def run_ordered(
    items: Iterable[RawDoc | Rejection],
    executor: Executor,
    settings: Settings,
    *,
    stages: Stages,
    known: Known | None,
    max_chunks: int,
    mark: Mark | None = None,
) -> Iterator[Prepared | Rejection]:
    """Every per-article stage over ``items`` through ``executor``, in input order (see the module)."""
    iterator = iter(items)
    queue: deque[_Slot] = deque()
    gate = _Gate(settings, stages, known, mark)
    while True:
        while len(queue) < max(1, max_chunks) and (chunk := list(islice(iterator, CHUNK))):
            queue.append(_Slot(executor.submit("light", stages, chunk)))
        if not queue:
            break
        for n, slot in enumerate(queue):  # gate in order: the head (waiting), then those already done
            if slot.results is None:
                if n > 0 and not slot.light.done():
                    break
                gate(slot, executor)
        yield from queue.popleft().finish()
    if gate.skipped:
        LOGGER.info("engine: %d known articles skipped the NLP pass and the embedding", gate.skipped)
