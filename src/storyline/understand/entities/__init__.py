"""Entities: the people, organisations, places and groups an article names.

``find_mentions`` gives one article's ``Mention`` values and ``cluster_mentions`` groups them within
the article (``MentionCluster``); ``EntityResolver`` gives them canonical entities across articles and
languages, with the ``Gazetteer`` of every name seen so far. ``find_names`` (the bare name spans,
``NameSpan``) and ``never`` (a sentence selector that parses nothing) serve the evaluations.
"""

from storyline.understand.entities._coref import MentionCluster, cluster_mentions
from storyline.understand.entities._gazetteer import Gazetteer, NameSpan
from storyline.understand.entities._mentions import find_mentions, find_names, mentions_and_clusters, never
from storyline.understand.entities._resolve import EntityResolver, ResolveOutcome

__all__ = [
    "EntityResolver",
    "Gazetteer",
    "MentionCluster",
    "NameSpan",
    "ResolveOutcome",
    "cluster_mentions",
    "find_mentions",
    "find_names",
    "mentions_and_clusters",
    "never",
]
