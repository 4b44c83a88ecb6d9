"""The NLP pass: spaCy pipelines loaded once per process and language, and one shared ``Analysis``
of an article (sentences, parsed chunks, entity spans) that the quote and entity finders read.

``get_nlp`` loads a pipeline (with Storyline's tuned English NER, ``install_tuned_ner``); ``get_ner``
loads the NER-only pipeline shipped for de/es/nl/pl/pt/ru (``has_ner``: either exists);
``analyse``/``analyse_many`` run it over the sentences that ``needs_parse`` selects;
``raw_sentences`` is the cheap sentence split they use (every sentence as written, never merged or
cut: compare ``embed.split_sentences``, which sizes sentences for embedding).
"""

from storyline.understand.nlp._analysis import (
    MODELS,
    Analysis,
    EntitySpan,
    Parsed,
    analyse,
    analyse_many,
    dot_ops,
    get_ner,
    get_nlp,
    has_ner,
    install_dot_ops,
    needs_parse,
    raw_sentences,
)
from storyline.understand.nlp._tuned_ner import install_tuned_ner

__all__ = [
    "MODELS",
    "Analysis",
    "EntitySpan",
    "Parsed",
    "analyse",
    "analyse_many",
    "dot_ops",
    "get_ner",
    "get_nlp",
    "has_ner",
    "install_dot_ops",
    "install_tuned_ner",
    "needs_parse",
    "raw_sentences",
]
