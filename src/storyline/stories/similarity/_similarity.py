"""How alike two articles are, on the SemEval-2022 Task 8 scale (1 = same story, 4 = unrelated).

``score_pair(a, b)`` gives ``overall`` and the dimensions ``geography``, ``entities``, ``time`` and
``narrative``, each predicted by a small model fitted on the development pairs
(``similarity_model.json``, written by ``scripts/train_similarity.py``), plus the evidence a
person can check: shared names, numbers, places and dates, and the closest sentence pairs.

The story assigner uses a ``PairScorer`` with prepared inputs (vectors and signals computed once
per article), so scoring one article against a few candidates takes a few milliseconds.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.embed import ArticleVectors, Embedder, embedder_for, space_of
from storyline.errors import ConfigError
from storyline.stories.similarity._features import FEATURE_NAMES, PairInput, pair_features, prepare_inputs
from storyline.stories.similarity._regressor import SimilarityModel, load_model
from storyline.stories.similarity._signals import TextSignals

__all__ = [
    "DIMENSIONS",
    "MODEL_PATH",
    "PairEvidence",
    "PairInput",
    "PairScore",
    "PairScorer",
    "SentencePair",
    "default_scorer",
    "score_pair",
]

LOGGER = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("similarity_model.json")
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative")
#: Days between publication dates at which the time dimension reads "unrelated" (heuristic).
TIME_HORIZON_DAYS = 60.0


@dataclass(frozen=True, slots=True)
class SentencePair:
    """A sentence of ``a`` and its closest sentence in ``b``, with offsets into each text."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    cosine: float


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """What the two articles share, as written in ``a`` (names, places) or normalised (numbers, dates).

    ``dates`` holds shared day-month dates as ``MM-DD`` and shared years as ``YYYY``.
    ``days_apart`` is the gap between publication dates when both are known.
    """

    names: tuple[str, ...]
    numbers: tuple[str, ...]
    places: tuple[str, ...]
    dates: tuple[str, ...]
    sentence_pairs: tuple[SentencePair, ...]
    document_cosine: float
    days_apart: float | None = None


@dataclass(frozen=True, slots=True)
class PairScore:
    """Predicted similarity on the gold scale, 1 (same story) .. 4 (unrelated), and its evidence."""

    overall: float
    geography: float
    entities: float
    time: float
    narrative: float
    evidence: PairEvidence
    model: str


class PairScorer:
    """Scores pairs with a fitted model; embeds what is not precomputed with ``embedder``."""

    def __init__(
        self,
        *,
        embedder: Embedder | None = None,
        model_path: Path = MODEL_PATH,
        n_sentence_pairs: int = 3,
    ) -> None:
        self.model_path = model_path
        self.n_sentence_pairs = n_sentence_pairs
        self.model: SimilarityModel = load_model(model_path, features=FEATURE_NAMES)
        if embedder is not None and space_of(embedder) != self.model.embedder:
            raise ConfigError(
                f"similarity model {self.model.version} was fitted on {self.model.embedder} vectors, "
                f"not {embedder.name}; pass a {self.model.embedder} embedder or refit the model"
            )
        self._embedder = embedder

    def __repr__(self) -> str:
        return f"PairScorer(model={self.model.version!r}, embedder={self.model.embedder!r})"

    @property
    def embedder(self) -> Embedder:
        """The embedder (the model's own, ``use.v1``, from ``embedder_for`` on first use when none
        was given)."""
        if self._embedder is None:
            self._embedder = embedder_for(self.model.embedder)  # loaded only when needed
        return self._embedder

    def prepare(self, inputs: Sequence[PairInput]) -> list[PairInput]:
        """Inputs with vectors and signals filled in (only what is missing is computed)."""
        name = self._embedder.name if self._embedder is not None else self.model.embedder
        if all(x.signals is not None and x.vectors and x.vectors.embedder == name for x in inputs):
            return list(inputs)
        return prepare_inputs(inputs, self.embedder)

    def features(self, pairs: Sequence[tuple[PairInput, PairInput]]) -> npt.NDArray[np.float64]:
        """The feature matrix of prepared pairs, one row per pair."""
        if not pairs:
            return np.zeros((0, len(FEATURE_NAMES)))
        return np.vstack([pair_features(a, b) for a, b in pairs])

    def score_pairs(self, pairs: Sequence[tuple[PairInput, PairInput]]) -> list[PairScore]:
        """Scores of many pairs; inputs shared between pairs are prepared once."""
        flat = self.prepare([x for pair in pairs for x in pair])
        prepared = [(flat[2 * i], flat[2 * i + 1]) for i in range(len(pairs))]
        predictions = self.model.predict(self.features(prepared))
        out = []
        for i, (a, b) in enumerate(prepared):
            dims = {name: float(predictions[name][i]) for name in DIMENSIONS if name in predictions}
            evidence = build_evidence(a, b, self.n_sentence_pairs)
            if evidence.days_apart is not None and "time" in dims:
                dims["time"] = _blend_time(dims["time"], evidence.days_apart)
            out.append(
                PairScore(
                    overall=dims["overall"],
                    geography=dims.get("geography", dims["overall"]),
                    entities=dims.get("entities", dims["overall"]),
                    time=dims.get("time", dims["overall"]),
                    narrative=dims.get("narrative", dims["overall"]),
                    evidence=evidence,
                    model=self.model.version,
                )
            )
        return out

    def score_pair(self, a: PairInput, b: PairInput) -> PairScore:
        """The score of one pair."""
        return self.score_pairs([(a, b)])[0]

    def overall(self, article: PairInput, candidates: Sequence[PairInput]) -> npt.NDArray[np.float64]:
        """Only the ``overall`` prediction of ``article`` against each candidate (no evidence)."""
        prepared = self.prepare([article, *candidates])
        rows = self.features([(prepared[0], c) for c in prepared[1:]])
        return self.model.dimensions["overall"].predict(rows)


def _blend_time(predicted: float, days_apart: float) -> float:
    """Mix the text's time estimate with the publication gap (not fitted: the dev pairs have no dates)."""
    from_dates = 1.0 + 3.0 * min(1.0, math.log1p(days_apart) / math.log1p(TIME_HORIZON_DAYS))
    return float(np.clip((predicted + from_dates) / 2, 1.0, 4.0))


def _shared_names(a: TextSignals, b: TextSignals, limit: int = 20) -> tuple[str, ...]:
    """Names of ``a`` found in ``b``, in order of appearance: the stretches of each run of names whose
    every token ``b`` also has (``US President Joe Biden`` against ``US-Präsident Joe Biden`` gives
    ``US`` and ``Joe Biden``); a single token already shown inside a longer name is not repeated."""
    found: list[tuple[int, tuple[int, int], str]] = []  # (-tokens, (run, token), surface)
    for position, run in enumerate(a.name_runs):
        stretch: list[str] = []
        for index, (surface, key) in enumerate((*run, ("", ""))):
            if key and key in b.names:
                stretch.append(surface)
            elif stretch:
                found.append((-len(stretch), (position, index - len(stretch)), " ".join(stretch)))
                stretch = []
    shown: set[str] = set()
    covered: set[str] = set()
    out: list[tuple[tuple[int, int], str]] = []
    for size, where, surface in sorted(found):
        words = set(surface.split())
        if surface in shown or (size == -1 and words <= covered):
            continue
        shown.add(surface)
        covered |= words
        out.append((where, surface))
    return tuple(s for _, s in sorted(out)[:limit])


def _sentence_pairs(
    a: PairInput, b: PairInput, va: ArticleVectors, vb: ArticleVectors, k: int
) -> list[SentencePair]:
    if k <= 0 or len(va.sentences) == 0 or len(vb.sentences) == 0:
        return []
    sims = va.sentences @ vb.sentences.T
    best_b = sims.argmax(axis=1)
    order = np.argsort(-sims[np.arange(len(best_b)), best_b], kind="stable")[:k]
    out = []
    for i in order:
        (a0, a1), (b0, b1) = va.sentence_spans[i], vb.sentence_spans[best_b[i]]
        out.append(SentencePair(a0, a1, b0, b1, a.text[a0:a1], b.text[b0:b1], float(sims[i, best_b[i]])))
    return out


def build_evidence(a: PairInput, b: PairInput, n_sentence_pairs: int = 3) -> PairEvidence:
    """The evidence for a pair of prepared inputs."""
    sa, sb, va, vb = a.signals, b.signals, a.vectors, b.vectors
    if sa is None or sb is None or va is None or vb is None:
        raise ValueError("build_evidence needs prepared inputs")
    forms = dict(sa.name_forms)
    days = None
    if a.published_at is not None and b.published_at is not None:
        days = abs((a.published_at - b.published_at).total_seconds()) / 86400
    return PairEvidence(
        names=_shared_names(sa, sb),
        numbers=tuple(sorted(sa.numbers & sb.numbers, key=lambda n: (len(n), n))),
        places=tuple(sorted(forms.get(k, k) for k in sa.places & sb.places)),
        dates=tuple(sorted(sa.dates & sb.dates)) + tuple(sorted(sa.years & sb.years)),
        sentence_pairs=tuple(_sentence_pairs(a, b, va, vb, n_sentence_pairs)),
        document_cosine=float(va.document @ vb.document),
        days_apart=days,
    )


_SHARED: dict[int, PairScorer] = {}


def default_scorer(embedder: Embedder | None = None) -> PairScorer:
    """One shared scorer with the packaged model per ``embedder`` (callers pass
    ``embedder_for(settings.embedder)``; None: the model's own, built on first use)."""
    scorer = _SHARED.get(id(embedder))  # the scorer keeps its embedder alive, so the id stays its own
    if scorer is None:
        scorer = _SHARED[id(embedder)] = PairScorer(embedder=embedder)
    return scorer


def score_pair(a: PairInput, b: PairInput, *, scorer: PairScorer | None = None) -> PairScore:
    """How alike ``a`` and ``b`` are (see ``PairScore``); embeds what is not precomputed."""
    return (scorer or default_scorer()).score_pair(a, b)
