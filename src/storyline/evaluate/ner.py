"""Evaluate name finding on CoNLL/BSNLP style sentences (``../shared/data/ner``).

Each line: ``{"doc", "lang", "tokens", "tags"}`` with IOB2 tags over PER/ORG/LOC/MISC (IOB1 is
read too: an ``I-`` after ``O`` opens an entity). A sentence becomes the text of its tokens joined
by spaces and goes through ``understand.entities.find_names`` as production text would: spaCy NER
(the tuned English model when it ships) for en/fr, Storyline's NER-only models for
de/es/nl/pl/pt/ru, the gazetteer and rules elsewhere. In those languages the sentences stream in
file order through ``EntityResolver``, so names found earlier are known later, as in production.
Metric: conlleval, exact span and type, micro-averaged, plus P/R/F1 per type.

Split: ``fit`` = the sentences a shipped model was trained or tuned on (``split_of``): the CoNLL
``train`` documents (``conll03-en-train``, ``conll03-de-train``, ``conll02-es-train``...) and the
WikiANN sentences outside the held-out tenth (``wikiann_heldout``); ``heldout`` = the rest (CoNLL
``val``/``eng.testa``, the WikiANN tenth, BSNLP). The default reports ``heldout``: out of fold.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import InputError
from storyline.model import Mention
from storyline.understand.entities import EntityResolver, NameSpan, cluster_mentions, find_names, never
from storyline.understand.nlp import analyse_many, get_nlp, has_ner, install_tuned_ner

__all__ = ["Sentence", "evaluate_ner", "prf", "read_sentences", "spans_of", "split_of", "wikiann_heldout"]

LOGGER = logging.getLogger(__name__)

SPLITS = ("all", "fit", "heldout")
TYPES = ("PER", "ORG", "LOC", "MISC")
Progress = Callable[[int, int], None]
Span = tuple[int, int, str]
_BATCH = 256


@dataclass(frozen=True, slots=True)
class Sentence:
    """One labelled sentence: its text (tokens joined by spaces) and gold (start, end, type) spans."""

    doc: str
    language: str
    text: str
    gold: tuple[Span, ...]


def wikiann_heldout(doc: str) -> bool:
    """Whether a WikiANN sentence (``doc`` = ``wikiann-<lang>-train-<n>``) is in the held-out tenth
    that ``scripts/train_ner_lang.py`` never trains on (sha256 of ``doc``)."""
    return int(hashlib.sha256(f"heldout:{doc}".encode()).hexdigest(), 16) % 10 == 0


def split_of(doc: str) -> str:
    """``"fit"`` for the sentences a shipped NER was trained (or tuned) on, else ``"heldout"``.

    The CoNLL ``train`` documents (``conll03-en-train``, ``conll0X-<lang>-train``) and the WikiANN
    sentences outside the held-out tenth (``wikiann_heldout``) are ``fit``; CoNLL ``val`` and BSNLP
    are ``heldout``."""
    if doc.startswith("wikiann-"):
        return "heldout" if wikiann_heldout(doc) else "fit"
    parts = doc.split("-")
    return "fit" if len(parts) > 2 and parts[0].startswith("conll") and parts[2] == "train" else "heldout"


def spans_of(tokens: Sequence[str], tags: Sequence[str]) -> tuple[str, list[Span]]:
    """The sentence text and its gold character spans from IOB1/IOB2 tags."""
    text, starts = "", []
    for token in tokens:
        text += (" " if text else "") + token
        starts.append(len(text) - len(token))
    spans: list[Span] = []
    open_at, kind, end = -1, "", 0
    for i, tag in enumerate([*tags, "O"]):
        label = tag[2:] if len(tag) > 2 else ""
        if open_at >= 0 and (tag == "O" or tag.startswith("B-") or label != kind):
            spans.append((open_at, end, kind))
            open_at = -1
        if tag != "O" and open_at < 0 and i < len(tokens):
            open_at, kind = starts[i], label
        if open_at >= 0 and i < len(tokens):
            end = starts[i] + len(tokens[i])
    return text, spans


def read_sentences(path: Path, *, split: str = "heldout") -> Iterator[Sentence]:
    """The sentences of ``path`` in ``split`` (``all``, ``fit`` or ``heldout``), in file order."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                tokens, tags, doc = row["tokens"], row["tags"], str(row.get("doc", ""))
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(
                    f"{path}:{line_no}: expected a JSON object with tokens and tags ({e})"
                ) from e
            if split != "all" and split_of(doc) != split:
                continue
            text, gold = spans_of(tokens, tags)
            yield Sentence(doc, str(row.get("lang") or ""), text, tuple(gold))


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _predict(sentences: Sequence[Sentence], language: str, progress: Progress | None) -> list[set[Span]]:
    nlp = get_nlp(language or None)
    predicted: list[set[Span]] = []
    if has_ner(language or None):
        if nlp is not None:
            install_tuned_ner(nlp, language)
        for first in range(0, len(sentences), _BATCH):
            batch = sentences[first : first + _BATCH]
            for sentence, analysis in zip(
                batch, analyse_many([s.text for s in batch], language, select=never), strict=True
            ):
                names = find_names(sentence.text, analysis, language=language)
                predicted.append({(n.start, n.end, n.type) for n in names})
            if progress is not None:
                progress(len(predicted), len(sentences))
        return predicted
    resolver = EntityResolver()
    for i, sentence in enumerate(sentences):
        names = find_names(sentence.text, None, language=language, gazetteer=resolver.gazetteer())
        predicted.append({(n.start, n.end, n.type) for n in names})
        mentions = _as_mentions(names, str(i))
        resolver.resolve(
            str(i),
            mentions,
            cluster_mentions(sentence.text, mentions, language=language),
            language=language,
            published_at=None,
        )
        if progress is not None and (i % _BATCH == 0 or i + 1 == len(sentences)):
            progress(i + 1, len(sentences))
    return predicted


def _as_mentions(names: Sequence[NameSpan], article_id: str) -> list[Mention]:
    return [Mention(article_id, n.start, n.end, n.text, n.type) for n in names]


def evaluate_ner(path: Path, *, progress: Progress | None = None, split: str = "heldout") -> dict[str, Any]:
    """conlleval scores of ``find_names`` on ``path``: ``n_sentences``, P/R/F1, ``by_type``, ``split``."""
    sentences = list(read_sentences(path, split=split))
    started = time.perf_counter()
    by_language: dict[str, list[int]] = {}
    for i, sentence in enumerate(sentences):
        by_language.setdefault(sentence.language, []).append(i)
    predicted: list[set[Span]] = [set() for _ in sentences]
    for language, indices in by_language.items():
        for i, spans in zip(
            indices, _predict([sentences[i] for i in indices], language, progress), strict=True
        ):
            predicted[i] = spans
    tp, n_pred, n_gold = Counter[str](), Counter[str](), Counter[str]()
    for sentence, pred in zip(sentences, predicted, strict=True):
        gold = set(sentence.gold)
        for _, _, kind in gold & pred:
            tp[kind] += 1
        for _, _, kind in pred:
            n_pred[kind] += 1
        for _, _, kind in gold:
            n_gold[kind] += 1
    kinds = [k for k in TYPES if n_gold[k] or n_pred[k]] + sorted(set(n_gold) - set(TYPES))
    result: dict[str, Any] = {"n_sentences": len(sentences)}
    result.update(prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())))
    result["by_type"] = {k: prf(tp[k], n_pred[k], n_gold[k]) for k in kinds}
    result["split"] = split
    LOGGER.info(
        "eval ner: %d sentences, F1 %.4f, %.1f ms per sentence",
        len(sentences),
        result["f1"],
        1000 * (time.perf_counter() - started) / max(1, len(sentences)),
    )
    return result
