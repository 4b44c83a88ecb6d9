"""``soak``: a store living for years.

Two parts:

1. The long-run replay at full size: every gold story of ECB+ given its own dates (years apart),
   ingested month by month in separate runs (each a fresh store connection and components restored
   from the store, as a new ``storyline ingest`` process makes them), compared with one run over the
   whole stream. Keys: ``soak_runs``, ``soak_articles``, ``soak_equal_to_one_run``.
2. Start-up as the store grows: stores of 1k / 10k / 100k articles spread over ten years (stories,
   their saved states, near-copy signatures and assignments written directly, as years of ingest
   would leave them), then a new process opens each, restores the components and ingests 20 new
   articles. Keys: ``soak_startup_s_{size}`` (process start to components ready, models excluded:
   they load on first use), ``soak_first_run_s_{size}``, ``soak_peak_rss_mb_{size}``,
   ``soak_startup_100k_vs_1k`` (target <= 2).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

from benchmarks.bench_assign import NOW, Synthetic, story_sizes
from benchmarks.replay import ECBPLUS, by_month, dated_stream, ingest_run, story_map, write_jsonl
from storyline.model import Article, Assignment, Batch, Story, fingerprint
from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.stories.assign import StoryState, encode_state, from_us, quantise_member, story_id_for, to_us

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
YEARS = 10
SETTINGS = Settings(understand=False, stories=True, workers=1)

_PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
from storyline.ingest import iter_inputs
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SqliteStore
settings = Settings(understand=False, stories=True, workers=1)
with SqliteStore(sys.argv[1]) as store:
    components = Components.for_store(settings, store)
    t1 = time.perf_counter()
    stats = run(iter_inputs([sys.argv[2]], settings), components, store)
    t2 = time.perf_counter()
# VmHWM, not ru_maxrss: the latter keeps the forking parent's high-water mark across exec.
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"startup_s": t1 - t0, "first_run_s": t2 - t1, "stored": stats.stored,
                  "rss_mb": int(hwm.split()[1]) / 1024}))
"""


def replay(n_stories: int | None = None) -> dict[str, float]:
    """The replay at full size, in-process runs; returns its keys."""
    rows = dated_stream(n_stories=n_stories, per_story=10, gap_days=75)
    months = list(by_month(rows))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        whole = tmp_path / "whole.db"
        ingest_run(whole, write_jsonl(tmp_path / "all.jsonl", rows), SETTINGS)
        db = tmp_path / "monthly.db"
        start = time.perf_counter()
        for k, month in enumerate(months):
            ingest_run(db, write_jsonl(tmp_path / f"m{k}.jsonl", month), SETTINGS)
        seconds = time.perf_counter() - start
        equal = story_map(db) == story_map(whole)
    print(
        f"  replay: {len(rows)} articles in {len(months)} runs, {seconds:.1f} s, equal={equal}",
        file=sys.stderr,
    )
    return {"soak_runs": len(months), "soak_articles": len(rows), "soak_equal_to_one_run": int(equal)}


def build_aged_store(db: Path, n_articles: int, *, seed: int = 7) -> int:
    """A store of ``n_articles`` over ``YEARS`` years ending at ``NOW``; returns the stories written."""
    syn = Synthetic(seed)
    rng = np.random.default_rng(seed)
    span_us = YEARS * 365 * 86_400_000_000
    end_us = to_us(NOW)
    sizes = story_sizes(n_articles, rng)
    ends = np.sort(rng.integers(end_us - span_us, end_us, len(sizes)))
    sig_width = 128
    with SqliteStore(db) as store:
        batch: dict[str, list[object]] = {"articles": [], "assignments": [], "stories": []}
        minhashes: dict[str, bytes] = {}
        states: dict[str, bytes] = {}
        for slot, (size, last_us) in enumerate(zip(sizes, ends.tolist(), strict=True)):
            event = syn.event()
            founder = f"a{slot}-0"
            story_id = story_id_for(founder)
            first_us = last_us - int(rng.integers(0, 10 * 86_400_000_000))
            text = syn.text(event, rng)
            keys = syn.keys(event, rng)
            for i in range(size):
                at = from_us(first_us + (last_us - first_us) * i // max(1, size - 1))
                article_id = f"a{slot}-{i}"
                body = f"{text} ({article_id})"
                batch["articles"].append(
                    Article(
                        id=article_id,
                        text=body,
                        title=body[:80],
                        language="en",
                        published_at=at,
                        source="soak.example",
                        content_hash=fingerprint(body),
                    )
                )
                batch["assignments"].append(Assignment(article_id, story_id, 1.0, i == 0))
                sig = rng.integers(0, 2**32, sig_width, dtype=np.uint32)
                minhashes[article_id] = np.uint32(60).tobytes() + sig.astype("<u4").tobytes()
            state = StoryState(
                id=story_id,
                founder=founder,
                label=" ".join(event[3][:6]),
                n=size,
                keys=keys,
                counts=np.ones(len(keys), dtype=np.int32),
                centroid=event[0].astype(np.float16),
                title=event[0].astype(np.float16),
                members=np.stack([quantise_member(syn.vector(event[0], rng)) for _ in range(min(size, 4))]),
                first_seq=slot,
                last_seq=slot,
                first_us=first_us,
                last_us=last_us,
                slot=slot,
                recent_ids=tuple(f"a{slot}-{i}" for i in range(min(size, 8))),
            )
            states[story_id] = encode_state(state)
            batch["stories"].append(
                Story(
                    story_id,
                    state.label,
                    size,
                    (),
                    ("en",),
                    ("soak.example",),
                    from_us(first_us),
                    from_us(last_us),
                )
            )
            if len(batch["articles"]) >= 2000:
                _flush(store, batch, minhashes, states)
        _flush(store, batch, minhashes, states)
    return len(sizes)


def _flush(
    store: SqliteStore, batch: dict[str, list[object]], minhashes: dict[str, bytes], states: dict[str, bytes]
) -> None:
    store.write_batch(
        Batch(
            articles=tuple(batch["articles"]),  # type: ignore[arg-type]
            assignments=tuple(batch["assignments"]),  # type: ignore[arg-type]
            stories=tuple(batch["stories"]),  # type: ignore[arg-type]
            story_states=dict(states),
            minhashes=dict(minhashes),
        )
    )
    for rows in batch.values():
        rows.clear()
    minhashes.clear()
    states.clear()


def _new_articles(path: Path, n: int = 20) -> Path:
    syn = Synthetic(99)
    rng = np.random.default_rng(99)
    rows = []
    for i in range(n):
        at = NOW + timedelta(hours=i)
        rows.append({"id": f"new{i}", "text": syn.text(syn.event(), rng), "published": at.isoformat()})
    return write_jsonl(path, rows)


def startup(sizes: dict[str, int] = SIZES) -> dict[str, float]:
    """Start-up seconds and peak RSS of a new process on stores of each size."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        new = _new_articles(Path(tmp) / "new.jsonl")
        for name, n in sizes.items():
            db = Path(tmp) / f"{name}.db"
            start = time.perf_counter()
            n_stories = build_aged_store(db, n)
            built = time.perf_counter() - start
            out = subprocess.run(
                [sys.executable, "-c", _PROBE, str(db), str(new)], capture_output=True, text=True, check=True
            )
            probe = json.loads(out.stdout.strip().splitlines()[-1])
            assert probe["stored"] == 20, probe
            print(
                f"  {name}: {n} articles, {n_stories} stories (built in {built:.0f} s); start-up "
                f"{probe['startup_s']:.2f} s, first run {probe['first_run_s']:.2f} s, "
                f"peak RSS {probe['rss_mb']:.0f} MB",
                file=sys.stderr,
            )
            results[f"soak_startup_s_{name}"] = round(probe["startup_s"], 3)
            results[f"soak_first_run_s_{name}"] = round(probe["first_run_s"], 3)
            results[f"soak_peak_rss_mb_{name}"] = round(probe["rss_mb"], 1)
    first, last = next(iter(sizes)), list(sizes)[-1]
    results[f"soak_startup_{last}_vs_{first}"] = round(
        results[f"soak_startup_s_{last}"] / results[f"soak_startup_s_{first}"], 3
    )
    return results


def bench_soak(*, sizes: dict[str, int] = SIZES, n_stories: int | None = None) -> dict[str, float]:
    results = replay(n_stories) if ECBPLUS.exists() else {}
    results.update(startup(sizes))
    return results
