"""Evaluate story assignment on labelled streams (``../shared/data/stories``).

Each line: ``{"id", "title", "text", "lang", "published", "source", "story", "topic"}``. The file is
streamed one article at a time in file order, exactly as the pipeline does: an ``Article`` per
row, marked by a boilerplate index (``stories.boilerplate``: the text its ``source`` repeats; a row
without a source is left as it is), ``prepare_assign_inputs`` for it, ``StoryAssigner.assign``.
Predicted stories are read at the end, following merges (an article whose story was later merged
counts in the survivor).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.embed import Embedder
from storyline.evaluate.jsonl import read_records
from storyline.evaluate.metrics import adjusted_rand_index, bcubed, normalized_mutual_info
from storyline.model import Article
from storyline.settings import Settings
from storyline.stories.assign import MODEL_PATH, AssignOutcome, StoryAssigner, prepare_assign_inputs
from storyline.stories.boilerplate import BoilerplateIndex

__all__ = ["GoldArticle", "evaluate_stories", "read_stream", "resolve_stories", "story_scores"]

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One labelled article of a story stream."""

    article: Article
    story: str
    topic: str | None = None


def _published(value: object) -> datetime | None:
    if not value:
        return None
    at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _gold_article(obj: Any, path: Path) -> GoldArticle:
    article = Article(
        id=str(obj["id"]),
        text=str(obj.get("text") or ""),
        title=str(obj.get("title") or ""),
        language=obj.get("lang"),
        source=obj.get("source"),
        published_at=_published(obj.get("published")),
        published_precision="day" if obj.get("published") else None,
        origin=f"{path}#{obj['id']}",
    )
    return GoldArticle(article, str(obj["story"]), None if obj.get("topic") is None else str(obj["topic"]))


def read_stream(path: Path) -> Iterator[GoldArticle]:
    """The labelled articles of ``path``, in file order."""
    return read_records(
        path, lambda obj: _gold_article(obj, path), expected="a JSON object with id, text and story"
    )


def resolve_stories(outcomes: list[AssignOutcome]) -> list[str]:
    """The final story of each assigned article, following every merge recorded in ``outcomes``."""
    merged_into: dict[str, str] = {}
    for outcome in outcomes:
        for event in outcome.events:
            if event.kind == "story_merge":
                merged_into[event.subject_id] = event.object_id

    def final(story_id: str) -> str:
        seen = set()
        while story_id in merged_into and story_id not in seen:
            seen.add(story_id)
            story_id = merged_into[story_id]
        return story_id

    return [final(o.assignment.story_id) for o in outcomes]


def story_scores(gold: list[str], predicted: list[str]) -> dict[str, float | int]:
    """``n``, ``n_gold``, ``n_pred`` and the clustering metrics of ``predicted`` against ``gold``."""
    b3 = bcubed(gold, predicted)
    return {
        "n": len(gold),
        "n_gold": len(set(gold)),
        "n_pred": len(set(predicted)),
        "bcubed_precision": round(b3.precision, 4),
        "bcubed_recall": round(b3.recall, 4),
        "bcubed_f1": round(b3.f1, 4),
        "ari": round(adjusted_rand_index(gold, predicted), 4),
        "nmi": round(normalized_mutual_info(gold, predicted), 4),
    }


def evaluate_stories(
    path: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    embedder: Embedder,
    model_path: Path = MODEL_PATH,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Stream ``path`` through a fresh ``StoryAssigner`` and score its stories against ``story``.

    Returns ``n``, ``n_gold``, ``n_pred``, ``bcubed_precision``, ``bcubed_recall``, ``bcubed_f1``,
    ``ari``, ``nmi``, ``articles_per_second`` (embedding included), and ``n_merges``,
    ``n_storylines``, ``model``. ``progress(done, total)`` is called every 50 articles. The
    boilerplate settings are ``settings``' (default: the defaults).
    """
    settings = settings if settings is not None else Settings()
    stream = list(read_stream(path))
    assigner = StoryAssigner(model_path=model_path)
    boilerplate = BoilerplateIndex.from_settings(settings)
    outcomes: list[AssignOutcome] = []
    storylines: dict[str, str | None] = {}
    started = time.perf_counter()
    for done, gold in enumerate(stream, 1):
        (item,) = prepare_assign_inputs([boilerplate.observe(gold.article).article], embedder)
        outcome = assigner.assign(item)
        outcomes.append(outcome)
        storylines.update((line.id, line.merged_into) for line in outcome.storylines)
        if progress is not None and (done % 50 == 0 or done == len(stream)):
            progress(done, len(stream))
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = story_scores([g.story for g in stream], resolve_stories(outcomes))
    result["articles_per_second"] = round(len(stream) / elapsed, 2) if elapsed > 0 else None
    result["n_merges"] = sum(1 for o in outcomes for e in o.events if e.kind == "story_merge")
    result["n_storylines"] = sum(1 for merged in storylines.values() if merged is None)
    result["model"] = assigner.model.version
    LOGGER.info("eval stories: %d articles in %.1f s, B3 F1 %.4f", len(stream), elapsed, result["bcubed_f1"])
    return result
