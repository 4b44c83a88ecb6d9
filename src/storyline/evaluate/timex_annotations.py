"""Time expressions annotated by this project over the shared texts, stored without the texts.

The shared texts (``../shared/data``) may not be copied into the repository, so each annotated
sentence names where its text lives and what it must be::

    {"id": "de-007", "lang": "de", "source": "similarity/semeval22_dev.jsonl",
     "record": "1553953810_1563094656", "field": "text1", "start": 234, "end": 475,
     "sha256": "862b7ef672302e3b", "dct": "2020-04-17",
     "timexes": [{"start": 51, "end": 65, "type": "DATE", "value": "2020-Q1"}]}

``source`` is a file relative to the data directory; ``record`` is the ``pair_id`` of a SemEval
pair or ``line<N>`` (1-based line) of a tokenised NER file, whose ``tokens`` are joined with
single spaces; ``start``/``end`` cut the sentence out of ``field``; ``sha256`` is the first 16 hex
digits of the sentence's SHA-256, checked on load (a changed source raises ``InputError``);
``dct`` is the document creation time the annotator chose (the sources have none) and the
timex values are relative to it; timex offsets are relative to the sentence.

The files (``annotations/timex_<lang>.jsonl``) were made by this project: a model-assisted
annotator read each sentence and wrote span, TIMEX3 type and value following the TempEval-3
conventions of ``../shared/data/timex`` (ages are not timexes; ``the``/articles before relative
words are inside the span, prepositions outside); a script then checked that every span occurs in
its sentence on word boundaries and that types are TIMEX3 types.

Split: a sentence is ``tune`` when ``int(sha256(source:record), 16) % 10 < 6`` (about 60 %, all
sentences of one record together), else ``heldout``; rules were changed looking at ``tune`` only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.errors import InputError
from storyline.evaluate.jsonl import read_records

__all__ = [
    "AnnotatedSentence",
    "Sentence",
    "annotation_files",
    "load_sentences",
    "read_annotations",
    "snippet_hash",
    "split_of_record",
]

TUNE_SHARE_TENTHS = 6
SPLITS = ("all", "tune", "heldout")


@dataclass(frozen=True, slots=True)
class AnnotatedSentence:
    """One annotation line: where the sentence is, its hash, the chosen DCT and the timexes."""

    id: str
    lang: str
    source: str
    record: str
    field: str
    start: int
    end: int
    sha256: str
    dct: str
    timexes: tuple[tuple[int, int, str, str], ...]

    @property
    def split(self) -> str:
        """``tune`` or ``heldout`` (see the module docstring)."""
        return split_of_record(f"{self.source}:{self.record}")


@dataclass(frozen=True, slots=True)
class Sentence:
    """An annotated sentence with its text read back from the shared data."""

    annotation: AnnotatedSentence
    text: str
    dct: datetime


def split_of_record(key: str) -> str:
    """``"tune"`` or ``"heldout"``: a deterministic 60/40 split by the hash of ``source:record``."""
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 10
    return "tune" if bucket < TUNE_SHARE_TENTHS else "heldout"


def snippet_hash(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def annotation_files() -> list[Path]:
    """The annotation files shipped with the package, one per language, sorted."""
    folder = resources.files("storyline.evaluate") / "annotations"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.startswith("timex_"))


def _parse(obj: Any) -> AnnotatedSentence:
    timexes = tuple((int(t["start"]), int(t["end"]), str(t["type"]), str(t["value"])) for t in obj["timexes"])
    return AnnotatedSentence(
        id=str(obj["id"]),
        lang=str(obj["lang"]),
        source=str(obj["source"]),
        record=str(obj["record"]),
        field=str(obj["field"]),
        start=int(obj["start"]),
        end=int(obj["end"]),
        sha256=str(obj["sha256"]),
        dct=str(obj["dct"]),
        timexes=timexes,
    )


def read_annotations(path: Path) -> list[AnnotatedSentence]:
    """The annotation lines of ``path`` (``InputError`` on a malformed line)."""
    expected = "an annotation object with 'id', 'lang', 'source', 'record', 'field', 'start', 'end', 'sha256'"
    return list(read_records(path, _parse, expected=expected))


def _field_text(obj: dict[str, Any], field: str) -> str:
    value = obj[field]
    if isinstance(value, list):
        return " ".join(str(token) for token in value)
    return str(value)


def _records(path: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The wanted records of a shared file by id (``pair_id``, ``id`` or ``line<N>``)."""
    found: dict[str, dict[str, Any]] = {}
    try:
        lines = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read the annotated source: {e}") from e
    with lines:
        for line_no, line in enumerate(lines, 1):
            key = f"line{line_no}"
            if key not in wanted and not any(w in line for w in wanted if not w.startswith("line")):
                continue
            obj = json.loads(line)
            for candidate in (key, str(obj.get("pair_id", "")), str(obj.get("id", ""))):
                if candidate in wanted:
                    found[candidate] = obj
    return found


def load_sentences(annotations: Sequence[AnnotatedSentence], data_dir: Path) -> list[Sentence]:
    """The sentences of ``annotations`` read from ``data_dir`` (``../shared/data``).

    Raises ``InputError`` when a source file, record or field is missing or when a sentence no
    longer has its recorded hash (the source changed: the annotation must be redone).
    """
    by_source: dict[str, set[str]] = {}
    for a in annotations:
        by_source.setdefault(a.source, set()).add(a.record)
    records = {source: _records(data_dir / source, wanted) for source, wanted in by_source.items()}
    sentences: list[Sentence] = []
    for a in annotations:
        obj = records[a.source].get(a.record)
        if obj is None or a.field not in obj:
            raise InputError(f"{a.id}: {a.source} has no record {a.record!r} with field {a.field!r}")
        text = _field_text(obj, a.field)[a.start : a.end]
        if snippet_hash(text) != a.sha256:
            raise InputError(
                f"{a.id}: the text of {a.source} {a.record} {a.field}[{a.start}:{a.end}] changed "
                f"(hash {snippet_hash(text)}, annotated {a.sha256}); the annotation must be redone"
            )
        dct = datetime.fromisoformat(a.dct[:10]).replace(tzinfo=UTC)
        sentences.append(Sentence(a, text, dct))
    return sentences


def in_split(annotations: Iterable[AnnotatedSentence], split: str) -> list[AnnotatedSentence]:
    """The annotations of ``split`` (``all``, ``tune`` or ``heldout``)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    return [a for a in annotations if split == "all" or a.split == split]
