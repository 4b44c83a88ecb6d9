"""Benchmark corpora built from the texts in ../shared/data/ (read from there, never copied)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def real_texts() -> list[str]:
    """Every article-length text in the shared development sets, in a fixed order."""
    if not SHARED_DATA.is_dir():
        raise SystemExit(f"benchmarks need the shared data at {SHARED_DATA}")
    texts: list[str] = []
    for name in ("quotes/polnear_dev.jsonl", "stories/ecbplus_dev.jsonl", "timex/tempeval3_dev.jsonl"):
        with (SHARED_DATA / name).open(encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    with (SHARED_DATA / "similarity/semeval22_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts.extend((row["text1"], row["text2"]))
    return [t for t in dict.fromkeys(texts) if len(t) > 200]


def synthetic_articles(n: int, *, seed: int = 7) -> Iterator[dict[str, str]]:
    """``n`` JSONL-ready articles: the real texts first, then rewrites that swap a third of the
    sentences for sentences of other articles (distinct articles, with some near-copies among them)."""
    rng = random.Random(seed)
    texts = real_texts()
    pool = [s for t in texts for s in _SENTENCE.split(t) if len(s) > 40]
    for i in range(n):
        base = texts[i % len(texts)]
        if i >= len(texts):
            sentences = _SENTENCE.split(base)
            for k in rng.sample(range(len(sentences)), max(1, len(sentences) // 3)):
                sentences[k] = rng.choice(pool)
            base = " ".join(sentences)
        day = 1 + i % 28
        yield {
            "id": f"bench-{i}",
            "text": base,
            "source": f"outlet{i % 37}.example",
            "published": f"2021-02-{day:02d}T{i % 24:02d}:00:00Z",
        }


def write_jsonl(path: Path, rows: Iterator[dict[str, str]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n
