"""Embedding rows: the array type every embedder returns, and unit-length scaling."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]


def normalise_rows(matrix: npt.NDArray[np.floating[Any]]) -> Vector:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=-1, keepdims=True)
    result: Vector = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return result
