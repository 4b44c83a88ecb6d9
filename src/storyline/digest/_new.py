"""What's new: the sentences, quotes, figures, speakers and event dates of newer articles that
earlier coverage did not already carry.

A new article's sentence is **new** when

- earlier sentences do not carry it (``_novelty``: meaning across languages plus word overlap;
  a sentence whose figures were all reported before counts ``FIGURES_CARRIED`` more as carried), or
- it states a fact earlier coverage did not have: an event date whose value no earlier article
  named, or a figure no earlier article gave (same unit, a value within ``TOLERANCE``, the same
  counted thing when both say what they count).

Sentences that repeat one another inside the new articles are reported once (the first), and at
most ``MAX_NEW_SENTENCES`` are reported (``truncated`` says when more were left): a bound on what a
reader can take in, and on the cost of a digest asked for "everything since 2000".
Copies and rewrites of earlier articles give nothing: their sentences are carried and they
state no new fact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.digest._novelty import CARRIED_THRESHOLD, Carried, carried_scores
from storyline.digest._text import Sentence, stems
from storyline.digest._timeline import TOLERANCE
from storyline.digest._vectors import Rows, SentenceRows
from storyline.embed import Embedder
from storyline.model import ArticleFacts, Figure, Quote, TimeMention

__all__ = ["FIGURES_CARRIED", "MAX_NEW_SENTENCES", "NewSentence", "WhatsNew", "whats_new"]

FIGURES_CARRIED = 0.1
REPEATED = 0.8
MAX_NEW_SENTENCES = 100


@dataclass(frozen=True, slots=True)
class NewSentence:
    """A sentence reported as new, why, and the earlier sentence closest to it."""

    sentence: Sentence
    carried: float
    reasons: tuple[str, ...]
    nearest: Sentence | None


@dataclass(frozen=True, slots=True)
class WhatsNew:
    """What the new articles added."""

    article_ids: tuple[str, ...]
    n_earlier: int
    sentences: tuple[NewSentence, ...] = ()
    quotes: tuple[Quote, ...] = ()
    speakers: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    events: tuple[TimeMention, ...] = ()
    truncated: bool = False


def _reported(figure: Figure, earlier: Mapping[str | None, list[tuple[float, frozenset[str]]]]) -> bool:
    """Whether an earlier figure has the same unit, a value within ``TOLERANCE``, the same counted thing."""
    counted = stems(figure.counts or "")
    return any(
        abs(figure.value - value) <= TOLERANCE * max(abs(figure.value), abs(value), 1e-9)
        and (not counted or not held or bool(counted & held))
        for value, held in earlier.get(figure.unit, ())
    )


def _inside(start: int, end: int, s: Sentence) -> bool:
    return s.start <= start < s.end


def whats_new(
    new_ids: Sequence[str],
    earlier_ids: Sequence[str],
    rows: SentenceRows,
    facts: Mapping[str, ArticleFacts],
    embedder: Embedder,
) -> WhatsNew:
    """What the articles ``new_ids`` say that the articles ``earlier_ids`` did not (module docstring)."""
    new_set, old_set = set(new_ids), set(earlier_ids)
    new_idx = [i for i, s in enumerate(rows.sentences) if s.article_id in new_set]
    old_idx = [i for i, s in enumerate(rows.sentences) if s.article_id in old_set]
    old_sents = [rows.sentences[i] for i in old_idx]
    cache: dict[int, frozenset[str]] = {}

    def old_stems(j: int) -> frozenset[str]:
        if j not in cache:
            cache[j] = stems(old_sents[j].text)
        return cache[j]

    contiguous = bool(old_idx) and old_idx[-1] - old_idx[0] + 1 == len(old_idx)
    old_rows = (
        rows.rows[old_idx[0] : old_idx[-1] + 1] if contiguous else rows.rows[old_idx]
    )  # a view, not a copy
    old_values = {t.value.split("T")[0] for a in earlier_ids for t in facts[a].time_mentions if t.value}
    old_figures: dict[str | None, list[tuple[float, frozenset[str]]]] = {}
    for a in earlier_ids:
        for f in facts[a].figures:
            old_figures.setdefault(f.unit, []).append((f.value, stems(f.counts or "")))
    old_speakers = {(q.speaker or "").casefold() for a in earlier_ids for q in facts[a].quotes if q.speaker}

    new_events = [
        t
        for a in new_ids
        for t in facts[a].time_mentions
        if t.is_event and t.type in ("DATE", "TIME") and t.value and t.value.split("T")[0] not in old_values
    ]
    new_figures = [f for a in new_ids for f in facts[a].figures if not _reported(f, old_figures)]
    all_new_figures = {(f.article_id, f.start) for f in new_figures}

    scores = carried_scores(
        rows.rows[new_idx], [stems(rows.sentences[i].text) for i in new_idx], old_rows, old_stems
    )
    events_of: dict[str, list[TimeMention]] = {}
    for t in new_events:
        events_of.setdefault(t.article_id, []).append(t)
    picked: list[NewSentence] = []
    picked_rows = np.zeros((MAX_NEW_SENTENCES, rows.rows.shape[1]), dtype=rows.rows.dtype)
    truncated = False
    for i, carried in zip(new_idx, scores, strict=True):
        s = rows.sentences[i]
        reasons: list[str] = []
        own_figures = [f for f in facts[s.article_id].figures if _inside(f.start, f.end, s)]
        score = carried.score
        if own_figures and all((f.article_id, f.start) not in all_new_figures for f in own_figures):
            score += FIGURES_CARRIED
        if score < CARRIED_THRESHOLD:
            reasons.append("meaning")
        if any(_inside(t.start, t.end, s) for t in events_of.get(s.article_id, ())):
            reasons.append("date")
        if any((f.article_id, f.start) in all_new_figures for f in own_figures):
            reasons.append("figure")
        if not reasons:
            continue
        if picked and float(np.max(picked_rows[: len(picked)] @ rows.rows[i])) >= REPEATED:
            continue
        if len(picked) == MAX_NEW_SENTENCES:
            truncated = True
            break
        picked_rows[len(picked)] = rows.rows[i]
        nearest = old_sents[carried.nearest] if carried.nearest is not None else None
        picked.append(NewSentence(s, round(min(1.0, score), 3), tuple(reasons), nearest))

    new_quotes, more_quotes = _new_quotes(new_ids, facts, embedder, old_rows, old_stems)
    truncated = truncated or more_quotes
    speakers: list[str] = []
    for q in new_quotes:
        if q.speaker and q.speaker.casefold() not in old_speakers and q.speaker not in speakers:
            speakers.append(q.speaker)
    return WhatsNew(
        tuple(new_ids),
        len(earlier_ids),
        tuple(picked),
        tuple(new_quotes),
        tuple(speakers),
        tuple(new_figures),
        tuple(new_events),
        truncated,
    )


def _new_quotes(
    new_ids: Sequence[str],
    facts: Mapping[str, ArticleFacts],
    embedder: Embedder,
    old_rows: Rows,
    old_stems: Callable[[int], frozenset[str]],
) -> tuple[list[Quote], bool]:
    """Quotes of the new articles that earlier sentences did not carry (of the first
    ``2 * MAX_NEW_SENTENCES``), and whether more were left unchecked."""
    quotes = [q for a in new_ids for q in facts[a].quotes]
    more = len(quotes) > 2 * MAX_NEW_SENTENCES
    quotes = quotes[: 2 * MAX_NEW_SENTENCES]
    if not quotes:
        return [], more
    texts = [q.text for q in quotes]
    carried: list[Carried] = carried_scores(
        embedder.embed(texts), [stems(t) for t in texts], old_rows, old_stems
    )
    return [q for q, c in zip(quotes, carried, strict=True) if c.is_new], more
