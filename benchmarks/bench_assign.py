"""Story assignment cost as the assigner's state grows: 1k, 10k, 100k and 1M articles held.

The state is synthetic but shaped like a news stream: events with a centre vector (clustered
random unit vectors), their own names, numbers and wording over a shared Zipf-distributed
vocabulary, and a heavy-tailed mix of story sizes (most stories one or two articles, a few
hundreds). Every story was last seen within the 30-day window, so every one is a live candidate
(the worst case: a real stream spread over months holds fewer). The stories' profiles are hashed
from their events' tokens directly (what ``article_keys`` would find in a text made of them),
and the states are bulk-loaded (``StoryAssigner.load_states``, the path ``restore`` takes); then
``probe`` synthetic articles (half about held events, half about new ones) are assigned one at a
time through ``assign`` exactly as the pipeline calls it (candidates from the vector index and the
name index, scoring, merge check, storylines, state encoding). The article's keys are found
beforehand, as ``prepare_assign_inputs`` does (they depend on the article alone); their cost is
``assign_keys_ms_p50_<size>``, the same at every size.

Each size runs in a fresh process, so its peak resident memory is its own, with BLAS capped at one
thread: assignment is one ordered, single-threaded step, and on a busy 2-core machine a
multi-threaded BLAS matrix-vector product stalls for milliseconds at random (measured: 0.03 ms
median, 3 ms spikes, for 1,600 x 512; 0.15 ms steady on one thread).

Keys: ``assign_p50_ms_<size>``, ``assign_p95_ms_<size>``, ``assign_mean_ms_<size>``,
``assign_stories_<size>``, ``assign_live_<size>`` (stories in the vector index),
``assign_load_seconds_<size>``, ``assign_peak_rss_mb_<size>``, ``assign_keys_ms_p50_<size>``,
``assign_p95_ms_1m`` and ``assign_slowdown_1m_vs_1k`` (mean milliseconds per article at 1M over 1k).

    .venv/bin/python benchmarks/bench_assign.py [--quick] [--size 1m]
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.embed import ArticleVectors
from storyline.stories.assign import (
    HEAD,
    NAME,
    NUMBER,
    WORD,
    AssignInput,
    Keys,
    LineSnapshot,
    StoryAssigner,
    StoryState,
    hash_keys,
    quantise_member,
    story_id_for,
    storyline_id_for,
    to_us,
)
from storyline.stories.similarity import NAME_PREFIX, fold, name_key, text_signals

DIM = 512
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
NOW = datetime(2024, 6, 1, tzinfo=UTC)
VOCABULARY = 60_000
N_TOPICS = 2_000
#: Zipf-distributed word indexes drawn once (``rng.choice`` with weights costs O(vocabulary) a call).
POOL = 1 << 21
MIN_WORD = 4


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Synthetic:
    """Events over a Zipf vocabulary; articles about them; their stories' states."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        self.names = [f"{chr(65 + i % 26)}{w}" for i, w in enumerate(self._words(VOCABULARY // 3))]
        self.words = self._words(VOCABULARY)
        weights = 1.0 / np.arange(1, VOCABULARY + 1) ** 1.05
        self.word_p = weights / weights.sum()
        self.topics = rng.standard_normal((N_TOPICS, DIM)).astype(np.float32)
        self.topics /= np.linalg.norm(self.topics, axis=1, keepdims=True)
        self.pool = rng.choice(VOCABULARY, POOL, p=self.word_p)
        self.n_events = 0
        self._keys: dict[tuple[int, str], int] = {}

    def _words(self, n: int) -> list[str]:
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        chunks = self.rng.integers(0, 26, size=(n, 7))
        return ["".join(letters[row]) + str(i) for i, row in enumerate(chunks)]

    def event(self) -> tuple[np.ndarray, list[str], list[str], list[str]]:
        """One event: centre vector, names, numbers, characteristic words (deterministic per index)."""
        rng = np.random.default_rng(self.n_events)
        self.n_events += 1
        topic = self.topics[rng.integers(N_TOPICS)]
        centre = topic + 0.6 * rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM)
        centre /= np.linalg.norm(centre)
        names = [self.names[i] for i in rng.integers(0, len(self.names), 6)]
        numbers = [str(x) for x in rng.integers(10, 100_000, 4)]
        words = [self.words[i] for i in self._zipf(rng, 40)]
        return centre, names, numbers, words

    def _zipf(self, rng: np.random.Generator, n: int) -> np.ndarray:
        start = int(rng.integers(0, POOL - n))
        return self.pool[start : start + n]

    def _key(self, kind: int, token: str) -> int:
        """The key ``article_keys`` gives ``token`` as a word, name or number (0: none)."""
        cached = self._keys.get((kind, token))
        if cached is None:
            if kind == WORD:
                word = fold(token)[:NAME_PREFIX]
                cached = hash_keys(WORD, [word])[0] if len(word) >= MIN_WORD else 0
            else:
                cached = hash_keys(kind, [token if kind == NUMBER else name_key(token)])[0]
            self._keys[(kind, token)] = cached
        return cached

    def keys(
        self, event: tuple[np.ndarray, list[str], list[str], list[str]], rng: np.random.Generator
    ) -> Keys:
        """A story profile for ``event``: the keys of a text of its tokens and common words."""
        _, names, numbers, words = event
        common = [self.words[i] for i in self._zipf(rng, 48)]
        found = [self._key(WORD, w) for w in (*words, *common, *names)]
        found += [self._key(NAME, n) for n in names] + [self._key(HEAD, n) for n in names[:2]]
        found += [self._key(NUMBER, x) for x in numbers]
        return np.unique(np.asarray([k for k in found if k], dtype=np.int64))

    def text(
        self, event: tuple[np.ndarray, list[str], list[str], list[str]], rng: np.random.Generator
    ) -> str:
        _, names, numbers, words = event
        parts: list[str] = []
        for _ in range(12):
            sentence = [words[i] for i in rng.integers(0, len(words), 8)]
            sentence += [self.words[i] for i in self._zipf(rng, 4)]
            sentence.insert(int(rng.integers(1, 5)), names[int(rng.integers(0, len(names)))])
            if rng.random() < 0.4:
                sentence.append(numbers[int(rng.integers(0, len(numbers)))])
            line = " ".join(sentence)
            parts.append(line[:1].upper() + line[1:] + ".")
        return " ".join(parts)

    def vector(self, centre: np.ndarray, rng: np.random.Generator, spread: float = 0.35) -> np.ndarray:
        v = centre + spread * rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM) * 4
        out: np.ndarray = (v / np.linalg.norm(v)).astype(np.float32)
        return out


def story_sizes(n_articles: int, rng: np.random.Generator) -> list[int]:
    """A heavy-tailed mix of story sizes summing to ``n_articles`` (mean about 4, at most 500)."""
    sizes: list[int] = []
    total = 0
    while total < n_articles:
        size = int(min(500, rng.zipf(1.9)))
        size = min(size, n_articles - total)
        sizes.append(size)
        total += size
    return sizes


def build_states(syn: Synthetic, n_articles: int) -> Iterator[StoryState]:
    """Story states for ``n_articles`` articles, built directly (no assignment run)."""
    rng = np.random.default_rng(n_articles)
    span_us = 25 * 86_400_000_000
    now_us = to_us(NOW)
    for slot, size in enumerate(story_sizes(n_articles, rng)):
        event = syn.event()
        centre = event[0]
        keys = syn.keys(event, rng)
        counts = rng.integers(max(1, size // 2), size + 1, len(keys)).astype(np.int32)
        members = np.stack([quantise_member(syn.vector(centre, rng)) for _ in range(min(size, 4))])
        last_us = now_us - int(rng.integers(0, span_us))
        story_id = story_id_for(f"a{slot}")
        yield StoryState(
            id=story_id,
            founder=f"a{slot}",
            label=" ".join(event[3][:6]),
            n=size,
            keys=keys,
            counts=counts,
            centroid=centre.astype(np.float16),
            title=centre.astype(np.float16),
            members=members,
            first_seq=slot,
            last_seq=slot,
            first_us=last_us - int(rng.integers(0, 86_400_000_000)),
            last_us=last_us,
            slot=slot,
            storyline_id=storyline_id_for(story_id),
            line=LineSnapshot(
                n_articles=size, first_us=last_us, last_us=last_us, version=slot, first_seq=slot
            ),
            recent_ids=tuple(f"a{slot}-{i}" for i in range(min(size, 8))),
        )


def probe_items(syn: Synthetic, n: int, n_events_held: int) -> list[AssignInput]:
    """``n`` articles, alternately about a held event and about a new one."""
    rng = np.random.default_rng(99)
    items: list[AssignInput] = []
    for i in range(n):
        if i % 2 == 0 and n_events_held:
            index = int(rng.integers(0, n_events_held))
            saved, syn.n_events = syn.n_events, index
            event = syn.event()
            syn.n_events = saved
        else:
            event = syn.event()
        text = syn.text(event, rng)
        doc = syn.vector(event[0], rng)
        vectors = ArticleVectors("use.v1", doc, doc, doc, doc, np.zeros((0, DIM), np.float32), ())
        at = NOW + timedelta(minutes=i)
        item = AssignInput(f"probe{i}", "", text, "en", "synthetic", at, None, vectors, text_signals(text))
        items.append(item)
    return items


def with_keys(items: list[AssignInput]) -> tuple[list[AssignInput], list[float]]:
    """The items with their keys found (as ``prepare_assign_inputs`` does), and the ms each took."""
    out: list[AssignInput] = []
    timings: list[float] = []
    for item in items:
        start = time.perf_counter()
        keys = item.article_keys()
        timings.append((time.perf_counter() - start) * 1000)
        out.append(dataclasses.replace(item, keys=keys))
    return out, timings


def bench_one(n_articles: int, *, probe: int = 300) -> dict[str, float]:
    """Load ``n_articles`` worth of stories, then time ``probe`` assignments (in this process)."""
    syn = Synthetic()
    assigner = StoryAssigner()
    started = time.perf_counter()
    n_stories = assigner.load_states(build_states(syn, n_articles))
    load_seconds = time.perf_counter() - started
    items, key_timings = with_keys(probe_items(syn, probe + 10, syn.n_events))
    for item in items[:10]:  # warm up (first calls load numpy paths, usearch)
        assigner.assign(item)
    timings = []
    for item in items[10:]:
        start = time.perf_counter()
        assigner.assign(item)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "stories": n_stories,
        "live": assigner.book.vectors.n_used,
        "load_seconds": round(load_seconds, 1),
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "mean_ms": round(statistics.fmean(timings), 3),
        "keys_ms_p50": round(statistics.median(key_timings), 3),
        "peak_rss_mb": _peak_rss_mb(),
    }


def bench_assign(*, sizes: dict[str, int] | None = None, probe: int = 300) -> dict[str, float]:
    """Per-article assignment cost with 1k .. 1M articles held, each size in a fresh process."""
    results: dict[str, float] = {}
    for label, n_articles in (sizes or SIZES).items():
        command = [sys.executable, __file__, "--articles", str(n_articles), "--probe", str(probe)]
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
        one = json.loads(done.stdout.strip().splitlines()[-1])
        for key, value in one.items():
            results[f"assign_{key}_{label}"] = value
    if "assign_p95_ms_1m" in results and "assign_mean_ms_1k" in results:
        results["assign_slowdown_1m_vs_1k"] = round(
            results["assign_mean_ms_1m"] / results["assign_mean_ms_1k"], 2
        )
    return results


def main(argv: list[str]) -> int:
    if "--articles" in argv:
        n = int(argv[argv.index("--articles") + 1])
        probe = int(argv[argv.index("--probe") + 1]) if "--probe" in argv else 300
        print(json.dumps(bench_one(n, probe=probe)))
        return 0
    quick = "--quick" in argv
    chosen = {k: v for k, v in SIZES.items() if not quick or v <= 100_000}
    if "--size" in argv:
        label = argv[argv.index("--size") + 1]
        chosen = {label: SIZES[label]}
    print(json.dumps(bench_assign(sizes=chosen), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
