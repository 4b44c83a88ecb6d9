"""Evaluation against the labelled development sets in ``../shared/data`` (one module per task).

Each ``evaluate_TASK(path, ...)`` returns the JSON object of DESIGN.md section 6 for that task;
``storyline eval TASK FILE --json`` prints it.
"""

from __future__ import annotations

__all__: list[str] = []
