"""Fit the story assignment model and write ``src/storyline/stories/assign/assign_model.json``.

    .venv/bin/python scripts/train_assign.py [--data ../shared/data/stories] [--cv-only | --short-only]

Needs scikit-learn (training only; the product reads the JSON with numpy). Document vectors are
cached in ``benchmarks/.cache/`` (git-ignored), so re-fitting does not re-embed.

Data: ECB+ (``ecbplus_dev.jsonl``), in file order and in the shuffled order; each topic holds two
real events of the same kind, so the hard negatives are the other event of the topic.

1. ``join`` (article -> story): boosted trees (``GradientBoostingClassifier``, exported as flat
   arrays for ``assign_model.TreeScore``) on teacher-forced rows. The stream is replayed with the
   gold stories as the live stories; each article is compared with its candidates (exactly as
   ``StoryBook.candidates`` finds them), labelled 1 for its gold story; rows whose centroid cosine
   is below ``PLAUSIBLE`` are easy negatives and left out.
2. The join threshold: best mean B-cubed F1 over both orders with merges off (``JOIN_GRID``).
3. ``merge`` (story + story): a logistic regression on on-policy rows. The stream is run through
   the assigner with the fitted join and no merges; after every step the changed story is compared
   with its candidates, labelled 1 when both stories' majority gold story is the same.
4. The merge threshold on ``MERGE_GRID`` (merges stay off unless they help).

Cross-validation by topic: fold A = topics at even positions of the sorted topic list, fold B =
the others; fit (1-4) on one, report the other. The shipped model is fitted on all topics.
``--short-only`` fits the join threshold of bare headlines on the first half of the GoogleNews
stream and reports the second half (and leaves it off when it does not help).
``link`` (storylines) and ``time_penalty`` are not fitted (no labels, no dates): set by hand.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.embed import ArticleVectors, article_title, embed_articles  # noqa: E402
from storyline.evaluate.stories import GoldArticle, read_stream, resolve_stories, story_scores  # noqa: E402
from storyline.stories.assign import (  # noqa: E402
    FEATURES,
    MODEL_PATH,
    AssignInput,
    StoryAssigner,
    StoryBook,
    StoryState,
    article_keys,
    load_score,
    side_features,
    to_us,
)
from storyline.stories.similarity import text_signals  # noqa: E402

LOGGER = logging.getLogger("train_assign")
CACHE = ROOT / "benchmarks" / ".cache"
DATA = ROOT.parent / "shared" / "data" / "stories"
FILES = ("ecbplus_dev", "ecbplus_dev_shuffled")
JOIN_GRID = (-1.5, -1.0, -0.5, 0.0, 0.5)
MERGE_GRID = (0.0, 1.0, 2.0, 3.0, 4.0)
#: Rows whose centroid cosine is below this are easy negatives; the fit ignores them.
PLAUSIBLE = 0.5
C = 1.0
VERSION = "assign.v1"
#: Bare headlines (GoogleNews titles): articles shorter than SHORT_CHARS join at their own threshold.
SHORT_FILE, SHORT_CHARS, SHORT_GRID = "googlenews_titles", 100, (-3.0, -2.5, -2.0, -1.5)
#: Pairs need this centroid cosine to be scored at all (join, merge, link). 0.2 decides exactly as 0
#: on ECB+ (both orders) and skips most name-index candidates; 0.5 cost 0.015 B3 F1 shuffled.
MIN_COSINE = 0.2
#: The join score's boosted trees.
TREES, TREE_DEPTH, TREE_RATE = 100, 3, 0.1
BASE: dict[str, Any] = json.loads(MODEL_PATH.read_text()) if MODEL_PATH.exists() else {}
Stream = list[tuple[GoldArticle, AssignInput]]


def load_stream(name: str, data: Path = DATA) -> Stream:
    """The labelled stream of ``name`` with assignment inputs (document vectors cached)."""
    gold = list(read_stream(data / f"{name}.jsonl"))
    cache = CACHE / f"vec_{name.replace('_shuffled', '')}.pkl"
    vectors: dict[str, ArticleVectors] = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    todo = [g.article for g in gold if g.article.id not in vectors]
    if todo:
        from storyline.embed.use import UseEmbedder

        LOGGER.info("embedding %d articles of %s", len(todo), name)
        found = embed_articles(UseEmbedder(), [(a.title, a.text) for a in todo])
        vectors.update({a.id: v for a, v in zip(todo, found, strict=True)})
        CACHE.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(vectors))
    out: Stream = []
    for g in gold:
        a = g.article
        title = article_title(a.title, a.text)
        text = a.text if not title or a.text.startswith(title) else f"{title}\n{a.text}"
        item = AssignInput(
            a.id, title, a.text, a.language, a.source, a.published_at, None, vectors[a.id], text_signals(text)
        )
        out.append((g, item))
    return out


def _book(model: dict[str, Any]) -> StoryBook:
    return StoryBook(
        window_us=30 * 86_400_000_000,
        horizon_us=180 * 86_400_000_000,
        n_members=int(model["n_members"]),
        idf_prior=float(model["idf_prior"]),
    )


def join_rows(stream: Stream, model: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Teacher-forced (article, candidate story) rows: the gold stories are the live stories."""
    book = _book(model)
    by_gold: dict[str, StoryState] = {}
    rows: list[np.ndarray] = []
    labels: list[int] = []
    for gold, item in stream:
        document = np.asarray(item.vectors.document, np.float32)
        title = np.asarray(item.vectors.title, np.float32)
        book.use_dim(len(document))
        at_us = book.tick(to_us(item.published_at))
        keys = article_keys(item.title, item.text, item.signals).keys
        side = book.article_side(keys, document, title, at_us)
        for story in book.candidates(side, at_us, int(model["n_candidates"])):
            rows.append(side_features(side, book.story_side(story), book.stats.idf))
            labels.append(int(story is by_gold.get(gold.story)))
        held = by_gold.get(gold.story)
        if held is not None:
            story = held
            book.cohere(story, side_features(side, book.story_side(story), book.stats.idf))
        else:
            story = by_gold[gold.story] = book.create(item.article_id, "")
        book.add_article(story, item.article_id, keys, document, title, at_us)
    return np.asarray(rows), np.asarray(labels)


def merge_rows(stream: Stream, model: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """On-policy (story, story) rows from a run with the fitted join and no merges."""
    no_merge = {**model, "merge": {**model["merge"], "threshold": 1e9}}
    assigner = _assigner(no_merge)
    majority: dict[str, Counter[str]] = {}
    rows, labels = [], []
    for gold, item in stream:
        outcome = assigner.assign(item)
        story_id = outcome.assignment.story_id
        majority.setdefault(story_id, Counter())[gold.story] += 1
        book = assigner.book
        story = book.stories[story_id]
        side = book.story_side(story)
        at_us = book.now_us
        for other in book.candidates(side, at_us, int(model["n_candidates"]), exclude=story_id):
            if float(side.centroid @ book.story_side(other).centroid) < PLAUSIBLE:
                continue  # the assigner never scores these (``min_cosine``)
            rows.append(side_features(side, book.story_side(other), book.stats.idf))
            same = majority[story_id].most_common(1)[0][0] == majority[other.id].most_common(1)[0][0]
            labels.append(int(same))
    return np.asarray(rows), np.asarray(labels)


def _assigner(model: dict[str, Any]) -> StoryAssigner:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(model, f)
    return StoryAssigner(model_path=Path(f.name))


def run_online(stream: Stream, model: dict[str, Any]) -> dict[str, float | int]:
    assigner = _assigner(model)
    outcomes = [assigner.assign(item) for _, item in stream]
    return story_scores([g.story for g, _ in stream], resolve_stories(outcomes))


def _fit(rows: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    lr = LogisticRegression(C=C, max_iter=10_000).fit(rows, labels)
    return {"weights": [round(float(w), 4) for w in lr.coef_[0]], "bias": round(float(lr.intercept_[0]), 4)}


def _fit_trees(rows: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Boosted trees (log-loss), exported as the flat arrays ``assign_model.TreeScore`` reads."""
    gb = GradientBoostingClassifier(
        n_estimators=TREES, max_depth=TREE_DEPTH, learning_rate=TREE_RATE, subsample=0.8, random_state=0
    ).fit(rows, labels)
    feature: list[int] = []
    cut: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    for estimator in gb.estimators_[:, 0]:
        tree, base = estimator.tree_, len(feature)
        roots.append(base)
        for node in range(tree.node_count):
            leaf = tree.children_left[node] < 0
            feature.append(-1 if leaf else int(tree.feature[node]))
            cut.append(0.0 if leaf else float(tree.threshold[node]))
            left.append(base + node if leaf else base + int(tree.children_left[node]))
            right.append(base + node if leaf else base + int(tree.children_right[node]))
            value.append(float(tree.value[node].ravel()[0]))
    bias = float(gb._raw_predict_init(rows[:1])[0, 0])
    trees = {"feature": feature, "cut": cut, "left": left, "right": right, "value": value, "roots": roots,
             "depth": TREE_DEPTH}  # fmt: skip
    out = {"trees": trees, "bias": bias, "scale": TREE_RATE, "threshold": 0.0}
    check = load_score({**out})
    expected = gb.decision_function(rows[:200])
    got = np.asarray([check(r) for r in rows[:200]])
    if not np.allclose(expected, got, atol=1e-6):
        raise AssertionError(f"exported trees disagree with the fitted ones: {np.abs(expected - got).max()}")
    return out


def fit(streams: Sequence[Stream], model: dict[str, Any]) -> dict[str, Any]:
    """Fit the join score, its threshold, the merge score and its threshold on ``streams`` (the same
    topics in two orders), one after the other (a coordinate search: a full grid costs too many runs).
    """
    parts = [join_rows(s, model) for s in streams]
    rows, labels = np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    plausible = rows[:, FEATURES.index("cos_centroid")] >= PLAUSIBLE
    join = _fit_trees(rows[plausible], labels[plausible])

    def mean_f1(candidate: dict[str, Any]) -> float:
        return float(np.mean([run_online(s, candidate)["bcubed_f1"] for s in streams]))

    no_merge = _with(model, join, 0.0, None, 1e9)
    scores = {j: mean_f1(_with(no_merge, join, j, no_merge["merge"], 1e9)) for j in JOIN_GRID}
    j = max(JOIN_GRID, key=lambda t: (scores[t], -abs(t)))
    LOGGER.info("join threshold %.2f (no merges): mean B3 F1 %.4f", j, scores[j])
    merge_parts = [merge_rows(s, _with(model, join, j, None, 1e9)) for s in streams]
    merge = _fit(np.vstack([p[0] for p in merge_parts]), np.concatenate([p[1] for p in merge_parts]))
    scores_m = {m: mean_f1(_with(model, join, j, merge, m)) for m in MERGE_GRID}
    m = max(MERGE_GRID, key=lambda t: (scores_m[t], t))
    LOGGER.info("merge threshold %.2f: mean B3 F1 %.4f", m, scores_m[m])
    if scores_m[m] <= scores[j]:
        return _with(model, join, j, merge, 1e9)
    return _with(model, join, j, merge, m)


def _with(
    model: dict[str, Any], join: dict[str, Any], join_t: float, merge: dict[str, Any] | None, merge_t: float
) -> dict[str, Any]:
    merge = merge if merge is not None else join
    return {**model, "join": {**join, "threshold": join_t}, "merge": {**merge, "threshold": merge_t}}


def _topics(stream: Stream) -> list[str]:
    return sorted({g.topic or "" for g, _ in stream}, key=lambda t: (len(t), t))


def _only(stream: Stream, topics: set[str]) -> Stream:
    return [(g, item) for g, item in stream if g.topic in topics]


def fit_short(stream: Stream, model: dict[str, Any]) -> dict[str, Any]:
    """Choose the join threshold for bare headlines on the first half of ``stream`` (file order);
    report both halves (the second half was not used to choose)."""
    half = len(stream) // 2
    off = float(run_online(stream[:half], {**model, "short_chars": 0})["bcubed_f1"])
    LOGGER.info("no short threshold: first half B3 F1 %.4f", off)
    scores: dict[float, float] = {}
    for threshold in SHORT_GRID:
        candidate = {**model, "short_chars": SHORT_CHARS, "short_threshold": threshold}
        scores[threshold] = float(run_online(stream[:half], candidate)["bcubed_f1"])
        LOGGER.info("short threshold %.1f: first half B3 F1 %.4f", threshold, scores[threshold])
    best = max(SHORT_GRID, key=lambda t: (scores[t], t))
    if scores[best] <= off:
        LOGGER.info("no short threshold beats none; leaving it off")
        return {**model, "short_chars": 0}
    fitted = {**model, "short_chars": SHORT_CHARS, "short_threshold": best}
    rest = run_online(stream[half:], fitted)
    LOGGER.info("short threshold %.1f; second half (not fitted on): %s", best, rest)
    fitted["meta"] = {
        **model.get("meta", {}),
        "short": {"fit_first_half_b3_f1": scores[best], "second_half": rest},
    }
    return fitted


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cv-only", action="store_true", help="report cross-validation, write nothing")
    parser.add_argument("--short-only", action="store_true", help="fit only the bare-headline threshold")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.short_only:
        fitted = fit_short(load_stream(SHORT_FILE, args.data), {**BASE, "features": list(FEATURES)})
        MODEL_PATH.write_text(json.dumps(fitted, indent=2) + "\n")
        print(json.dumps(fitted["meta"].get("short"), indent=2))
        return 0
    streams = [load_stream(name, args.data) for name in FILES]
    topics = _topics(streams[0])
    folds = {"A": set(topics[0::2]), "B": set(topics[1::2])}
    model = {**BASE, "features": list(FEATURES), "min_cosine": MIN_COSINE}
    report: dict[str, Any] = {}
    for fit_fold, test_fold in (("A", "B"), ("B", "A")):
        fitted = fit([_only(s, folds[fit_fold]) for s in streams], model)
        for name, stream in zip(FILES, streams, strict=True):
            result = run_online(_only(stream, folds[test_fold]), fitted)
            report[f"cv_{fit_fold}_to_{test_fold}_{name}"] = result["bcubed_f1"]
            LOGGER.info("fit %s, test %s, %s: %s", fit_fold, test_fold, name, result)
    if args.cv_only:
        print(json.dumps(report, indent=2))
        return 0
    fitted = fit(streams, model)
    for name, stream in zip(FILES, streams, strict=True):
        result = run_online(stream, fitted)
        report[f"all_{name}"] = result["bcubed_f1"]
        LOGGER.info("fit all, test all, %s: %s", name, result)
    fitted["version"] = VERSION
    fitted["meta"] = {"data": "ECB+ dev (ecbplus_dev.jsonl, both orders)", "C": C, "b3_f1": report}
    MODEL_PATH.write_text(json.dumps(fitted, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
