"""Fit the pair-similarity model and write ``src/storyline/stories/similarity/similarity_model.json``.

    .venv/bin/python scripts/train_similarity.py [../shared/data/similarity/semeval22_dev.jsonl]

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
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from storyline.embed import Vector
from storyline.embed.segment import split_sentences
from storyline.embed.use import UseEmbedder
from storyline.evaluate.metrics import pearson
from storyline.evaluate.similarity import GoldPair, read_pairs
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


def cv_pearson(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], *, n_real: int) -> float:
    """5-fold cross-validated Pearson of the overall blend on the real fit pairs (the first rows)."""
    z = expand(x, interactions())
    folds = KFold(5, shuffle=True, random_state=0)
    ridge = cross_val_predict(make_pipeline(StandardScaler(), Ridge(alpha=RIDGE_ALPHA)), z, y, cv=folds)
    trees = cross_val_predict(GradientBoostingRegressor(random_state=0, **TREES), x, y, cv=folds)
    return pearson(list(np.clip((ridge + trees) / 2, 1, 4)[:n_real]), list(y[:n_real]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    embedder = CachedEmbedder(CACHE)
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
    cv = cv_pearson(x_fit, golds["overall"], n_real=len(real))
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
            "cv5_pearson_fit": round(cv, 4),
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
