"""Labels and extractive summaries of a story.

Summary: sentences scored by centrality (cosine to the mean row of all the story's sentences) plus
small preferences for wire copy (an article with a known agency), the earliest reporting (the
story's first articles) and an article's lead; picked greedily while no picked sentence is closer
than ``REDUNDANT`` to one already picked (maximal marginal relevance); each picked sentence is then
replaced by its earliest near-copy (cosine >= ``SAME_FACT``) so the summary cites who reported it
first; the result reads in reporting order.

Label: the title (or lead sentence) of the most central article, cut to ``LABEL_CHARS``; beside it
the story's key entities (most mentioned canonical names) and keyphrases (yake over the central
articles' titles and leads, in the story's main language). Labels are recomputed on every call
and never identify anything.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.digest._text import Sentence
from storyline.model import Article, Mention, lang_code

__all__ = ["Label", "main_language", "story_label", "summarise"]

LOGGER = logging.getLogger(__name__)

REDUNDANT = 0.7
SAME_FACT = 0.8
WIRE_BONUS = 0.05
EARLY_BONUS = 0.05
LEAD_BONUS = 0.03
LABEL_CHARS = 90
KEYPHRASES = 5
YAKE_CHARS = 2000
KEY_ARTICLES = 10

Rows = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Label:
    """A headline-like label and what it was made from."""

    text: str
    language: str | None
    entities: tuple[str, ...]
    keyphrases: tuple[str, ...]


def main_language(articles: Sequence[Article]) -> str | None:
    """The language most of ``articles`` are in (ties: the earliest article's)."""
    counts = Counter(a.language for a in articles if a.language)
    return counts.most_common(1)[0][0] if counts else None


def _centrality(rows: Rows) -> npt.NDArray[np.float32]:
    if len(rows) == 0:
        return np.zeros(0, np.float32)
    centre = rows.mean(axis=0)
    norm = float(np.linalg.norm(centre))
    return (rows @ (centre / norm)).astype(np.float32) if norm else np.zeros(len(rows), np.float32)


def summarise(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    rows: Rows,
    *,
    n: int = 5,
    language: str | None = None,
) -> list[Sentence]:
    """Up to ``n`` (at least 3 when the story has them) central, non-redundant sentences."""
    if not sentences:
        return []
    order = {a.id: i for i, a in enumerate(articles)}
    wire = {a.id for a in articles if a.agency}
    first_of: dict[str, int] = {}
    ranks = np.array([order.get(s.article_id, len(articles)) for s in sentences], np.float32)
    is_wire = np.array([s.article_id in wire for s in sentences], np.float32)
    lead = np.array(
        [i - first_of.setdefault(s.article_id, i) < 3 for i, s in enumerate(sentences)], np.float32
    )
    score = (
        _centrality(rows)
        + WIRE_BONUS * is_wire
        + EARLY_BONUS * (1 - ranks / max(1, len(articles)))
        + LEAD_BONUS * lead
    )
    allowed = np.ones(len(sentences), bool)
    if language and any(s.language == language for s in sentences):
        allowed = np.array([s.language == language for s in sentences])
    picked: list[int] = []
    for i in np.argsort(-score, kind="stable"):
        if not allowed[i]:
            continue
        if picked and float(np.max(rows[picked] @ rows[i])) >= REDUNDANT:
            continue
        picked.append(int(i))
        if len(picked) == n:
            break
    chosen: list[int] = []
    for i in picked:
        same = [int(j) for j in np.flatnonzero((rows @ rows[i] >= SAME_FACT) & allowed)]
        earliest = min(same, key=lambda j: (order.get(sentences[j].article_id, 0), j), default=i)
        chosen.append(earliest if earliest not in chosen else i)
    return [
        sentences[i] for i in sorted(set(chosen), key=lambda j: (order.get(sentences[j].article_id, 0), j))
    ]


def _keyphrases(text: str, language: str | None) -> tuple[str, ...]:
    if not text.strip():
        return ()
    import yake  # type: ignore[import-untyped]  # imported here: yake pulls in networkx, which a reader that never labels need not load

    extractor = yake.KeywordExtractor(
        lan=(lang_code(language) or "en"), n=3, top=KEYPHRASES * 3, dedupLim=0.7
    )
    found: list[str] = []
    for phrase, _score in extractor.extract_keywords(text[:YAKE_CHARS]):
        if not any(phrase.casefold() in f.casefold() or f.casefold() in phrase.casefold() for f in found):
            found.append(phrase)
        if len(found) == KEYPHRASES:
            break
    return tuple(found)


def story_label(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    rows: Rows,
    mentions: Mapping[str, Sequence[Mention]],
    entity_names: Mapping[str, str],
) -> Label:
    """The label of a story (see the module docstring)."""
    language = main_language(articles)
    central = _centrality(rows)
    best: dict[str, float] = {}
    for s, c in zip(sentences, central, strict=True):
        if language is None or s.language == language:
            best[s.article_id] = max(best.get(s.article_id, -1.0), float(c))
    ranked = sorted(best, key=lambda a: -best[a]) or [a.id for a in articles]
    by_id = {a.id: a for a in articles}
    lead = {s.article_id: s.text for s in reversed(sentences)}
    top = by_id[ranked[0]] if ranked else None
    text = ""
    if top is not None:
        text = (top.title or lead.get(top.id, "") or top.text[:LABEL_CHARS]).strip()
    if len(text) > LABEL_CHARS:
        text = text[: text.rfind(" ", 0, LABEL_CHARS)].rstrip(" ,;:–-") + "…"
    names: Counter[str] = Counter()
    for found in mentions.values():
        for m in found:
            if m.type in ("PER", "ORG", "LOC"):
                names[entity_names.get(m.entity_id or "", m.text)] += 1
    entities = tuple(name for name, _ in names.most_common(5))
    sample = "\n".join(f"{by_id[a].title}. {lead.get(a, '')}" for a in ranked[:KEY_ARTICLES] if a in by_id)
    return Label(text, language, entities, _keyphrases(sample, language))
