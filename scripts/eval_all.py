"""Every ``storyline eval`` figure on ../shared/data, and the fact counts of an ingest, as one JSON.

Used to show that a change keeps every figure (re-layering, speed work):

    python scripts/eval_all.py --out /tmp/before.json            # all evaluations + fact counts
    python scripts/eval_all.py --out /tmp/after.json
    python scripts/eval_all.py --compare /tmp/before.json /tmp/after.json

``--facts N`` ingests the first N articles of the benchmark corpus (``benchmarks/corpus.py``, default
600) into a fresh store with default settings and counts what it holds: articles, duplicates, stories,
storylines, entities, mentions, quotes, dates, figures, plus a digest of the story membership (the
sorted groups of article ids), so two runs compare exactly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
STORYLINE = [sys.executable, "-m", "storyline"]

EVALS: list[tuple[str, str, list[str]]] = [
    ("similarity", "similarity/semeval22_dev.jsonl", []),
    ("similarity_heldout", "similarity/semeval22_dev.jsonl", ["--split", "heldout"]),
    ("ner_en_all", "ner/conll_en_dev.jsonl", ["--split", "all"]),
    ("stories_ecbplus", "stories/ecbplus_dev.jsonl", []),
    ("stories_ecbplus_shuffled", "stories/ecbplus_dev_shuffled.jsonl", []),
    ("stories_googlenews", "stories/googlenews_titles.jsonl", []),
    ("quotes", "quotes/polnear_dev.jsonl", []),
    ("timex", "timex/tempeval3_dev.jsonl", []),
    ("ner_en", "ner/conll_en_dev.jsonl", []),
    ("ner_de", "ner/conll_de_dev.jsonl", []),
    ("ner_es", "ner/conll_es_dev.jsonl", []),
    ("ner_nl", "ner/conll_nl_dev.jsonl", []),
    ("entities", "entities/ecbplus_entities_dev.jsonl", []),
    ("novelty", "similarity/semeval22_dev.jsonl", []),
]

TABLES = ("articles", "stories", "storylines", "entities", "mentions", "quotes", "time_mentions", "figures")


def run_evals(only: set[str] | None) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, rel, extra in EVALS:
        if only and key not in only:
            continue
        task = key.split("_")[0]
        cmd = [*STORYLINE, "-q", "eval", task, str(DATA / rel), "--json", *extra]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            out[key] = {"error": proc.stderr.strip()[-500:]}
        else:
            out[key] = json.loads(proc.stdout)
        print(f"{key}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return out


def fact_counts(n: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import synthetic_articles, write_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_jsonl(corpus, synthetic_articles(n))
        db = Path(tmp) / "facts.db"
        env = {**os.environ, "STORYLINE_WORKERS": "2"}
        subprocess.run([*STORYLINE, "-q", "--db", str(db), "ingest", str(corpus)], check=False, env=env)
        con = sqlite3.connect(db)
        counts: dict[str, object] = {}
        for table in TABLES:
            (counts[table],) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        (counts["duplicates"],) = con.execute(
            "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
        ).fetchone()
        groups = sorted(
            row[0]
            for row in con.execute(
                "SELECT group_concat(article_id, ',') FROM"
                " (SELECT article_id, story_id FROM story_articles ORDER BY article_id) GROUP BY story_id"
            )
        )
        counts["story_membership_sha256"] = hashlib.sha256("\n".join(map(str, groups)).encode()).hexdigest()
        for table, cols in (
            ("quotes", "article_id, start, text, speaker"),
            ("time_mentions", "article_id, start, text, value"),
            ("figures", "article_id, start, text, value"),
        ):
            rows = sorted(map(repr, con.execute(f"SELECT {cols} FROM {table}")))
            counts[f"{table}_sha256"] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        con.close()
        return counts


#: Timings, which differ from run to run: not compared.
TIMINGS = frozenset({"articles_per_second", "seconds_per_pair", "ms_per_doc"})


def compare(a: dict[str, object], b: dict[str, object], path: str = "") -> list[str]:
    """Every figure that differs between two results (timings left out)."""
    diffs: list[str] = []
    for key in sorted((set(a) | set(b)) - TIMINGS):
        here = f"{path}.{key}" if path else key
        va, vb = a.get(key), b.get(key)
        if isinstance(va, dict) and isinstance(vb, dict):
            diffs.extend(compare(va, vb, here))
        elif va != vb:
            diffs.append(f"{here}: {va!r} -> {vb!r}")
    return diffs


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only", nargs="*", help="evaluation keys to run (default all)")
    parser.add_argument("--facts", type=int, default=600, help="articles to ingest for fact counts (0: none)")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(Path(p).read_text()) for p in args.compare)
        diffs = compare(before, after)
        print("\n".join(diffs) if diffs else "identical")
        return 1 if diffs else 0
    if not DATA.is_dir():
        raise SystemExit(f"needs the shared data at {DATA}")
    result: dict[str, object] = {"evals": run_evals(set(args.only) if args.only else None)}
    if args.facts:
        result["facts"] = fact_counts(args.facts)
    text = json.dumps(result, indent=1, sort_keys=True)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
