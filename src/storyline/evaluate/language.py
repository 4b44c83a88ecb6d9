"""Language identification measured on every text of ``../shared/data`` whose language is known.

Texts and their gold language (``load_texts``):

- ``similarity/semeval22_dev.jsonl``: ``text1``/``text2`` with ``lang1``/``lang2``;
- ``stories/ecbplus_dev.jsonl`` and ``stories/googlenews_titles.jsonl`` (``lang``): title + text, as
  the pipeline sees an article (the shuffled ECB+ copy holds the same records and is not read);
- ``quotes/polnear_dev.jsonl``, ``timex/tempeval3_dev.jsonl``, ``entities/ecbplus_entities_dev.jsonl``:
  English corpora with no per-line field (PolNeAR, TempEval-3 and ECB+ are English only);
- ``ner/*.jsonl`` and ``ner_train/*.jsonl`` (``lang``): one sentence per line, so consecutive sentences
  of a file are joined (tokens by spaces) into chunks of about ``CHUNK_CHARS`` characters; chunks keep
  the ``doc`` boundary in ``ner/`` (``ner_train/`` WikiANN has one fragment per "doc", mostly names,
  so its chunks are lists of fragments). CoNLL es/nl have no document markers, so a chunk may run
  from one article into the next, and CoNLL's sports pages give chunks that are result tables.

Each distinct text counts once, under the first corpus it was read from (ECB+ documents are in both
the stories and the entities file). A text is *long* when it has more than ``min_chars`` characters.

``evaluate_language`` runs one detector (text -> ISO 639-1 code, or ``None`` when it will not say)
over the texts: a text is right when the code equals the gold code, and ``None`` counts as wrong.
It reports accuracy per language (long texts and all texts), how many long texts got another
language and how many got none, accuracy per corpus and per kind of text (``articles``: whole
documents; ``chunks``: joined NER sentences), the long texts it missed, and the mean milliseconds
a call took. ``scripts/eval_language.py`` prints it for the pipeline's detector and for the detectors
of the registry it was compared with.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CHUNK_CHARS", "Detector", "LabelledText", "evaluate_language", "load_texts", "title_and_text"]

Detector = Callable[[str], str | None]
CHUNK_CHARS = 600
MAX_MISSES_SHOWN = 60
#: English-only corpora whose lines carry no language field.
ENGLISH_CORPORA = (
    ("quotes/polnear_dev.jsonl", "polnear"),
    ("timex/tempeval3_dev.jsonl", "tempeval3"),
    ("entities/ecbplus_entities_dev.jsonl", "ecbplus_entities"),
)
#: Corpora whose texts are whole documents (the rest are chunks of NER sentences).
ARTICLE_CORPORA = frozenset(
    {"semeval22", "ecbplus_dev", "googlenews_titles", *(c for _, c in ENGLISH_CORPORA)}
)


@dataclass(frozen=True)
class LabelledText:
    corpus: str
    language: str
    text: str

    @property
    def kind(self) -> str:
        return "articles" if self.corpus in ARTICLE_CORPORA else "chunks"


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def title_and_text(row: dict[str, Any]) -> str:
    """``title`` + newline + ``text``, as the pipeline reads an article (the title once)."""
    title, text = str(row.get("title") or ""), str(row.get("text") or "")
    return text if not title or text.startswith(title) else f"{title}\n{text}"


def _chunks(path: Path, *, by_doc: bool) -> Iterator[tuple[str, str]]:
    """(lang, text) chunks of about ``CHUNK_CHARS`` from a one-sentence-per-line NER file."""
    buf: list[str] = []
    lang, doc, size = "", "", 0
    for row in _lines(path):
        if buf and ((by_doc and row["doc"] != doc) or size >= CHUNK_CHARS):
            yield lang, " ".join(buf)
            buf, size = [], 0
        lang, doc = str(row["lang"]), str(row["doc"])
        sentence = " ".join(row["tokens"])
        buf.append(sentence)
        size += len(sentence) + 1
    if buf:
        yield lang, " ".join(buf)


def _semeval(path: Path) -> Iterator[tuple[str, str]]:
    for row in _lines(path):
        for side in ("1", "2"):
            yield str(row["lang" + side]), str(row["text" + side])


def _sources(data: Path) -> Iterator[tuple[str, Iterable[tuple[str, str]]]]:
    """``(corpus, (lang, text) rows)`` for each file of known language that exists under ``data``."""
    semeval = data / "similarity" / "semeval22_dev.jsonl"
    if semeval.is_file():
        yield "semeval22", _semeval(semeval)
    for name in ("ecbplus_dev", "googlenews_titles"):
        path = data / "stories" / f"{name}.jsonl"
        if path.is_file():
            yield name, ((str(r["lang"]), title_and_text(r)) for r in _lines(path))
    for rel, corpus in ENGLISH_CORPORA:
        path = data / rel
        if path.is_file():
            yield corpus, (("en", title_and_text(r)) for r in _lines(path))
    for folder in ("ner", "ner_train"):
        for path in sorted((data / folder).glob("*.jsonl")):
            yield path.stem, _chunks(path, by_doc=folder == "ner")


def load_texts(data: Path, *, limit_per_file: int | None = None) -> list[LabelledText]:
    """Every distinct text of known language under ``data`` (see the module docstring), in file order;
    at most ``limit_per_file`` from each file when given."""
    out: list[LabelledText] = []
    seen: set[str] = set()
    for corpus, rows in _sources(data):
        taken = 0
        for lang, text in rows:
            if limit_per_file is not None and taken >= limit_per_file:
                break
            if not text.strip() or text in seen:
                continue
            seen.add(text)
            out.append(LabelledText(corpus, lang, text))
            taken += 1
    return out


def _ratio(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


def evaluate_language(texts: list[LabelledText], detect: Detector, *, min_chars: int = 300) -> dict[str, Any]:
    """Accuracy of ``detect`` on ``texts`` per language, corpus and kind, and its speed (see the module
    docstring for the fields)."""
    counts: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # total, right, other, none
    by_corpus: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[dict[str, Any]] = []
    seconds = long_seconds = 0.0
    for item in texts:
        began = time.perf_counter()
        found = detect(item.text)
        took = time.perf_counter() - began
        seconds += took
        long = len(item.text) > min_chars
        row = counts[(item.language, long)]
        row[0] += 1
        right = found == item.language
        row[1 if right else 3 if found is None else 2] += 1
        if not long:
            continue
        long_seconds += took
        for tally in (by_corpus[item.corpus], by_kind[item.kind]):
            tally[0] += 1
            tally[1] += right
        if not right:
            misses.append(
                {"corpus": item.corpus, "gold": item.language, "found": found, "start": item.text[:80]}
            )
    per_language: dict[str, dict[str, Any]] = {}
    for lang in sorted({lang for lang, _ in counts}):
        long_row, short_row = counts[(lang, True)], counts[(lang, False)]
        per_language[lang] = {
            "n_long": long_row[0],
            "acc_long": _ratio(long_row[1], long_row[0]),
            "other_long": long_row[2],
            "none_long": long_row[3],
            "n_all": long_row[0] + short_row[0],
            "acc_all": _ratio(long_row[1] + short_row[1], long_row[0] + short_row[0]),
        }
    n_long = sum(row[0] for (_, long), row in counts.items() if long)
    r_long = sum(row[1] for (_, long), row in counts.items() if long)
    return {
        "texts": len(texts),
        "min_chars": min_chars,
        "long_texts": n_long,
        "long_accuracy": _ratio(r_long, n_long),
        "all_accuracy": _ratio(sum(row[1] for row in counts.values()), len(texts)),
        "ms_per_text": round(1000 * seconds / max(1, len(texts)), 3),
        "ms_per_long_text": round(1000 * long_seconds / max(1, n_long), 3),
        "per_language": per_language,
        "long_by_kind": {k: {"n": n, "acc": _ratio(r, n)} for k, (n, r) in sorted(by_kind.items())},
        "long_by_corpus": {c: {"n": n, "acc": _ratio(r, n)} for c, (n, r) in sorted(by_corpus.items())},
        "n_long_misses": len(misses),
        "long_misses": misses[:MAX_MISSES_SHOWN],
    }
