"""The digest of a story or storyline: label, summary, what's new, event timeline, figures.

``build_digest(store, subject_id, embedder=...)`` reads a story (or a storyline) from any
``StoryReader`` and returns a ``Digest``; ``digest_json`` gives its JSON shape. The parts are
private modules behind this one: ``_digest`` (which articles are new, the JSON shape), ``_text``
(sentences, stems), ``_vectors`` (sentence rows, cached in the store), ``_novelty`` and ``_new``
(what's new), ``_timeline`` (events, figures), ``_summary`` (label, summary), ``_facts`` (stored
or computed facts).
"""

from __future__ import annotations

from storyline.digest._digest import Digest, build_digest, digest_json, split_new, subject_articles
from storyline.digest._novelty import CARRIED_THRESHOLD, carried_scores
from storyline.digest._text import MIN_WORDS, Sentence, article_sentences, stems
from storyline.digest._timeline import event_timeline, reconcile_figures
from storyline.digest._vectors import SentenceRows, sentence_rows

__all__ = [
    "CARRIED_THRESHOLD",
    "MIN_WORDS",
    "Digest",
    "Sentence",
    "SentenceRows",
    "article_sentences",
    "build_digest",
    "carried_scores",
    "digest_json",
    "event_timeline",
    "reconcile_figures",
    "sentence_rows",
    "split_new",
    "stems",
    "subject_articles",
]
