"""The multilingual corpus of the ``pipeline`` benchmark, built from the texts in ../shared/data/
(read from there, never copied into the repository).

Articles come from per-language queues, real article texts first:

* English: PolNeAR, ECB+, TempEval-3 and the English SemEval-2022 texts, taken in turn from each set;
* other languages: the SemEval-2022 texts in their own language (``lang1``/``lang2``), then, where
  these run out or a language has none (Dutch, Portuguese), article-like texts assembled from
  consecutive sentences of the NER files: CoNLL de by document, CoNLL es by EFE dispatch (a sentence
  with ``( EFE )`` opens one), CoNLL nl, BSNLP pl/ru by document and WikiANN pl/pt/ru in runs of
  about 300 words.

``english_share`` of the articles are English, the rest taken in turn from each other language, so a
small corpus holds every language. Beyond the distinct texts a stream goes on with rewrites (a third
of an article's sentences swapped for sentences of other articles of the same language). Every 50th
article is an exact copy of an earlier one and every 50th (offset 25) a near copy (last sentence
dropped, a credit line added), from another outlet, as a wire story reprinted. Dates advance at a
fixed rate (``per_day``), sources are outlets of the article's language. Everything is deterministic.

The language of each article (the shared data's label) is kept beside the JSONL row, not in it: the
pipeline detects languages itself, as it does for real input.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from benchmarks.corpus import SHARED_DATA

__all__ = ["VERSION", "CorpusArticle", "describe", "pipeline_articles", "shared_data", "write_rows"]

VERSION = 1
"""Bumped whenever the stream changes (cached stores are keyed on it)."""

ENGLISH_SHARE = 0.58
START = datetime(2021, 3, 1, 6, tzinfo=UTC)
_MIN_CHARS = 200
_CHUNK_WORDS = 300
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")
_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}»”]|'s\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{«„“]) ")
_TLD = {"de": "de", "es": "es", "zh": "cn", "tr": "com.tr", "pl": "pl", "it": "it", "fr": "fr"}
_TLD |= {"ar": "ae", "ru": "ru", "nl": "nl", "pt": "pt", "en": "com"}


@dataclass(frozen=True)
class CorpusArticle:
    """One article of the stream: the JSONL row ``storyline ingest`` reads, and its language label."""

    row: dict[str, str]
    language: str
    kind: str
    """``real``, ``assembled`` (from NER sentences), ``rewrite``, ``exact-copy`` or ``near-copy``."""


def shared_data() -> Path:
    """``../shared/data`` beside the repository, or ``$STORYLINE_SHARED_DATA`` (a git worktree elsewhere)."""
    given = os.environ.get("STORYLINE_SHARED_DATA")
    return Path(given) if given else SHARED_DATA


def _read(name: str) -> Iterator[dict[str, object]]:
    path = shared_data() / name
    if not path.is_file():
        raise SystemExit(f"the pipeline benchmark needs {path} (../shared/data beside the repo)")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _detok(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))


def _paragraphs(sentences: list[str]) -> str:
    """Sentences as paragraphs of three, the way a news page reads."""
    return "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def _runs(sentences: list[list[str]], *, opens: str | None = None) -> Iterator[str]:
    """Article texts from consecutive tokenised sentences: cut before a sentence holding ``opens``
    (a dispatch's dateline) or once a run has about ``_CHUNK_WORDS`` words."""
    run: list[str] = []
    words = 0
    for tokens in sentences:
        starts = opens is not None and opens in " ".join(tokens)
        if run and (starts or (opens is None and words >= _CHUNK_WORDS) or words >= 3 * _CHUNK_WORDS):
            yield _paragraphs(run)
            run, words = [], 0
        if len(tokens) > 1:
            run.append(_detok(tokens))
            words += len(tokens)
    if run:
        yield _paragraphs(run)


def _assembled(name: str, *, by_doc: bool, opens: str | None = None) -> Iterator[str]:
    docs: dict[str, list[list[str]]] = {}
    for row in _read(name):
        key = str(row["doc"]) if by_doc else ""
        docs.setdefault(key, []).append([str(t) for t in row["tokens"]])  # type: ignore[attr-defined]
    for sentences in docs.values():
        yield from _runs(sentences, opens=opens)


@cache
def _queues() -> dict[str, list[tuple[str, str, str]]]:
    """Per language, the distinct texts in order: (text, kind, outlet hint)."""
    english: list[list[tuple[str, str, str]]] = [
        [(str(r["text"]), "real", str(r.get("publisher") or "")) for r in _read("quotes/polnear_dev.jsonl")],
        [(str(r["text"]), "real", "") for r in _read("stories/ecbplus_dev.jsonl")],
        [(str(r["text"]), "real", "") for r in _read("timex/tempeval3_dev.jsonl")],
    ]
    semeval: dict[str, list[tuple[str, str, str]]] = {}
    for row in _read("similarity/semeval22_dev.jsonl"):
        for side in ("1", "2"):
            semeval.setdefault(str(row[f"lang{side}"]), []).append((str(row[f"text{side}"]), "real", ""))
    english.append(semeval.pop("en", []))
    queues: dict[str, list[tuple[str, str, str]]] = {"en": []}
    for i in range(max(len(q) for q in english)):  # in turn from each English set
        queues["en"].extend(q[i] for q in english if i < len(q))
    queues.update(semeval)
    assembled: dict[str, list[tuple[str, bool, str | None]]] = {
        "de": [("ner/conll_de_dev.jsonl", True, None)],
        "es": [("ner/conll_es_dev.jsonl", False, "( EFE )")],
        "nl": [("ner/conll_nl_dev.jsonl", False, None)],
        "pl": [("ner/bsnlp_pl_dev.jsonl", True, None), ("ner_train/wikiann_pl_train.jsonl", False, None)],
        "ru": [("ner/bsnlp_ru_dev.jsonl", True, None), ("ner_train/wikiann_ru_train.jsonl", False, None)],
        "pt": [("ner_train/wikiann_pt_train.jsonl", False, None)],
    }
    for language, files in assembled.items():
        for name, by_doc, opens in files:
            queues.setdefault(language, []).extend(
                (text, "assembled", "") for text in _assembled(name, by_doc=by_doc, opens=opens)
            )
    out: dict[str, list[tuple[str, str, str]]] = {}
    for language, queue in queues.items():
        seen: set[str] = set()
        out[language] = []
        for entry in queue:
            if len(entry[0]) > _MIN_CHARS and entry[0] not in seen:
                seen.add(entry[0])
                out[language].append(entry)
    return out


@cache
def _distinct(english_share: float) -> tuple[tuple[str, str, str, str], ...]:
    """Every distinct text once, in stream order: (text, language, kind, outlet hint). English texts
    fill ``english_share`` of each stretch; the other languages are taken in turn."""
    queues = _queues()
    others = sorted((lang for lang in queues if lang != "en"), key=lambda lang: (-len(queues[lang]), lang))
    english = iter(queues["en"])
    other_iters = {lang: iter(queues[lang]) for lang in others}
    out: list[tuple[str, str, str, str]] = []
    n_english = 0
    turn = 0
    while True:
        if n_english < english_share * (len(out) + 1):
            entry = next(english, None)
            if entry is None:  # English ran out: the rest of the stream is rewrites, same mix
                return tuple(out)
            out.append((entry[0], "en", entry[1], entry[2]))
            n_english += 1
            continue
        for _ in range(len(others)):
            lang = others[turn % len(others)]
            turn += 1
            entry = next(other_iters[lang], None)
            if entry is not None:
                out.append((entry[0], lang, entry[1], entry[2]))
                break
        else:
            return tuple(out)


@cache
def _sentence_pool(english_share: float) -> dict[str, tuple[str, ...]]:
    pool: dict[str, list[str]] = {}
    for text, language, _, _ in _distinct(english_share):
        pool.setdefault(language, []).extend(s for s in _SENTENCE.split(text) if len(s) > 40)
    return {lang: tuple(sentences) for lang, sentences in pool.items()}


def _outlet(language: str, i: int, hint: str) -> str:
    if hint:
        return hint
    return f"{language}-outlet{i % 7}.example.{_TLD.get(language, 'com')}"


def pipeline_articles(
    n: int,
    *,
    start: int = 0,
    per_day: float = 2000 / 28,
    english_share: float = ENGLISH_SHARE,
    seed: int = 13,
) -> Iterator[CorpusArticle]:
    """Articles ``start`` to ``start + n - 1`` of the stream (the same article for the same index,
    whatever ``start``); article ``i`` is published ``i / per_day`` days after ``START``."""
    distinct = _distinct(english_share)
    for i in range(start, start + n):
        rng = random.Random(seed * 1_000_003 + i)
        published = START + timedelta(days=i / per_day)
        kind_of_copy = "exact-copy" if i % 50 == 49 else "near-copy" if i % 50 == 24 else ""
        if kind_of_copy:
            of = i - 1 - rng.randrange(min(i, 40))
            original = next(pipeline_articles(1, start=of, per_day=per_day, english_share=english_share))
            text = original.row["text"]
            if kind_of_copy == "near-copy":
                sentences = _SENTENCE.split(text)
                kept = sentences[:-1] if len(sentences) > 6 else sentences
                text = " ".join(kept) + "\n\n(Reprinted with permission.)"
            language, kind, hint = original.language, kind_of_copy, ""
        else:
            text, language, kind, hint = distinct[i % len(distinct)]
            if i >= len(distinct):
                sentences = _SENTENCE.split(text)
                pool = _sentence_pool(english_share)[language]
                for k in rng.sample(range(len(sentences)), max(1, len(sentences) // 3)):
                    sentences[k] = rng.choice(pool)
                text, kind = " ".join(sentences), "rewrite"
        row = {
            "id": f"pipe-{i}",
            "text": text,
            "source": _outlet(language, i, hint if kind == "real" else ""),
            "published": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        yield CorpusArticle(row, language, kind)


def write_rows(path: Path, articles: list[CorpusArticle]) -> int:
    """Write the articles' JSONL rows; returns how many."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a.row, ensure_ascii=False) + "\n")
    return len(articles)


def describe(articles: list[CorpusArticle]) -> dict[str, object]:
    """``n``, the language mix (share of articles per shared-data label), mean words per article,
    and how many articles of each kind (real, assembled, rewrite, copies)."""
    n = len(articles)
    languages: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for a in articles:
        languages[a.language] = languages.get(a.language, 0) + 1
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    words = sum(len(a.row["text"].split()) for a in articles)
    return {
        "n": n,
        "languages": {
            k: round(v / max(1, n), 3) for k, v in sorted(languages.items(), key=lambda kv: -kv[1])
        },
        "mean_words": round(words / max(1, n), 1),
        "kinds": dict(sorted(kinds.items())),
    }
