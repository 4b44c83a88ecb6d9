"""Precision of shown attributions: the default confidence threshold by grouped cross-validation,
and spurious speakers on a stream of shared texts.

Usage::

    python scripts/eval_attributions.py [--data ../shared/data] [--folds 5] [--stream 1000] [--json]

1. PolNeAR (``quotes/polnear_dev.jsonl``): every quote ``find_attributions`` proposes, with its
   ``confidence``; a quote is right when it matches a gold attribution (content overlap, greedy,
   as ``storyline eval quotes``). Folds are grouped by document (sha256 of the id modulo
   ``--folds``); in each fold the threshold maximising F0.5 (precision weighs twice) on the other
   folds is applied to the held-out fold. Reported: the per-fold thresholds, the out-of-fold
   precision/recall, and the dev figure at ``DEFAULT_MIN_CONFIDENCE``.
2. A stream of ``--stream`` articles from the shared texts (SemEval-2022 pair texts, many
   languages, then shuffled ECB+ documents), languages detected as the pipeline does: among the
   quotes shown by default, the share whose speaker is a bare pronoun or relative word and the
   share of one- or two-word quotes. Code with no ``confidence`` (before issue 16) shows all.
3. ``--languages``: this project's annotations of non-English shared texts
   (``tests/data/annotations/quotes_<lang>.jsonl``): per language, precision, recall, overlap and
   exact F1 and speaker accuracy of the quotes shown by default (``evaluate_annotations``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

from storyline.evaluate.quotes import GoldArticle, read_articles
from storyline.language import detect_language
from storyline.understand.nlp import analyse
from storyline.understand.quotes import find_attributions

try:
    from storyline.understand.quotes import DEFAULT_MIN_CONFIDENCE
except ImportError:  # measuring the code before issue 16
    DEFAULT_MIN_CONFIDENCE = 0.0

PRONOUNS = frozenset(
    """who whom whose which that it its this these those you they them we us i me he him she her
    er sie es der die das wer welche welcher man il elle ils elles lui qui que on él ella ellos ellas
    quien quienes lo lei loro egli chi che cui ele ela eles elas quem hij zij ze wie wat het""".split()  # noqa: SIM905
)
"""English pronouns and relative words, then the same words of de/fr/es/it/pt/nl (issue 16 part 6)."""
GRID = [round(0.05 * i, 2) for i in range(21)]
_WORD = re.compile(r"[\w’'-]+")


def _overlap(a: tuple[int, int], parts: tuple[tuple[int, int], ...]) -> int:
    return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in parts)


def judged(article: GoldArticle) -> list[tuple[float, bool]]:
    """(confidence, matches a gold attribution) for each proposed quote of ``article``."""
    found = find_attributions(article.text, article_id=article.id, language="en")
    golds = [a[2] for a in article.attributions if a[2]]
    pairs = sorted(
        (-_overlap((f.quote.start, f.quote.end), g), gi, pi)
        for gi, g in enumerate(golds)
        for pi, f in enumerate(found)
        if _overlap((f.quote.start, f.quote.end), g) > 0
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
    conf = [getattr(f.quote, "confidence", None) for f in found]
    return [(1.0 if c is None else float(c), i in used_p) for i, c in enumerate(conf)]


def _prf(rows: list[tuple[float, bool]], n_gold: int, least: float) -> tuple[float, float, float]:
    shown = [ok for c, ok in rows if c >= least]
    p = sum(shown) / len(shown) if shown else 0.0
    r = sum(shown) / n_gold if n_gold else 0.0
    f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
    return p, r, f05


def cross_validate(data: Path, folds: int) -> dict[str, Any]:
    """Grouped k-fold choice of the threshold (see the module docstring)."""
    per_doc: dict[str, tuple[int, int, list[tuple[float, bool]]]] = {}
    for article in read_articles(data / "quotes/polnear_dev.jsonl"):
        fold = int(hashlib.sha256(article.id.encode()).hexdigest()[:8], 16) % folds
        n_gold = sum(1 for a in article.attributions if a[2])
        per_doc[article.id] = (fold, n_gold, judged(article))
    chosen, oof_rows, oof_gold = [], [], 0
    for k in range(folds):
        train = [r for f, _, rows in per_doc.values() if f != k for r in rows]
        train_gold = sum(g for f, g, _ in per_doc.values() if f != k)
        best = max(GRID, key=lambda t: (_prf(train, train_gold, t)[2], -t))
        chosen.append(best)
        oof_rows += [
            (1.0 if c >= best else 0.0, ok) for f, _, rows in per_doc.values() if f == k for c, ok in rows
        ]
        oof_gold += sum(g for f, g, _ in per_doc.values() if f == k)
    all_rows = [r for _, _, rows in per_doc.values() for r in rows]
    n_gold = sum(g for _, g, _ in per_doc.values())
    p_oof, r_oof, _ = _prf(oof_rows, oof_gold, 0.5)
    p_dev, r_dev, _ = _prf(all_rows, n_gold, DEFAULT_MIN_CONFIDENCE)
    p_all, r_all, _ = _prf(all_rows, n_gold, 0.0)
    return {
        "folds": folds,
        "thresholds_by_fold": chosen,
        "default_threshold": DEFAULT_MIN_CONFIDENCE,
        "out_of_fold_precision": round(p_oof, 4),
        "out_of_fold_recall": round(r_oof, 4),
        "dev_precision_at_default": round(p_dev, 4),
        "dev_recall_at_default": round(r_dev, 4),
        "precision_all_quotes": round(p_all, 4),
        "recall_all_quotes": round(r_all, 4),
        "n_docs": len(per_doc),
        "n_proposed": len(all_rows),
    }


def stream_texts(data: Path, n: int) -> list[tuple[str, str]]:
    """``n`` (id, text) articles: SemEval texts (several languages), then shuffled ECB+ documents."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    with (data / "similarity/semeval22_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for key in ("text1", "text2"):
                if row[key] not in seen and len(out) < int(n * 0.6):
                    seen.add(row[key])
                    out.append((f"sem{len(out)}", row[key]))
    with (data / "stories/ecbplus_dev_shuffled.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if len(out) >= n:
                break
            row = json.loads(line)
            out.append((row["id"], row["text"]))
    return out


def spurious(data: Path, n: int) -> dict[str, Any]:
    """Pronoun speakers and one- or two-word quotes among the quotes shown by default."""
    shown = pronoun = short = total = 0
    langs: dict[str, int] = {}
    for aid, text in stream_texts(data, n):
        lang = detect_language(text)[0]
        langs[lang or "none"] = langs.get(lang or "none", 0) + 1
        for att in find_attributions(text, article_id=aid, language=lang, analysis=analyse(text, lang)):
            quote = att.quote
            total += 1
            conf = getattr(quote, "confidence", None)
            if conf is not None and conf < DEFAULT_MIN_CONFIDENCE:
                continue
            shown += 1
            pronoun += (quote.speaker or "").strip().lower() in PRONOUNS
            short += len(_WORD.findall(quote.text)) <= 2
    return {
        "articles": n,
        "languages": dict(sorted(langs.items(), key=lambda kv: -kv[1])),
        "quotes_proposed": total,
        "quotes_shown": shown,
        "pronoun_speaker_rate": round(pronoun / shown, 4) if shown else 0.0,
        "short_quote_rate": round(short / shown, 4) if shown else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / "../shared/data")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--stream", type=int, default=1000)
    parser.add_argument("--skip-cv", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--languages", action="store_true", help="score the non-English annotations")
    args = parser.parse_args(argv)
    data = args.data.resolve()
    began = time.perf_counter()
    result: dict[str, Any] = {}
    if args.languages:
        from storyline.evaluate.quotes import evaluate_annotations

        files = sorted(
            (Path(__file__).resolve().parents[1] / "tests/data/annotations").glob("quotes_*.jsonl")
        )
        result["languages"] = evaluate_annotations(files, data=data)["by_language"]
    if not args.skip_cv:
        result["polnear"] = cross_validate(data, args.folds)
    if args.stream:
        result["stream"] = spurious(data, args.stream)
    result["seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(result, indent=None if args.json else 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
