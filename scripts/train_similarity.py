"""Fit the pair-similarity model and write ``src/storyline/stories/similarity/similarity_model.json``.

    .venv/bin/python scripts/train_similarity.py [../shared/data/similarity/semeval22_dev.jsonl]
    .venv/bin/python scripts/train_similarity.py --cv [--grid]     # grouped out-of-fold figures only

Needs scikit-learn (training only; the product reads the JSON with numpy). The split is the one of
``storyline.evaluate.similarity.split_of`` (sha256 of pair_id, 70 % fit / 30 % heldout); only the
fit pairs are used. Embeddings are cached in ``benchmarks/.cache/`` (git-ignored), so re-fitting
after a change to the features or the model does not re-embed.

Training rows: the fit pairs, less pairs whose two texts are identical (scraped error pages with the
label of the articles they replaced), plus ``NEAR_COPIES`` synthetic pairs labelled 1 on every
dimension: a fit text against itself cut to 60, 80 or 100 % of its sentences. The dev pairs have
almost no near-copies (3 pairs above document cosine 0.9), and without these rows the model
extrapolates at the top end (an article against itself scored 2.4).

Model: for ``overall``, the mean of a ridge regression (standardised features plus products of each
embedding feature with ``cross_lingual`` and with itself) and a small gradient-boosted tree
ensemble; for ``geography``, ``entities``, ``time``, ``narrative``, the ridge alone.

Cross-validation (``--cv``): 5 folds over **all** pairs, grouped so that pairs sharing an article
(same article id in ``pair_id``, or the same text) stay in one fold (``article_groups``); the
synthetic near-copy rows are made from each training fold's texts only. It prints out-of-fold
Pearson overall, per language pair and on the official subset, and, with ``--grid``, the same for a
few ridge alphas and tree depths, so the shipped settings are chosen on out-of-fold figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from storyline.embed import Vector
from storyline.embed.segment import split_sentences
from storyline.embed.use import UseEmbedder
from storyline.evaluate.metrics import pearson
from storyline.evaluate.similarity import GoldPair, article_groups, read_pairs, split_of
from storyline.stories.similarity import (
    EMBEDDING_FEATURES,
    FEATURE_NAMES,
    FORMAT,
    PairInput,
    TreeEnsemble,
    load_model,
    pair_features,
    prepare_inputs,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "similarity" / "semeval22_dev.jsonl"
OUT = ROOT / "src" / "storyline" / "stories" / "similarity" / "similarity_model.json"
CACHE = ROOT / "benchmarks" / ".cache" / "use_strings"
VERSION = "similarity.v1"
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative")
RIDGE_ALPHA = 1.0
NEAR_COPIES = 100
TREES = {"max_depth": 3, "n_estimators": 200, "learning_rate": 0.05, "subsample": 0.8, "min_samples_leaf": 10}

LOGGER = logging.getLogger("train_similarity")


class CachedEmbedder:
    """``use.v1`` with a disk cache keyed by the sha1 of each text (training only)."""

    name = "use.v1"
    dim = 512

    def __init__(self, path: Path) -> None:
        self.path = path
        self.inner = UseEmbedder()
        self.rows = np.zeros((0, self.dim), dtype=np.float32)
        self.index: dict[str, int] = {}
        if path.with_suffix(".npy").exists():
            self.rows = np.load(path.with_suffix(".npy"))
            keys = json.loads(path.with_suffix(".json").read_text())
            self.index = {k: i for i, k in enumerate(keys)}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()

    def embed(self, texts: Sequence[str]) -> Vector:
        keys = [self.key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.index}
        if missing:
            LOGGER.info("embedding %d new texts", len(missing))
            new = self.inner.embed(list(missing.values()))
            base = len(self.rows)
            self.rows = np.vstack([self.rows, new])
            self.index.update({k: base + i for i, k in enumerate(missing)})
            self.save()
        return self.rows[[self.index[k] for k in keys]]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.save(self.path.with_suffix(".npy"), self.rows)
        keys = sorted(self.index, key=self.index.__getitem__)
        self.path.with_suffix(".json").write_text(json.dumps(keys))


def _sides(pair: GoldPair) -> tuple[tuple[str, str], tuple[str, str]]:
    return (pair.text1, pair.lang1), (pair.text2, pair.lang2)


def feature_matrix(pairs: list[GoldPair], embedder: CachedEmbedder) -> np.ndarray[Any, np.dtype[np.float64]]:
    inputs = [PairInput(text, language=lang) for p in pairs for text, lang in _sides(p)]
    prepared = prepare_inputs(inputs, embedder)
    return np.vstack([pair_features(prepared[2 * i], prepared[2 * i + 1]) for i in range(len(pairs))])


def near_copies(pairs: list[GoldPair], n: int = NEAR_COPIES) -> list[GoldPair]:
    """``n`` synthetic same-story pairs: a fit text against a cut copy of itself (see module doc)."""
    texts = sorted(
        {(p.text1, p.lang1) for p in pairs}, key=lambda t: hashlib.sha256(t[0].encode()).hexdigest()
    )
    out = []
    for i, (text, lang) in enumerate(texts[:n]):
        spans = split_sentences(text)
        keep = max(1, round(len(spans) * (0.6, 0.8, 1.0)[i % 3]))
        copy = text[: spans[keep - 1][1]] if spans else text
        out.append(GoldPair(f"near-copy-{i}", lang, lang, text, copy, 1.0))
    return out


def interactions() -> list[list[int]]:
    cross = FEATURE_NAMES.index("cross_lingual")
    emb = [FEATURE_NAMES.index(n) for n in EMBEDDING_FEATURES]
    return [[i, cross] for i in emb] + [[i, i] for i in emb]


def expand(x: np.ndarray[Any, Any], pairs: list[list[int]]) -> np.ndarray[Any, Any]:
    idx = np.asarray(pairs)
    return np.hstack([x, x[:, idx[:, 0]] * x[:, idx[:, 1]]])


def fit_ridge(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> dict[str, Any]:
    pairs = interactions()
    z = expand(x, pairs)
    mean, scale = z.mean(axis=0), z.std(axis=0)
    scale[scale == 0] = 1.0
    model = Ridge(alpha=RIDGE_ALPHA).fit((z - mean) / scale, y)
    return {
        "interactions": pairs,
        "mean": _r(mean),
        "scale": _r(scale),
        "coef": _r(model.coef_),
        "intercept": float(model.intercept_),
        "alpha": RIDGE_ALPHA,
    }


def fit_trees(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> dict[str, Any]:
    """The boosted trees as JSON arrays; checks that the numpy reader reproduces scikit-learn."""
    model = GradientBoostingRegressor(random_state=0, **TREES).fit(x, y)
    trees = []
    for est in model.estimators_[:, 0]:
        t = est.tree_
        leaf = t.children_left == -1
        trees.append(
            {
                "feature": [int(f) for f in np.where(leaf, -1, t.feature)],
                "threshold": _r(np.where(leaf, 0.0, t.threshold), 7),
                "left": [int(v) for v in t.children_left],
                "right": [int(v) for v in t.children_right],
                "value": _r(np.where(leaf, t.value[:, 0, 0], 0.0), 7),
            }
        )
    out = {
        "init": float(np.mean(y)),
        "learning_rate": TREES["learning_rate"],
        "max_depth": TREES["max_depth"],
        "trees": trees,
    }
    gap = np.abs(model.predict(x) - TreeEnsemble.from_json(out).predict(x)).max()
    if gap > 1e-4:
        raise RuntimeError(f"tree export does not reproduce scikit-learn (max gap {gap:.2g})")
    return out


def _r(values: Any, digits: int = 6) -> list[float]:
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def blend_predict(
    x_fit: np.ndarray[Any, Any],
    y_fit: np.ndarray[Any, Any],
    x_test: np.ndarray[Any, Any],
    *,
    alpha: float = RIDGE_ALPHA,
    trees: dict[str, Any] | None = None,
) -> np.ndarray[Any, Any]:
    """The shipped ``overall`` recipe (ridge on expanded features + boosted trees, averaged)."""
    pairs = interactions()
    ridge = make_pipeline(StandardScaler(), Ridge(alpha=alpha)).fit(expand(x_fit, pairs), y_fit)
    boosted = GradientBoostingRegressor(random_state=0, **(trees or TREES)).fit(x_fit, y_fit)
    both = (ridge.predict(expand(x_test, pairs)) + boosted.predict(x_test)) / 2
    return np.asarray(np.clip(both, 1, 4))


def grouped_cv(
    pairs: list[GoldPair],
    embedder: CachedEmbedder,
    *,
    folds: int = 5,
    settings: Sequence[tuple[float, dict[str, Any]]] = ((RIDGE_ALPHA, TREES),),
) -> list[np.ndarray[Any, Any]]:
    """Out-of-fold ``overall`` predictions of every pair, one array per (alpha, trees) setting.

    Training rows of a fold are its real pairs (identical-text pairs dropped, as in the fit) plus
    near copies of its own texts; the test rows are every pair of the held-out fold."""
    x_all = feature_matrix(pairs, embedder)
    y_all = np.array([p.overall for p in pairs])
    groups = article_groups(pairs)
    out = [np.zeros(len(pairs)) for _ in settings]
    for train, test in GroupKFold(n_splits=folds).split(x_all, y_all, groups):
        real = [i for i in train if pairs[i].text1.strip() != pairs[i].text2.strip()]
        copies = near_copies([pairs[i] for i in real])
        x_fit = np.vstack([x_all[real], feature_matrix(copies, embedder)])
        y_fit = np.concatenate([y_all[real], np.ones(len(copies))])
        for k, (alpha, trees) in enumerate(settings):
            out[k][test] = blend_predict(x_fit, y_fit, x_all[test], alpha=alpha, trees=trees)
    return out


def cv_report(pairs: list[GoldPair], predicted: np.ndarray[Any, Any]) -> dict[str, Any]:
    """Out-of-fold Pearson: all pairs, per language pair (n >= 10), the official subset, each split."""
    gold = [p.overall for p in pairs]

    def on(keep: list[int]) -> float:
        return round(pearson([float(predicted[i]) for i in keep], [gold[i] for i in keep]), 4)

    by_pair: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        by_pair.setdefault(p.lang_pair, []).append(i)
    return {
        "n": len(pairs),
        "pearson": on(list(range(len(pairs)))),
        "official_subset_pearson": on([i for i, p in enumerate(pairs) if p.official]),
        "by_split": {
            s: on([i for i, p in enumerate(pairs) if split_of(p.pair_id) == s]) for s in ("fit", "heldout")
        },
        "by_lang_pair": {k: on(v) for k, v in sorted(by_pair.items()) if len(v) >= 10},
    }


GRID = [(a, {**TREES, "max_depth": d}) for a in (0.3, 1.0, 3.0, 10.0) for d in (2, 3, 4)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cv", action="store_true", help="print grouped out-of-fold figures, write nothing")
    parser.add_argument("--grid", action="store_true", help="with --cv: also a few alphas and tree depths")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    embedder = CachedEmbedder(CACHE)
    if args.cv:
        every = list(read_pairs(args.data))
        settings = GRID if args.grid else [(RIDGE_ALPHA, TREES)]
        predictions = grouped_cv(every, embedder, settings=settings)
        report = {
            f"alpha={a} depth={t['max_depth']}": cv_report(every, p)
            for (a, t), p in zip(settings, predictions, strict=True)
        }
        print(
            json.dumps(
                {
                    "folds": 5,
                    "grouped_by": "article",
                    "shipped": f"alpha={RIDGE_ALPHA} depth={TREES['max_depth']}",
                    "settings": report,
                },
                indent=1,
            )
        )
        return 0
    real = [p for p in read_pairs(args.data, split="fit") if p.text1.strip() != p.text2.strip()]
    fit_pairs = real + near_copies(real)
    held_pairs = list(read_pairs(args.data, split="heldout"))
    x_fit, x_held = feature_matrix(fit_pairs, embedder), feature_matrix(held_pairs, embedder)
    golds = {d: np.array([json_value(p, d, args.data) for p in fit_pairs]) for d in DIMENSIONS}
    dims: dict[str, Any] = {}
    for name, y in golds.items():
        entry: dict[str, Any] = {"ridge": fit_ridge(x_fit, y)}
        if name == "overall":
            entry["trees"] = fit_trees(x_fit, y)
            entry["blend"] = {"ridge": 0.5, "trees": 0.5}
        dims[name] = entry
    real_groups = article_groups(real)
    oof = np.zeros(len(real))
    for train, test in GroupKFold(n_splits=5).split(x_fit[: len(real)], groups=real_groups):
        copies = near_copies([real[i] for i in train])
        x_train = np.vstack([x_fit[train], feature_matrix(copies, embedder)])
        y_train = np.concatenate([golds["overall"][train], np.ones(len(copies))])
        oof[test] = blend_predict(x_train, y_train, x_fit[test])
    cv = pearson(list(oof), list(golds["overall"][: len(real)]))
    model = {
        "format": FORMAT,
        "version": VERSION,
        "embedder": embedder.name,
        "features": list(FEATURE_NAMES),
        "trained_on": {
            "file": args.data.name,
            "split": "fit: int(sha256(pair_id), 16) % 10 < 7",
            "n_fit": len(real),
            "n_near_copies": len(fit_pairs) - len(real),
            "cv5_grouped_pearson_fit": round(cv, 4),
        },
        "dimensions": dims,
    }
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    loaded = load_model(args.out, features=FEATURE_NAMES)
    held = loaded.predict(x_held)["overall"]
    gold_held = [p.overall for p in held_pairs]
    LOGGER.info(
        "wrote %s (%d bytes): cv5 Pearson on fit %.4f, heldout Pearson %.4f (n=%d)",
        args.out,
        args.out.stat().st_size,
        cv,
        pearson(list(held), gold_held),
        len(held_pairs),
    )
    return 0


_ROWS: dict[Path, dict[str, dict[str, Any]]] = {}


def json_value(pair: GoldPair, field: str, path: Path) -> float:
    """A gold field of a pair beyond ``overall`` (the reader keeps only what evaluation needs)."""
    if pair.pair_id.startswith("near-copy-"):
        return 1.0
    if path not in _ROWS:
        with path.open(encoding="utf-8") as f:
            _ROWS[path] = {str(o["pair_id"]): o for o in map(json.loads, f) if o}
    return float(_ROWS[path][pair.pair_id][field])


if __name__ == "__main__":
    sys.exit(main())
