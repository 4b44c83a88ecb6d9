"""Online story assignment: each article joins the best live story or starts a new one.

``StoryAssigner`` (``_assign``, registered as the ``"assigner"`` ``stories.v1``) decides with a
fitted model (``_model``, ``assign_model.json``) over the live stories it keeps (``_book``,
``_state``, the centroid index ``_index``, the article keys ``_keys``) and links storylines
(``_storylines``). ``_contract`` is what the pipeline needs from any assigner (``Assigner``).
"""

from __future__ import annotations

from storyline.stories.assign._assign import (
    AssignInput,
    AssignOutcome,
    StoryAssigner,
    from_us,
    prepare_assign_inputs,
    to_us,
)
from storyline.stories.assign._book import StoryBook, story_id_for
from storyline.stories.assign._contract import ROLE, Assigner, AssignOutcomeLike
from storyline.stories.assign._index import EXACT_MAX, VectorIndex
from storyline.stories.assign._keys import HEAD, NAME, NUMBER, WORD, Keys, article_keys, hash_keys
from storyline.stories.assign._model import (
    FEATURES,
    MODEL_PATH,
    AssignModel,
    TreeScore,
    load_score,
    side_features,
)
from storyline.stories.assign._state import (
    LineSnapshot,
    StoryState,
    decode_state,
    encode_state,
    quantise_member,
)
from storyline.stories.assign._storylines import storyline_id_for

__all__ = [
    "EXACT_MAX",
    "FEATURES",
    "HEAD",
    "MODEL_PATH",
    "NAME",
    "NUMBER",
    "ROLE",
    "WORD",
    "AssignInput",
    "AssignModel",
    "AssignOutcome",
    "AssignOutcomeLike",
    "Assigner",
    "Keys",
    "LineSnapshot",
    "StoryAssigner",
    "StoryBook",
    "StoryState",
    "TreeScore",
    "VectorIndex",
    "article_keys",
    "decode_state",
    "encode_state",
    "from_us",
    "hash_keys",
    "load_score",
    "prepare_assign_inputs",
    "quantise_member",
    "side_features",
    "story_id_for",
    "storyline_id_for",
    "to_us",
]
