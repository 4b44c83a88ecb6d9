"""Evaluate the time-expression tagger on TempEval-3 style documents (``../shared/data/timex``).

Each line: ``{"id", "text", "dct", "timexes": [{"start", "end", "text", "type", "value"}]}``;
``dct`` (the document creation time) is the anchor handed to ``find_time_mentions`` as
``published_at``. Metrics follow TempEval-3 (UzZaman et al. 2013) as DESIGN.md section 6 defines them:

- ``strict``: a prediction matches a gold timex with exactly the same span;
- ``relaxed``: the spans overlap by at least one character;
- ``value`` / ``type``: a relaxed match whose normalised value (type) is also equal.

Gold and predicted timexes are paired one to one, per document: each prediction takes the
overlapping gold timex it shares most characters with (ties: the earlier one) that is still free.
Precision divides by the predictions, recall by the gold timexes.

Split: a document is in ``fit`` when ``int(sha256(id), 16) % 10 < 7`` (about 70 %), else in
``heldout``; the rules were tuned on ``fit`` only.

``evaluate_timex_annotations`` scores the other languages the same way, on sentences this project
annotated over the shared texts (``timex_annotations``), per language and per tune/heldout split.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.evaluate.jsonl import read_records
from storyline.evaluate.timex_annotations import in_split, load_sentences, read_annotations
from storyline.model import TimeMention
from storyline.understand.timex import find_time_mentions

__all__ = [
    "GoldDoc",
    "GoldTimex",
    "default_data_dir",
    "evaluate_timex",
    "evaluate_timex_annotations",
    "read_timex_docs",
    "score_documents",
    "split_of",
]

LOGGER = logging.getLogger(__name__)

SPLITS = ("all", "fit", "heldout")
FIT_SHARE_TENTHS = 7
Tagger = Callable[[str, datetime | None], Sequence[TimeMention]]


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One annotated time expression."""

    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One annotated document with its creation time."""

    id: str
    text: str
    dct: datetime | None
    timexes: tuple[GoldTimex, ...]


def split_of(doc_id: str) -> str:
    """``"fit"`` or ``"heldout"``: a deterministic 70/30 split by the hash of the document id."""
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 10
    return "fit" if bucket < FIT_SHARE_TENTHS else "heldout"


def _parse_dct(raw: object) -> datetime | None:
    if not isinstance(raw, str) or len(raw) < 10:
        return None
    try:
        day = datetime.fromisoformat(raw[:10])
    except ValueError:
        return None
    return day.replace(tzinfo=UTC)


def read_timex_docs(path: Path, *, split: str = "all") -> Iterator[GoldDoc]:
    """The documents of ``path`` in the given split, in file order."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    docs = read_records(path, _parse_doc, expected="a JSON object with 'id', 'text', 'dct' and 'timexes'")
    for doc in docs:
        if split == "all" or split_of(doc.id) == split:
            yield doc


def _parse_doc(obj: Any) -> GoldDoc:
    return GoldDoc(
        id=str(obj["id"]),
        text=str(obj["text"]),
        dct=_parse_dct(obj.get("dct")),
        timexes=tuple(
            GoldTimex(int(t["start"]), int(t["end"]), str(t["type"]), str(t["value"])) for t in obj["timexes"]
        ),
    )


def _pair(gold: Sequence[GoldTimex], pred: Sequence[TimeMention]) -> list[tuple[GoldTimex, TimeMention]]:
    """One-to-one pairs of overlapping gold and predicted timexes (largest overlap first)."""
    free = list(range(len(gold)))
    pairs: list[tuple[GoldTimex, TimeMention]] = []
    for p in pred:
        best, best_overlap = -1, 0
        for i in free:
            overlap = min(gold[i].end, p.end) - max(gold[i].start, p.start)
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        if best >= 0:
            free.remove(best)
            pairs.append((gold[best], p))
    return pairs


def _prf(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = hits / n_pred if n_pred else 0.0
    recall = hits / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _default_tagger(text: str, dct: datetime | None) -> Sequence[TimeMention]:
    return find_time_mentions(text, article_id="", published_at=dct, language="en")


def score_documents(
    docs: Sequence[GoldDoc],
    tagger: Tagger = _default_tagger,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The TempEval-3 metrics of ``tagger`` over ``docs`` (see the module docstring).

    ``progress(done, total)`` is called after each document.
    """
    n_gold = n_pred = strict = relaxed = value = kind = 0
    started = time.perf_counter()
    for done, doc in enumerate(docs, 1):
        if progress is not None:
            progress(done - 1, len(docs))
        pred = list(tagger(doc.text, doc.dct))
        n_gold += len(doc.timexes)
        n_pred += len(pred)
        spans = {(g.start, g.end) for g in doc.timexes}
        strict += len({(p.start, p.end) for p in pred} & spans)
        for g, p in _pair(doc.timexes, pred):
            relaxed += 1
            value += g.value == p.value
            kind += g.type == p.type
        if progress is not None:
            progress(done, len(docs))
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {"n_docs": len(docs), "n_gold": n_gold, "n_pred": n_pred}
    for name, hits in (("strict", strict), ("relaxed", relaxed), ("value", value), ("type", kind)):
        precision, recall, f1 = _prf(hits, n_pred, n_gold)
        result[f"{name}_f1"] = round(f1, 4)
        result[f"{name}_precision"] = round(precision, 4)
        result[f"{name}_recall"] = round(recall, 4)
    result["ms_per_doc"] = round(1000 * seconds / len(docs), 3) if docs else 0.0
    LOGGER.info(
        "timex: %d docs, %d gold, %d predicted, relaxed F1 %.4f, value F1 %.4f",
        len(docs), n_gold, n_pred, result["relaxed_f1"], result["value_f1"],
    )  # fmt: skip
    return result


def evaluate_timex(
    path: Path, *, split: str = "all", progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Score ``find_time_mentions`` (English) on a TempEval-3 JSONL file.

    Returns ``n_docs``, ``n_gold``, ``n_pred``, ``strict_f1``, ``relaxed_f1``, ``value_f1``,
    ``type_f1`` plus the precision and recall of each, ``split`` and ``ms_per_doc``.
    """
    result = score_documents(list(read_timex_docs(path, split=split)), progress=progress)
    result["split"] = split
    return result


def default_data_dir() -> Path:
    """``$STORYLINE_SHARED/data``, else ``../shared/data`` from the working directory."""
    return Path(os.environ.get("STORYLINE_SHARED") or "../shared") / "data"


_SUMMARY = ("n_gold", "n_pred", "strict_f1", "relaxed_f1", "value_f1", "type_f1", "value_precision",
            "value_recall")  # fmt: skip


def evaluate_timex_annotations(
    path: Path,
    *,
    data_dir: Path | None = None,
    split: str = "all",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Score ``find_time_mentions`` on an annotation file (``timex_annotations``), per language.

    Each sentence is tagged alone, in its language, against the annotated DCT. Returns
    ``n_sentences`` and, for each language ``xx`` in the file, ``xx`` (the chosen ``split``),
    and with ``split="all"`` also ``xx.tune`` and ``xx.heldout``: each a dict of ``n_sentences``,
    ``n_gold``, ``n_pred`` and the strict/relaxed/value/type F1 (value precision and recall too).
    """
    annotations = in_split(read_annotations(path), split)
    sentences = load_sentences(annotations, data_dir or default_data_dir())
    result: dict[str, Any] = {"n_sentences": len(sentences), "split": split}
    langs = sorted({s.annotation.lang for s in sentences})
    parts = [(lang, split) for lang in langs]
    if split == "all":
        parts += [(lang, part) for lang in langs for part in ("tune", "heldout")]
    for lang, part in sorted(parts):
        chosen = [s for s in sentences if s.annotation.lang == lang and part in ("all", s.annotation.split)]
        docs = [
            GoldDoc(s.annotation.id, s.text, s.dct, tuple(GoldTimex(*t) for t in s.annotation.timexes))
            for s in chosen
        ]

        def tagger(text: str, dct: datetime | None, lang: str = lang) -> Sequence[TimeMention]:
            return find_time_mentions(text, article_id="", published_at=dct, language=lang)

        scores = score_documents(docs, tagger, progress=progress)
        key = lang if part == split else f"{lang}.{part}"
        result[key] = {"n_sentences": len(docs), **{k: scores[k] for k in _SUMMARY}}
    return result
