"""Score the timex grammar on every shipped annotation file and print a per-language table.

Usage: ``python scripts/eval_timex_langs.py [--data ../shared/data] [--json]``. Each row gives the
strict / relaxed / value F1 (``storyline.evaluate.timex``, the TempEval-3 metric code of the English
evaluation) on all annotated sentences, the tune split and the held-out split.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from storyline.evaluate.timex import default_data_dir, evaluate_timex_annotations
from storyline.evaluate.timex_annotations import annotation_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data directory")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = {}
    for path in annotation_files():
        results.update(evaluate_timex_annotations(path, data_dir=args.data or default_data_dir()))
    rows = {k: v for k, v in results.items() if isinstance(v, dict)}
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print("| language | split | sentences | gold | strict F1 | relaxed F1 | value F1 |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(rows, key=lambda k: (k.split(".")[0], k)):
        lang, _, split = key.partition(".")
        r = rows[key]
        print(f"| {lang} | {split or 'all'} | {r['n_sentences']} | {r['n_gold']} | {r['strict_f1']:.3f} | "
              f"{r['relaxed_f1']:.3f} | {r['value_f1']:.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
