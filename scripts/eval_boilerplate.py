"""Measure the boilerplate index (``stories.boilerplate``) on ../shared/data, for docs/evaluation.md.

Two measurements, for each ``boilerplate_min_articles`` given (``--k``):

- ``marked``: PolNeAR's 924 articles of seven publishers, in publication order, with the publisher
  as the outlet: the share of characters marked as boilerplate and the units marked most often
  (to read: are they the outlet's chrome, or its news?).
- ``stories``: a story stream (default ECB+ dev, shuffled) with every article given one and the same
  outlet, the worst case for related articles (every phrase two reports of one event share is then
  "repeated by the outlet"): B³ F1 against the same stream with no outlet.

    python scripts/eval_boilerplate.py --k 0 1 2 3 --out /tmp/boilerplate.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.embed import embedder_for
from storyline.evaluate.stories import evaluate_stories
from storyline.model import Article
from storyline.settings import Settings
from storyline.stories.boilerplate import BoilerplateIndex

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ONE_OUTLET = "one-outlet.example"


def _published(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=UTC)
    except ValueError:
        return None


def marked(k: int, top: int = 25) -> dict[str, Any]:
    rows = [json.loads(line) for line in (DATA / "quotes/polnear_dev.jsonl").open(encoding="utf-8")]
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    rows.sort(key=lambda r: (_published(r.get("published")) or epoch, r["id"]))
    index = BoilerplateIndex(min_articles=k)
    n_chars = n_marked = n_articles = 0
    units: Counter[str] = Counter()
    for r in rows:
        a = Article(
            id=r["id"],
            text=r["text"],
            title=r.get("title") or "",
            source=r["publisher"],
            published_at=_published(r.get("published")),
        )
        out = index.observe(a).article
        n_chars += len(a.text)
        n_marked += sum(e - s for s, e in out.boilerplate)
        n_articles += bool(out.boilerplate or out.title_boilerplate)
        units.update(f"{r['publisher']}: {a.text[s:e][:70]!r}" for s, e in out.boilerplate)
        units.update(f"{r['publisher']}: title {a.title[s:e][:50]!r}" for s, e in out.title_boilerplate)
    return {
        "articles": len(rows),
        "articles_with_boilerplate": n_articles,
        "share_of_chars_marked": round(n_marked / max(1, n_chars), 4),
        "top_units": units.most_common(top),
    }


def stories(k: int, stream: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / stream.name
        with stream.open(encoding="utf-8") as src, one.open("w", encoding="utf-8") as dst:
            for line in src:
                if line.strip():
                    dst.write(json.dumps({**json.loads(line), "source": ONE_OUTLET}) + "\n")
        result = evaluate_stories(
            one, embedder=embedder_for("use.v1"), settings=Settings(boilerplate_min_articles=k)
        )
    return {key: result[key] for key in ("n", "n_pred", "bcubed_precision", "bcubed_recall", "bcubed_f1")}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--k", type=int, nargs="+", default=[0, 1, 2, 3])
    parser.add_argument("--stream", type=Path, default=DATA / "stories/ecbplus_dev_shuffled.jsonl")
    parser.add_argument("--no-stories", action="store_true", help="only the PolNeAR measurement")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out: dict[str, Any] = {}
    for k in args.k:
        out[f"k{k}"] = {"marked": marked(k)}
        if not args.no_stories:
            out[f"k{k}"]["stories_one_outlet"] = stories(k, args.stream)
        print(
            f"k={k}: {json.dumps({x: y for x, y in out[f'k{k}'].items() if x != 'marked'})}", file=sys.stderr
        )
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
