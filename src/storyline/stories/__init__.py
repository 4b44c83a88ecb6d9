"""Stories: how alike two articles are, and the assignment of articles to stories and storylines.

``similarity`` scores a pair on the SemEval-2022 Task 8 scale with a small fitted model;
``assign`` groups articles into stories online and links storylines. Both read the embedder's
vectors (``storyline.embed``) and the shared values (``storyline.model``), nothing else.
"""

from __future__ import annotations

__all__: list[str] = []
