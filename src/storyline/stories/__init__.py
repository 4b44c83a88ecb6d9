"""Stories: how alike two articles are (``similarity``), and later assignment and storylines.

``similarity.py`` scores a pair on the SemEval-2022 Task 8 scale with a small fitted model
(``similarity_model.json``); ``features.py`` and ``signals.py`` compute what it reads;
``regressor.py`` evaluates the model file with numpy.
"""

from __future__ import annotations

__all__: list[str] = []
