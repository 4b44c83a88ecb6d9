"""How alike two articles are, on the SemEval-2022 Task 8 scale (1 = same story, 4 = unrelated).

``score_pair`` / ``PairScorer`` (``_similarity``) score a pair with a small fitted model
(``similarity_model.json``); ``_features`` and ``_signals`` compute what it reads (the surface
signals are shared with the story assigner); ``_regressor`` evaluates the model file with numpy.
"""

from __future__ import annotations

from storyline.stories.similarity._features import (
    EMBEDDING_FEATURES,
    FEATURE_NAMES,
    PairInput,
    pair_features,
    prepare_inputs,
)
from storyline.stories.similarity._regressor import (
    FORMAT,
    DimensionModel,
    SimilarityModel,
    TreeEnsemble,
    load_model,
)
from storyline.stories.similarity._signals import (
    NAME_PREFIX,
    TextSignals,
    fold,
    fold_word,
    name_key,
    text_signals,
)
from storyline.stories.similarity._similarity import (
    DIMENSIONS,
    MODEL_PATH,
    PairEvidence,
    PairScore,
    PairScorer,
    SentencePair,
    default_scorer,
    score_pair,
)

__all__ = [
    "DIMENSIONS",
    "EMBEDDING_FEATURES",
    "FEATURE_NAMES",
    "FORMAT",
    "MODEL_PATH",
    "NAME_PREFIX",
    "DimensionModel",
    "PairEvidence",
    "PairInput",
    "PairScore",
    "PairScorer",
    "SentencePair",
    "SimilarityModel",
    "TextSignals",
    "TreeEnsemble",
    "default_scorer",
    "fold",
    "fold_word",
    "load_model",
    "name_key",
    "pair_features",
    "prepare_inputs",
    "score_pair",
    "text_signals",
]
