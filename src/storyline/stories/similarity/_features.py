"""Features of a pair of articles, for the fitted pair scorer (``similarity.py``).

``PairInput`` is one side of a pair: the text and what is known about it, plus, when the caller
has them already, its ``ArticleVectors`` and ``TextSignals`` (the story assigner keeps both for
its candidates, so scoring a pair is then a few small matrix products and set operations).
``pair_features`` turns two prepared sides into one row of ``FEATURE_NAMES``; the order is part
of the model file, which names them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from storyline.embed import ArticleVectors, Embedder, Vector, embed_articles
from storyline.model import Article, lang_code
from storyline.stories.similarity._signals import TextSignals, text_signals

__all__ = ["FEATURE_NAMES", "LANGUAGES", "PairInput", "pair_features", "prepare_inputs"]

#: Languages with their own indicator feature (those of the SemEval-2022 Task 8 data).
LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "pl", "ru", "tr", "zh")

EMBEDDING_FEATURES = (
    "cos_document",
    "cos_head",
    "cos_title",
    "cos_lead",
    "cross_title_head",
    "cross_head_lead",
    "cross_title_lead",
    "align_mean",
    "align_min",
    "align_max",
    "align_top3",
    "align_median",
    "align_share_05",
    "align_share_07",
    "align_all_mean",
)
LEXICAL_FEATURES = (
    "names_jaccard",
    "names_overlap",
    "names_shared_log",
    "name_runs_shared_log",
    "name_runs_jaccard",
    "numbers_jaccard",
    "numbers_shared_log",
    "years_jaccard",
    "dates_shared_log",
    "places_shared_log",
    "words_jaccard",
    "trigram_cosine",
)
META_FEATURES = ("length_ratio_log", "length_min_log", "cross_lingual", *(f"lang_{x}" for x in LANGUAGES))
FEATURE_NAMES = EMBEDDING_FEATURES + LEXICAL_FEATURES + META_FEATURES


@dataclass(frozen=True, slots=True, eq=False)
class PairInput:
    """One side of a pair. ``title`` may be empty (the headline is then read from the text)."""

    text: str
    title: str = ""
    language: str | None = None
    published_at: datetime | None = None
    vectors: ArticleVectors | None = None
    signals: TextSignals | None = None

    @classmethod
    def from_article(cls, article: Article, vectors: ArticleVectors | None = None) -> PairInput:
        """The pair input of a stored ``Article`` (with its vectors, if the caller has them)."""
        return cls(
            text=article.text,
            title=article.title,
            language=article.language,
            published_at=article.published_at,
            vectors=vectors,
        )


def prepare_inputs(inputs: Sequence[PairInput], embedder: Embedder) -> list[PairInput]:
    """The same inputs with vectors and signals filled in where missing.

    Missing vectors are embedded in one batch; an input object given several times is prepared once.
    """
    unique = list({id(x): x for x in inputs}.values())
    todo = [x for x in unique if x.vectors is None or x.vectors.embedder != embedder.name]
    vectors = {
        id(x): v
        for x, v in zip(todo, embed_articles(embedder, [(x.title, x.text) for x in todo]), strict=True)
    }
    done = {
        id(x): dataclasses.replace(
            x,
            vectors=vectors.get(id(x), x.vectors),
            signals=x.signals or text_signals(x.title + "\n" + x.text if x.title else x.text),
        )
        for x in unique
    }
    return [done[id(x)] for x in inputs]


def _jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _trigram_cosine(a: TextSignals, b: TextSignals) -> float:
    small, large = sorted((a.trigrams, b.trigrams), key=len)
    dot = sum(v * large[k] for k, v in small.items() if k in large)
    norm = math.sqrt(sum(v * v for v in a.trigrams.values()) * sum(v * v for v in b.trigrams.values()))
    return dot / norm if norm else 0.0


def _alignment(a: ArticleVectors, b: ArticleVectors) -> list[float]:
    if len(a.sentences) == 0 or len(b.sentences) == 0:
        return [0.0] * 8
    sims = a.sentences @ b.sentences.T
    best_a, best_b = sims.max(axis=1), sims.max(axis=0)
    best = np.concatenate([best_a, best_b])
    flat = np.sort(sims, axis=None)[::-1]
    return [
        float(best_a.mean() + best_b.mean()) / 2,
        float(min(best_a.mean(), best_b.mean())),
        float(flat[0]),
        float(flat[:3].mean()),
        float(np.median(best)),
        float((best > 0.5).mean()),
        float((best > 0.7).mean()),
        float(sims.mean()),
    ]


def _symmetric(x_a: Vector, y_b: Vector, y_a: Vector, x_b: Vector) -> float:
    """Mean of x·y across the pair both ways (title of one against head of the other, ...)."""
    return float(x_a @ y_b + y_a @ x_b) / 2


def _embedding_features(a: ArticleVectors, b: ArticleVectors) -> list[float]:
    return [
        float(a.document @ b.document),
        float(a.head @ b.head),
        float(a.title @ b.title),
        float(a.lead @ b.lead),
        _symmetric(a.title, b.head, a.head, b.title),
        _symmetric(a.head, b.lead, a.lead, b.head),
        _symmetric(a.title, b.lead, a.lead, b.title),
        *_alignment(a, b),
    ]


def _lexical_features(a: TextSignals, b: TextSignals) -> list[float]:
    runs_a = {tuple(k for _, k in run) for run in a.name_runs if len(run) >= 2}
    runs_b = {tuple(k for _, k in run) for run in b.name_runs if len(run) >= 2}
    shared_names = a.names & b.names
    smaller = min(len(a.names), len(b.names))
    return [
        _jaccard(a.names, b.names),
        len(shared_names) / smaller if smaller else 0.0,
        math.log1p(len(shared_names)),
        math.log1p(len(runs_a & runs_b)),
        len(runs_a & runs_b) / len(runs_a | runs_b) if runs_a | runs_b else 0.0,
        _jaccard(a.numbers, b.numbers),
        math.log1p(len(a.numbers & b.numbers)),
        _jaccard(a.years, b.years),
        math.log1p(len(a.dates & b.dates)),
        math.log1p(len(a.places & b.places)),
        _jaccard(a.words, b.words),
        _trigram_cosine(a, b),
    ]


def _meta_features(a: PairInput, b: PairInput, sa: TextSignals, sb: TextSignals) -> list[float]:
    la, lb = lang_code(a.language), lang_code(b.language)
    cross = float(bool(la) and bool(lb) and la != lb)
    return [
        abs(math.log((sa.n_chars + 50) / (sb.n_chars + 50))),
        math.log(min(sa.n_chars, sb.n_chars) + 50),
        cross,
        *(float(x in (la, lb)) for x in LANGUAGES),
    ]


def pair_features(a: PairInput, b: PairInput) -> npt.NDArray[np.float64]:
    """One row of ``FEATURE_NAMES`` for a pair of prepared inputs (see ``prepare_inputs``)."""
    if a.vectors is None or b.vectors is None or a.signals is None or b.signals is None:
        raise ValueError("pair_features needs prepared inputs; call prepare_inputs(inputs, embedder) first")
    row = [
        *_embedding_features(a.vectors, b.vectors),
        *_lexical_features(a.signals, b.signals),
        *_meta_features(a, b, a.signals, b.signals),
    ]
    return np.asarray(row, dtype=np.float64)
