"""Evaluate quote attribution on PolNeAR-style JSONL (``../shared/data/quotes/polnear_dev.jsonl``).

Each line: ``{"id", "text", "attributions": [{"source", "cue", "content"}]}``; each role is a list of
``[start, end]`` pairs (several for a discontinuous span, none for a missing role).

Metrics (DESIGN.md section 6):

- a predicted quote matches a gold attribution when their content spans overlap by at least one
  character; pairs are matched greedily, largest overlap first, each gold and each prediction at
  most once: ``precision_overlap`` = matched / predicted, ``recall_overlap`` = matched / gold;
- ``f1_exact``: same, counting only pairs whose content spans are equal after trimming whitespace,
  quotation marks and final punctuation (a discontinuous gold content is compared by its extent,
  from its first to its last character, since a ``Quote`` has one span);
- ``speaker_accuracy``: among matched pairs whose gold has a source, the share whose predicted
  speaker span overlaps the gold source, or whose speaker mention as written (a pronoun or a
  description that was resolved to an earlier name) overlaps it.

Gold attributions without content cannot be matched and are left out of ``n_gold`` (counted in
``n_gold_without_content``). Split: an article is in ``tune`` when the first 8 hex digits of
``sha256(id)`` modulo 100 are below 70, else in ``heldout``; rules were tuned on ``tune`` only.

Annotation files (``tests/data/annotations/quotes_<lang>.jsonl``, this project's own annotations of
non-English shared texts) hold no text: each line names its source (``source`` relative to the
shared ``data`` folder, ``pair_id`` and ``field``), its ``lang``, the ``text_sha`` of the text and
per attribution the ``content`` and ``source`` offsets with the hash of each span's text.
``read_annotations`` fetches the texts and raises ``InputError`` when a referenced text changed.
``evaluate_quotes`` reads either format (an annotation file is recognised by its first line), and
for annotations scores each language with its own language code (``by_language``), both over all
proposed quotes and over those shown by default (``confidence >= DEFAULT_MIN_CONFIDENCE``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import InputError
from storyline.understand.quotes import QUOTE_CHARS

__all__ = [
    "Annotated",
    "GoldArticle",
    "Prediction",
    "read_annotations",
    "read_articles",
    "score_quotes",
    "shared_data_for",
    "split_of",
]

LOGGER = logging.getLogger(__name__)

SPLITS = ("all", "tune", "heldout")
Span = tuple[int, int]
_TRIM_START = set(" \t\r\n\u00a0") | {c for c in QUOTE_CHARS if len(c) == 1}
_TRIM_END = _TRIM_START | set(".,;:!?…")


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One annotated article: text and attributions as (source, cue, content) span lists."""

    id: str
    text: str
    attributions: tuple[tuple[tuple[Span, ...], tuple[Span, ...], tuple[Span, ...]], ...]


@dataclass(frozen=True, slots=True)
class Prediction:
    """A predicted quote reduced to what scoring needs: content span and speaker spans."""

    start: int
    end: int
    speakers: tuple[Span, ...] = ()


def split_of(article_id: str) -> str:
    """``"tune"`` (about 70 %) or ``"heldout"``, from the hash of the article id."""
    bucket = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "tune" if bucket < 70 else "heldout"


def read_articles(path: Path, *, split: str = "all", limit: int | None = None) -> Iterator[GoldArticle]:
    """The articles of ``path`` in ``split``, in file order (at most ``limit``)."""
    if split not in SPLITS:
        raise InputError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    n = 0
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                article = GoldArticle(
                    str(row["id"]),
                    row["text"],
                    tuple(
                        tuple(
                            tuple(tuple(p) for p in a.get(role) or ())
                            for role in ("source", "cue", "content")
                        )  # type: ignore[misc]
                        for a in row["attributions"]
                    ),
                )
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(
                    f"{path}:{line_no}: expected a JSON object with id, text, attributions: {e}"
                ) from e
            if split != "all" and split_of(article.id) != split:
                continue
            if limit is not None and n >= limit:
                return
            n += 1
            yield article


@dataclass(frozen=True, slots=True)
class Annotated:
    """One article of an annotation file: its language and the gold attributions over its text."""

    language: str
    article: GoldArticle


def snippet_hash(text: str) -> str:
    """The hash annotation files keep for a span's text (16 hex digits of its sha256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def shared_data_for(path: Path) -> Path:
    """The shared ``data`` folder for an annotation file: ``$STORYLINE_SHARED/data``, else the first
    ``shared/data`` beside a folder above the file (``../shared/data`` of a checkout)."""
    env = os.environ.get("STORYLINE_SHARED")
    if env:
        return Path(env) / "data"
    for parent in path.resolve().parents:
        candidate = parent.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    raise InputError(f"{path}: no shared data folder found (set STORYLINE_SHARED)")


def _source_texts(data: Path, source: str) -> dict[tuple[str, str], str]:
    texts: dict[tuple[str, str], str] = {}
    with (data / source).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            key = str(row.get("pair_id") or row.get("id"))
            for field, value in row.items():
                if isinstance(value, str):
                    texts[(key, field)] = value
    return texts


def is_annotation_file(path: Path) -> bool:
    """Whether ``path`` is an annotation file (spans over shared texts) rather than PolNeAR-style."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                return isinstance(row, dict) and "text" not in row and "text_sha" in row
    return False


def read_annotations(path: Path, data: Path | None = None) -> Iterator[Annotated]:
    """The annotated articles of ``path``, their texts read from ``data`` (see the module docstring).

    Raises ``InputError`` when a source is missing or its text no longer has the annotated hashes.
    """
    data = shared_data_for(path) if data is None else data
    sources: dict[str, dict[tuple[str, str], str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                row = json.loads(line)
                source, key, field = row["source"], str(row["pair_id"]), row["field"]
                if source not in sources:
                    sources[source] = _source_texts(data, source)
                text = sources[source].get((key, field))
                if text is None:
                    raise InputError(f"{where}: {source} has no {key}/{field}: the source changed")
                if snippet_hash(text) != row["text_sha"]:
                    raise InputError(f"{where}: the text of {source} {key}/{field} changed (hash differs)")
                attributions: list[tuple[tuple[Span, ...], tuple[Span, ...], tuple[Span, ...]]] = []
                for att in row["attributions"]:
                    spans: list[tuple[Span, ...]] = []
                    for role in ("source", "content"):
                        span = att.get(role)
                        if span is None:
                            spans.append(())
                            continue
                        start, end = int(span[0]), int(span[1])
                        if snippet_hash(text[start:end]) != att[f"{role}_sha"]:
                            raise InputError(
                                f"{where}: a {role} span of {key}/{field} no longer matches its text"
                            )
                        spans.append(((start, end),))
                    attributions.append((spans[0], (), spans[1]))
            except (ValueError, KeyError, TypeError, IndexError) as e:
                raise InputError(f"{where}: expected an annotation object: {e}") from e
            except OSError as e:
                raise InputError(f"{where}: cannot read the source: {e}") from e
            yield Annotated(str(row["lang"]), GoldArticle(f"{key}/{field}", text, tuple(attributions)))


def _overlap(a: Span, parts: tuple[Span, ...]) -> int:
    return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in parts)


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in _TRIM_START:
        start += 1
    while end > start and text[end - 1] in _TRIM_END:
        end -= 1
    return start, end


def score_quotes(articles: list[tuple[GoldArticle, list[Prediction]]]) -> dict[str, Any]:
    """The metrics of the module docstring over (gold article, predictions) pairs."""
    n_gold = n_pred = n_match = n_exact = n_spk = n_spk_ok = n_nocontent = 0
    for article, preds in articles:
        golds = [a for a in article.attributions if a[2]]
        n_nocontent += len(article.attributions) - len(golds)
        n_gold += len(golds)
        n_pred += len(preds)
        pairs = sorted(
            (
                (-_overlap((p.start, p.end), g[2]), gi, pi)
                for gi, g in enumerate(golds)
                for pi, p in enumerate(preds)
                if _overlap((p.start, p.end), g[2]) > 0
            ),
        )
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            n_match += 1
            source = golds[gi][0]
            if source:
                n_spk += 1
                n_spk_ok += any(_overlap(s, source) > 0 for s in preds[pi].speakers)
        gold_exact = {_trimmed(article.text, g[2][0][0], g[2][-1][1]) for g in golds}
        pred_exact = {_trimmed(article.text, p.start, p.end) for p in preds}
        n_exact += len(gold_exact & pred_exact)
    return _summary(n_gold, n_pred, n_match, n_exact, n_spk, n_spk_ok) | {
        "n_docs": len(articles),
        "n_gold_without_content": n_nocontent,
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _summary(
    n_gold: int, n_pred: int, n_match: int, n_exact: int, n_spk: int, n_spk_ok: int
) -> dict[str, Any]:
    p, r = (n_match / n_pred if n_pred else 0.0), (n_match / n_gold if n_gold else 0.0)
    pe, re_ = (n_exact / n_pred if n_pred else 0.0), (n_exact / n_gold if n_gold else 0.0)
    return {
        "n_gold": n_gold,
        "n_pred": n_pred,
        "n_matched": n_match,
        "n_exact": n_exact,
        "precision_overlap": round(p, 4),
        "recall_overlap": round(r, 4),
        "f1_overlap": round(_f1(p, r), 4),
        "precision_exact": round(pe, 4),
        "recall_exact": round(re_, 4),
        "f1_exact": round(_f1(pe, re_), 4),
        "speaker_accuracy": round(n_spk_ok / n_spk, 4) if n_spk else 0.0,
        "n_speaker_pairs": n_spk,
    }


def _predict(article: GoldArticle, language: str) -> list[tuple[Prediction, float]]:
    """The quotes ``find_attributions`` finds in ``article``, as predictions with their confidence."""
    from storyline.understand.quotes import find_attributions

    found = find_attributions(article.text, article_id=article.id, language=language)
    return [
        (
            Prediction(
                a.quote.start,
                a.quote.end,
                tuple((m.start, m.end) for m in a.mentions)
                or (
                    ((a.quote.speaker_start, a.quote.speaker_end),)
                    if a.quote.speaker_start is not None and a.quote.speaker_end is not None
                    else ()
                ),
            ),
            1.0 if a.quote.confidence is None else float(a.quote.confidence),
        )
        for a in found
    ]


def evaluate_quotes(
    path: Path,
    *,
    split: str = "all",
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Run ``find_attributions`` over ``path`` and score it (see the module docstring);
    ``progress(done, total)`` is called after each article. An annotation file is scored by language."""
    if is_annotation_file(path):
        return evaluate_annotations([path], progress=progress)
    scored: list[tuple[GoldArticle, list[Prediction]]] = []
    began = time.perf_counter()
    articles = list(read_articles(path, split=split, limit=limit))
    for i, article in enumerate(articles, 1):
        scored.append((article, [p for p, _ in _predict(article, language)]))
        if progress is not None:
            progress(i, len(articles))
    seconds = time.perf_counter() - began
    result = score_quotes(scored)
    result["split"] = split
    if split == "all":
        result["by_split"] = {
            name: score_quotes([(a, p) for a, p in scored if split_of(a.id) == name]) for name in SPLITS[1:]
        }
    result["articles_per_second"] = round(len(scored) / seconds, 2) if seconds > 0 else 0.0
    LOGGER.info(
        "eval quotes: %d articles, %d gold, %d predicted", len(scored), result["n_gold"], result["n_pred"]
    )
    return result


def evaluate_annotations(
    paths: list[Path],
    *,
    data: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Score annotation files per language: all proposed quotes, and those shown by default."""
    from storyline.understand.quotes import DEFAULT_MIN_CONFIDENCE

    items = [a for path in paths for a in read_annotations(path, data)]
    judged: dict[str, list[tuple[GoldArticle, list[tuple[Prediction, float]]]]] = {}
    for i, item in enumerate(items, 1):
        judged.setdefault(item.language, []).append((item.article, _predict(item.article, item.language)))
        if progress is not None:
            progress(i, len(items))
    by_language: dict[str, Any] = {}
    for lang, rows in sorted(judged.items()):
        shown = score_quotes([(a, [p for p, c in preds if c >= DEFAULT_MIN_CONFIDENCE]) for a, preds in rows])
        every = score_quotes([(a, [p for p, _ in preds]) for a, preds in rows])
        by_language[lang] = shown | {"all_proposed": every}
    return {"min_confidence": DEFAULT_MIN_CONFIDENCE, "by_language": by_language}
